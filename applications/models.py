import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from . import rules as r
from .enums import (
    ApplicationState,
    ConflictScope,
    DocumentKind,
    ParticipantRole,
    ResultGrade,
    RoundState,
)
from .validators import validate_ntis_number, validate_trl

S = ApplicationState


def _perm(predicate):
    """Adapt a rules predicate (user, obj) to django-fsm's permission(instance, user)."""
    return lambda instance, user: bool(predicate.test(user, instance))


class Sequence(models.Model):
    """Gap-free yearly counters for reference and certificate numbers."""

    name = models.CharField(max_length=30)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["name", "year"], name="uniq_sequence")]

    def __str__(self) -> str:
        return f"{self.name} {self.year}: {self.last}"

    @classmethod
    def next_value(cls, name: str, year: int) -> int:
        with transaction.atomic():
            cls.objects.get_or_create(name=name, year=year)
            seq = cls.objects.select_for_update().get(name=name, year=year)
            seq.last += 1
            seq.save(update_fields=["last"])
            return seq.last


class Round(models.Model):
    """A call for applications: its dates, sub-fields, reviewers and rubric."""

    code = models.CharField(_("code"), max_length=30, unique=True)
    title = models.CharField(_("title"), max_length=200)
    title_en = models.CharField(_("title in English"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    opens_at = models.DateTimeField(_("opens"))
    closes_at = models.DateTimeField(_("deadline"))
    review_deadline = models.DateTimeField(_("review deadline"), null=True, blank=True)
    subfields = models.ManyToManyField(
        "panels.SubField", related_name="rounds", verbose_name=_("sub-fields covered")
    )
    reviewers_per_application = models.PositiveSmallIntegerField(
        _("reviewers per application"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(15)],
    )
    threshold = models.DecimalField(
        _("threshold for recommendation"), max_digits=5, decimal_places=2, default=Decimal("70")
    )
    trim_min_scores = models.PositiveSmallIntegerField(
        _("drop highest and lowest from this many scores"), default=5
    )
    conflict_scope = models.CharField(
        _("same-institution rule"),
        max_length=20,
        choices=ConflictScope.choices,
        default=ConflictScope.DEPARTMENT,
    )
    load_balance_cost = models.PositiveIntegerField(
        _("load balancing cost per extra review"),
        default=0,
        help_text=_("0 turns load balancing off; higher values spread reviews more evenly."),
    )
    reveal_reviewer_names = models.BooleanField(_("experts see each other's names"), default=False)
    objection_days = models.PositiveSmallIntegerField(_("days to object"), default=14)
    supplement_days = models.PositiveSmallIntegerField(_("days to answer a supplement"), default=10)

    class Meta:
        verbose_name = _("round")
        verbose_name_plural = _("rounds")
        ordering = ["-opens_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_at__gt=models.F("opens_at")),
                name="round_closes_after_opens",
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.display_title}"

    @property
    def display_title(self) -> str:
        if (get_language() or "ko").startswith("en") and self.title_en:
            return self.title_en
        return self.title

    def state_at(self, when=None) -> str:
        when = when or timezone.now()
        if when < self.opens_at:
            return RoundState.PLANNED
        if when < self.closes_at:
            return RoundState.OPEN
        return RoundState.CLOSED

    @property
    def is_open(self) -> bool:
        return self.state_at() == RoundState.OPEN


class RubricGate(models.Model):
    """A pass/fail gate scored before the weighted criteria."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="gates")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    code = models.SlugField(_("code"), max_length=40)
    label = models.CharField(_("label"), max_length=200)
    label_en = models.CharField(_("label in English"), max_length=200, blank=True)
    guidance = models.TextField(_("guidance"), blank=True)

    class Meta:
        verbose_name = _("pass/fail gate")
        verbose_name_plural = _("pass/fail gates")
        ordering = ["round", "order"]
        constraints = [models.UniqueConstraint(fields=["round", "code"], name="uniq_gate_code")]

    def __str__(self) -> str:
        return self.display_label

    @property
    def display_label(self) -> str:
        if (get_language() or "ko").startswith("en") and self.label_en:
            return self.label_en
        return self.label


class RubricCriterion(models.Model):
    """A weighted criterion; the weights of a round add up to 100."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="criteria")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    code = models.SlugField(_("code"), max_length=40)
    label = models.CharField(_("label"), max_length=200)
    label_en = models.CharField(_("label in English"), max_length=200, blank=True)
    guidance = models.TextField(_("guidance"), blank=True)
    weight = models.DecimalField(_("weight (%)"), max_digits=5, decimal_places=2)
    max_score = models.PositiveSmallIntegerField(_("maximum score"), default=100)

    class Meta:
        verbose_name = _("weighted criterion")
        verbose_name_plural = _("weighted criteria")
        ordering = ["round", "order"]
        constraints = [
            models.UniqueConstraint(fields=["round", "code"], name="uniq_criterion_code")
        ]

    def __str__(self) -> str:
        return self.display_label

    @property
    def display_label(self) -> str:
        if (get_language() or "ko").startswith("en") and self.label_en:
            return self.label_en
        return self.label


class RDProject(models.Model):
    """A national R&D project as registered in NTIS."""

    ntis_number = models.CharField(
        _("NTIS project number"), max_length=20, unique=True, validators=[validate_ntis_number]
    )
    title = models.CharField(_("title"), max_length=300)
    title_en = models.CharField(_("title in English"), max_length=300, blank=True)
    ministry = models.CharField(_("ministry"), max_length=100)
    lead_organisation = models.CharField(_("lead organisation"), max_length=200)
    lead_business_number = models.CharField(
        _("lead organisation's business number"), max_length=12, blank=True, db_index=True
    )
    start_date = models.DateField(_("start"))
    end_date = models.DateField(_("end"))
    result_grade = models.CharField(
        _("result grade"), max_length=20, choices=ResultGrade.choices, default=ResultGrade.ONGOING
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("R&D project")
        verbose_name_plural = _("R&D projects")
        ordering = ["-end_date"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")),
                name="project_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.ntis_number} {self.title}"


class ProjectParticipant(models.Model):
    """An organisation or researcher that took part in an R&D project."""

    project = models.ForeignKey(RDProject, on_delete=models.CASCADE, related_name="participants")
    role = models.CharField(_("role"), max_length=20, choices=ParticipantRole.choices)
    organisation_name = models.CharField(_("organisation"), max_length=200)
    business_number = models.CharField(
        _("business registration number"), max_length=12, blank=True, db_index=True
    )
    department = models.CharField(_("department"), max_length=200, blank=True)
    researcher_name = models.CharField(_("researcher"), max_length=100, blank=True)
    researcher_number = models.CharField(
        _("national researcher number"), max_length=12, blank=True, db_index=True
    )

    class Meta:
        verbose_name = _("project participant")
        verbose_name_plural = _("project participants")

    def __str__(self) -> str:
        who = self.researcher_name or self.organisation_name
        return f"{who} ({self.get_role_display()})"


class Application(ConcurrentTransitionMixin, models.Model):
    """An application for innovative-product designation. Its state changes only through
    the transition services in applications/services.py."""

    reference = models.CharField(
        _("reference number"), max_length=20, unique=True, null=True, blank=True
    )
    round = models.ForeignKey(
        Round, on_delete=models.PROTECT, related_name="applications", verbose_name=_("round")
    )
    subfield = models.ForeignKey(
        "panels.SubField",
        on_delete=models.PROTECT,
        related_name="applications",
        verbose_name=_("sub-field"),
        null=True,
        blank=True,
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="applications",
        verbose_name=_("organisation"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("created by"),
    )
    product_name = models.CharField(_("product name"), max_length=200)
    product_name_en = models.CharField(_("product name in English"), max_length=200, blank=True)
    product_description = models.TextField(_("product description"), blank=True)
    trl = models.PositiveSmallIntegerField(
        _("technology readiness level"), null=True, blank=True, validators=[validate_trl]
    )
    intended_buyers = models.TextField(_("intended public buyers"), blank=True)
    intended_use = models.TextField(_("intended use"), blank=True)
    indicative_price = models.PositiveBigIntegerField(
        _("indicative price (KRW)"), null=True, blank=True
    )
    rd_projects = models.ManyToManyField(
        RDProject, blank=True, related_name="applications", verbose_name=_("linked R&D projects")
    )
    declared_not_designated = models.BooleanField(
        _("the product has not been designated before"), default=False
    )
    declared_truthful = models.BooleanField(_("the information given is true"), default=False)

    state = FSMField(_("status"), default=S.DRAFT, choices=S.choices, protected=True, db_index=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    result_released_at = models.DateTimeField(_("result released"), null=True, blank=True)
    decision_reason = models.TextField(_("reasons for the decision"), blank=True)
    version = models.PositiveIntegerField(_("submitted version"), default=0)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["round", "subfield", "state"])]

    def __str__(self) -> str:
        return f"{self.reference or _('Draft')} {self.product_name}"

    @property
    def display_product_name(self) -> str:
        if (get_language() or "ko").startswith("en") and self.product_name_en:
            return self.product_name_en
        return self.product_name

    # Transitions change fields only; the services in services.py call them.

    @transition(
        field=state, source=S.DRAFT, target=S.SUBMITTED, permission=_perm(r.is_application_owner)
    )
    def submit(self):
        self.submitted_at = timezone.now()
        self.version += 1

    @transition(
        field=state,
        source=S.SUBMITTED,
        target=S.SUPPLEMENT_REQUESTED,
        permission=_perm(r.can_screen),
    )
    def request_supplement(self):
        pass

    @transition(
        field=state,
        source=S.SUPPLEMENT_REQUESTED,
        target=S.SUBMITTED,
        permission=_perm(r.is_application_owner),
    )
    def answer_supplement(self):
        self.version += 1

    @transition(
        field=state,
        source=[S.SUBMITTED, S.SUPPLEMENT_REQUESTED],
        target=S.INELIGIBLE,
        permission=_perm(r.can_screen),
    )
    def mark_ineligible(self):
        self.decided_at = timezone.now()

    @transition(field=state, source=S.SUBMITTED, target=S.IN_REVIEW, permission=_perm(r.can_screen))
    def mark_eligible(self):
        pass

    @transition(
        field=state, source=S.IN_REVIEW, target=S.CONSENSUS, permission=_perm(r.is_programme_staff)
    )
    def open_consensus(self):
        pass

    @transition(
        field=state,
        source=S.CONSENSUS,
        target=S.SUITABILITY_REVIEW,
        permission=_perm(r.can_record_consensus),
    )
    def recommend(self):
        pass

    @transition(
        field=state,
        source=S.CONSENSUS,
        target=S.AWAITING_DECISION,
        permission=_perm(r.can_record_consensus),
    )
    def not_recommend(self):
        pass

    @transition(
        field=state,
        source=S.SUITABILITY_REVIEW,
        target=S.AWAITING_DECISION,
        permission=_perm(r.can_record_suitability),
    )
    def record_suitability(self):
        pass

    @transition(
        field=state, source=S.AWAITING_DECISION, target=S.CERTIFIED, permission=_perm(r.can_decide)
    )
    def certify(self):
        self.decided_at = timezone.now()

    @transition(
        field=state, source=S.AWAITING_DECISION, target=S.REJECTED, permission=_perm(r.can_decide)
    )
    def reject(self):
        self.decided_at = timezone.now()

    @transition(
        field=state,
        source=[S.REJECTED, S.INELIGIBLE],
        target=S.OBJECTION,
        permission=_perm(r.is_application_owner),
    )
    def file_objection(self):
        pass

    @transition(field=state, source=S.OBJECTION, target=S.IN_REVIEW, permission=_perm(r.can_decide))
    def accept_objection(self):
        self.decided_at = None
        self.result_released_at = None

    @transition(field=state, source=S.OBJECTION, target=S.REJECTED, permission=_perm(r.can_decide))
    def dismiss_objection(self):
        pass

    @transition(
        field=state,
        source=[S.DRAFT, S.SUBMITTED, S.SUPPLEMENT_REQUESTED, S.IN_REVIEW],
        target=S.WITHDRAWN,
        permission=_perm(r.is_application_owner),
    )
    def withdraw(self):
        pass


def document_upload_to(instance, filename: str) -> str:
    """Server-generated names: the user's file name is kept only as data, never as a path."""
    return f"documents/{timezone.now():%Y/%m}/{uuid.uuid4().hex}"


class ApplicationDocument(models.Model):
    """Evidence attached to an application, by kind, with its issue and expiry dates."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("kind"), max_length=20, choices=DocumentKind.choices)
    title = models.CharField(_("title"), max_length=200, blank=True)
    file = models.FileField(_("file"), upload_to=document_upload_to, max_length=200)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    issue_date = models.DateField(_("issue date"), null=True, blank=True)
    expiry_date = models.DateField(_("expiry date"), null=True, blank=True)
    is_current = models.BooleanField(_("current"), default=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["kind", "-uploaded_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expiry_date__isnull=True)
                | models.Q(issue_date__isnull=True)
                | models.Q(expiry_date__gte=models.F("issue_date")),
                name="document_expires_after_issue",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.original_name}"


class SupplementRequest(models.Model):
    """An officer's request (보완 요청) to fix or add documents by a deadline."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="supplement_requests"
    )
    message = models.TextField(_("what is needed"))
    documents_wanted = models.JSONField(_("documents wanted"), default=list, blank=True)
    deadline = models.DateTimeField(_("answer by"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("requested"), auto_now_add=True)
    answer_message = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("reminder sent"), null=True, blank=True)
    overdue_flagged_at = models.DateTimeField(_("flagged as overdue"), null=True, blank=True)

    class Meta:
        verbose_name = _("supplement request")
        verbose_name_plural = _("supplement requests")
        ordering = ["-requested_at", "-id"]
        indexes = [models.Index(fields=["answered_at", "deadline"])]

    def __str__(self) -> str:
        return f"{self.application}: {self.deadline:%Y-%m-%d}"

    @property
    def is_open(self) -> bool:
        """Waiting for the applicant's answer: unanswered while the application still waits
        for it (a withdrawn or ineligible application closes its request)."""
        return (
            self.answered_at is None
            and self.application.state == ApplicationState.SUPPLEMENT_REQUESTED
        )

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.deadline < timezone.now()

    @property
    def closed_unanswered(self) -> bool:
        return self.answered_at is None and not self.is_open

    @property
    def documents_wanted_labels(self) -> list[str]:
        return [DocumentKind(k).label for k in self.documents_wanted if k in DocumentKind.values]


class ApplicationVersion(models.Model):
    """A frozen copy of what the applicant submitted: fields, linked projects, documents."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    snapshot = models.JSONField(_("content"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("submitted"), auto_now_add=True)

    class Meta:
        verbose_name = _("submitted version")
        verbose_name_plural = _("submitted versions")
        ordering = ["application", "number"]
        constraints = [
            models.UniqueConstraint(fields=["application", "number"], name="uniq_app_version")
        ]

    def __str__(self) -> str:
        return f"{self.application} v{self.number}"


class EligibilityFlag(models.Model):
    """The automatic verdict of one eligibility rule for an application, kept for screening;
    an officer may override it with a written reason (kept in the history too)."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="eligibility_flags"
    )
    rule = models.CharField(_("rule"), max_length=40)
    version = models.PositiveIntegerField(_("checked version"), default=0)
    passed = models.BooleanField(_("passed"))
    reason = models.TextField(_("reason"))
    officer_may_judge = models.BooleanField(_("an officer may judge"), default=False)
    override_passed = models.BooleanField(_("officer's verdict"), null=True, blank=True)
    override_reason = models.TextField(_("reason for the officer's verdict"), blank=True)
    overridden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    overridden_at = models.DateTimeField(_("overridden"), null=True, blank=True)
    checked_at = models.DateTimeField(_("checked"), auto_now=True)

    class Meta:
        verbose_name = _("eligibility verdict")
        verbose_name_plural = _("eligibility verdicts")
        ordering = ["application", "id"]
        constraints = [
            models.UniqueConstraint(fields=["application", "rule"], name="uniq_flag_rule")
        ]

    def __str__(self) -> str:
        return f"{self.application}: {self.rule} {self.effective_passed}"

    @property
    def effective_passed(self) -> bool:
        return self.passed if self.override_passed is None else self.override_passed

    @property
    def needs_screening(self) -> bool:
        return not self.effective_passed and self.override_passed is None
