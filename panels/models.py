from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .enums import (
    AssignmentRunState,
    AssignmentState,
    PanelMeetingKind,
    RequestDecision,
    ReviewState,
)


class SubField(models.Model):
    """One of the 24 technical sub-fields; officers may edit the list."""

    number = models.PositiveSmallIntegerField(_("number"), unique=True)
    name_ko = models.CharField(_("name (Korean)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("sub-field")
        verbose_name_plural = _("sub-fields")
        ordering = ["number"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "ko").startswith("en") else self.name_ko


class ExpertProfile(models.Model):
    """A panellist in the expert pool."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="expert_profile"
    )
    organisation_name = models.CharField(_("organisation"), max_length=200)
    organisation = models.ForeignKey(
        "accounts.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="experts",
        verbose_name=_("organisation (if registered)"),
    )
    business_number = models.CharField(
        _("organisation's business registration number"), max_length=12, blank=True
    )
    department = models.CharField(_("department"), max_length=200, blank=True)
    researcher_number = models.CharField(
        _("national researcher number"),
        max_length=12,
        blank=True,
        db_index=True,
        help_text=_("국가연구자번호: links the expert to R&D project participation."),
    )
    subfields = models.ManyToManyField(
        SubField, related_name="experts", verbose_name=_("sub-fields")
    )
    keywords = models.TextField(
        _("expertise keywords"), blank=True, help_text=_("Comma-separated keywords.")
    )
    max_load = models.PositiveSmallIntegerField(_("maximum load"), default=6)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("expert profile")
        verbose_name_plural = _("expert profiles")
        ordering = ["user__name"]

    def __str__(self) -> str:
        return self.user.get_full_name()

    @property
    def keyword_list(self) -> list[str]:
        return [k.strip() for k in self.keywords.split(",") if k.strip()]


class Committee(models.Model):
    """The committee of one sub-field: its members are the experts of that sub-field."""

    subfield = models.OneToOneField(
        SubField, on_delete=models.PROTECT, related_name="committee", verbose_name=_("sub-field")
    )
    chair = models.ForeignKey(
        ExpertProfile,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="chaired_committees",
        verbose_name=_("chair"),
    )

    class Meta:
        verbose_name = _("committee")
        verbose_name_plural = _("committees")
        ordering = ["subfield__number"]

    def __str__(self) -> str:
        return str(_("Committee: %(field)s") % {"field": self.subfield.name})

    @property
    def members(self):
        return ExpertProfile.objects.filter(subfields=self.subfield_id, is_active=True)


class Assignment(models.Model):
    """An expert assigned to review one application (proposed, invited, accepted, ...)."""

    application = models.ForeignKey(
        "applications.Application",
        on_delete=models.CASCADE,
        related_name="assignments",
        verbose_name=_("application"),
    )
    expert = models.ForeignKey(
        ExpertProfile,
        on_delete=models.PROTECT,
        related_name="assignments",
        verbose_name=_("expert"),
    )
    state = models.CharField(
        _("status"),
        max_length=12,
        choices=AssignmentState.choices,
        default=AssignmentState.PROPOSED,
        db_index=True,
    )
    affinity = models.FloatField(_("affinity"), default=0)
    run = models.ForeignKey(
        "AssignmentRun",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assignments",
        verbose_name=_("proposed by run"),
    )
    is_rereview = models.BooleanField(_("re-review after objection"), default=False)
    invited_at = models.DateTimeField(_("invited"), null=True, blank=True)
    respond_by = models.DateTimeField(_("answer by"), null=True, blank=True)
    responded_at = models.DateTimeField(_("answered"), null=True, blank=True)
    decline_reason = models.TextField(_("reason for declining"), blank=True)
    pledge_signed_at = models.DateTimeField(_("no-conflict pledge signed"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["application", "expert"]
        constraints = [
            models.UniqueConstraint(fields=["application", "expert"], name="uniq_assignment_pair")
        ]

    def __str__(self) -> str:
        return f"{self.expert} → {self.application}"


class Review(models.Model):
    """One expert's scoring of one application: gates first, then weighted criteria."""

    assignment = models.OneToOneField(
        Assignment, on_delete=models.CASCADE, related_name="review", verbose_name=_("assignment")
    )
    state = models.CharField(
        _("status"), max_length=10, choices=ReviewState.choices, default=ReviewState.DRAFT
    )
    gates = models.JSONField(
        _("pass/fail gates"),
        default=dict,
        blank=True,
        help_text=_('Gate code → {"passed": true or false, "comment": "..."}.'),
    )
    overall_opinion = models.TextField(_("overall opinion"), blank=True)
    weighted_total = models.DecimalField(
        _("weighted total"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")

    def __str__(self) -> str:
        return str(self.assignment)


class CriterionScore(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(
        "applications.RubricCriterion", on_delete=models.PROTECT, related_name="scores"
    )
    score = models.PositiveSmallIntegerField(_("score"), null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("criterion score")
        verbose_name_plural = _("criterion scores")
        constraints = [
            models.UniqueConstraint(fields=["review", "criterion"], name="uniq_review_criterion")
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.score}"


class Consensus(models.Model):
    """The committee chair's consensus for an application (one per review cycle)."""

    application = models.ForeignKey(
        "applications.Application", on_delete=models.CASCADE, related_name="consensus_records"
    )
    chair = models.ForeignKey(ExpertProfile, null=True, on_delete=models.PROTECT, related_name="+")
    score = models.DecimalField(_("consensus score"), max_digits=6, decimal_places=2)
    opinion = models.TextField(_("consensus opinion"))
    recommended = models.BooleanField(_("recommended"))
    meeting_kind = models.CharField(
        _("interview or site visit"),
        max_length=12,
        choices=PanelMeetingKind.choices,
        blank=True,
    )
    meeting_date = models.DateField(_("date of the interview or site visit"), null=True, blank=True)
    interview_notes = models.TextField(_("interview or site visit notes"), blank=True)
    is_rereview = models.BooleanField(_("after an objection"), default=False)
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("panel consensus")
        verbose_name_plural = _("panel consensus records")
        ordering = ["-recorded_at"]

    def __str__(self) -> str:
        return f"{self.application}: {self.score}"


class PanelClosure(models.Model):
    """Marks a round's panel (one committee, or every committee when committee is empty) as
    closed: experts can no longer change their reviews, even before the consensus."""

    round = models.ForeignKey(
        "applications.Round",
        on_delete=models.CASCADE,
        related_name="panel_closures",
        verbose_name=_("round"),
    )
    committee = models.ForeignKey(
        Committee,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="closures",
        verbose_name=_("committee (empty: all)"),
    )
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    closed_at = models.DateTimeField(_("closed"), auto_now_add=True)

    class Meta:
        verbose_name = _("closed panel")
        verbose_name_plural = _("closed panels")
        constraints = [
            models.UniqueConstraint(fields=["round", "committee"], name="uniq_panel_closure")
        ]

    def __str__(self) -> str:
        return f"{self.round} {self.committee or ''}".strip()


class UnsuitableExpertRequest(models.Model):
    """An applicant names an expert they consider unsuitable; an officer decides. The
    applicant cannot see the pool, so they name a person; the officer matches the profile."""

    application = models.ForeignKey(
        "applications.Application", on_delete=models.CASCADE, related_name="unsuitable_experts"
    )
    expert_name = models.CharField(_("expert's name"), max_length=100)
    expert_organisation = models.CharField(_("expert's organisation"), max_length=200)
    reason = models.TextField(_("reason"))
    matched_expert = models.ForeignKey(
        ExpertProfile,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("matched expert profile"),
    )
    decision = models.CharField(
        _("decision"),
        max_length=10,
        choices=RequestDecision.choices,
        default=RequestDecision.PENDING,
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    class Meta:
        verbose_name = _("expert named unsuitable")
        verbose_name_plural = _("experts named unsuitable")

    def __str__(self) -> str:
        return f"{self.expert_name} ({self.expert_organisation})"


class ConflictDeclaration(models.Model):
    """An expert's own declaration of a conflict, or a recusal, for one application."""

    expert = models.ForeignKey(ExpertProfile, on_delete=models.CASCADE, related_name="declarations")
    application = models.ForeignKey(
        "applications.Application", on_delete=models.CASCADE, related_name="conflict_declarations"
    )
    is_recusal = models.BooleanField(_("recusal"), default=False)
    reason = models.TextField(_("reason"))
    declared_at = models.DateTimeField(_("declared"), auto_now_add=True)

    class Meta:
        verbose_name = _("conflict declaration")
        verbose_name_plural = _("conflict declarations")
        constraints = [
            models.UniqueConstraint(
                fields=["expert", "application"], name="uniq_conflict_declaration"
            )
        ]

    def __str__(self) -> str:
        return f"{self.expert} × {self.application}"


class AssignmentRun(models.Model):
    """One computation of reviewer assignment: its scope, progress, proposal and report.

    The scope is a round and either one committee, all committees (committee empty) or one
    application (a slot re-run after a decline, or a re-review after an objection)."""

    round = models.ForeignKey(
        "applications.Round",
        on_delete=models.CASCADE,
        related_name="assignment_runs",
        verbose_name=_("round"),
    )
    committee = models.ForeignKey(
        Committee,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="assignment_runs",
        verbose_name=_("committee"),
        help_text=_("Empty: every committee of the round."),
    )
    application = models.ForeignKey(
        "applications.Application",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="assignment_runs",
        verbose_name=_("application"),
    )
    is_rereview = models.BooleanField(_("re-review after objection"), default=False)
    auto_confirm = models.BooleanField(
        _("invite at once"),
        default=False,
        help_text=_("Used for open slots: the replacement is invited without a separate step."),
    )
    state = models.CharField(
        _("status"),
        max_length=12,
        choices=AssignmentRunState.choices,
        default=AssignmentRunState.QUEUED,
        db_index=True,
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    progress_message = models.CharField(_("progress"), max_length=200, blank=True)
    report = models.JSONField(_("report"), default=dict, blank=True)
    error = models.TextField(_("error"), blank=True)
    reason = models.CharField(_("why this run"), max_length=200, blank=True)
    launched_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("launched by"),
    )
    created_at = models.DateTimeField(_("launched"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("confirmed or discarded by"),
    )
    decided_at = models.DateTimeField(_("confirmed or discarded"), null=True, blank=True)

    class Meta:
        verbose_name = _("assignment run")
        verbose_name_plural = _("assignment runs")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        if self.application_id:
            scope = str(self.application)
        elif self.committee_id:
            scope = str(self.committee)
        else:
            scope = str(_("all committees"))
        return f"#{self.pk} {self.round.code}: {scope}"

    @property
    def step_display(self) -> str:
        from .enums import RUN_STEP_LABELS

        return str(RUN_STEP_LABELS.get(self.progress_message, self.progress_message))

    @property
    def reason_display(self) -> str:
        from .enums import RUN_REASON_LABELS

        return str(RUN_REASON_LABELS.get(self.reason, self.reason))
