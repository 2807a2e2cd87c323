from django.db import models
from django.utils.translation import gettext_lazy as _


class AssignmentState(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    INVITED = "invited", _("Invited")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    RECUSED = "recused", _("Recused")
    REPLACED = "replaced", _("Replaced")


ACTIVE_ASSIGNMENT_STATES = (
    AssignmentState.PROPOSED,
    AssignmentState.INVITED,
    AssignmentState.ACCEPTED,
)


class ReviewState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")


REVIEWING_ASSIGNMENT_STATES = (AssignmentState.INVITED, AssignmentState.ACCEPTED)


class PanelMeetingKind(models.TextChoices):
    INTERVIEW = "interview", _("Interview")
    SITE_VISIT = "site_visit", _("Site visit")


class ConflictRule(models.TextChoices):
    SAME_ORGANISATION = "same_organisation", _("Same organisation as the applicant")
    SAME_DEPARTMENT = "same_department", _("Same department as the applicant")
    PROJECT_PARTICIPANT = "project_participant", _("Took part in a linked R&D project")
    NAMED_UNSUITABLE = "named_unsuitable", _("Named unsuitable by the applicant (accepted)")
    DECLARED = "declared", _("Declared by the expert")
    RECUSED = "recused", _("Recused")


class AssignmentRunState(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    PROPOSED = "proposed", _("Proposal ready")
    CONFIRMED = "confirmed", _("Confirmed")
    FAILED = "failed", _("Failed")


class RequestDecision(models.TextChoices):
    PENDING = "pending", _("Waiting for the officer")
    ACCEPTED = "accepted", _("Accepted")
    REFUSED = "refused", _("Refused")
