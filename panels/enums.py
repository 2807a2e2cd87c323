from django.db import models
from django.utils.translation import gettext_lazy as _


class AssignmentState(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    INVITED = "invited", _("Invited")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    RECUSED = "recused", _("Recused")
    REPLACED = "replaced", _("Replaced")
    EXPIRED = "expired", _("No answer in time")


# Assignments that hold a slot of the application and count against the expert's load.
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
    DISCARDED = "discarded", _("Discarded")
    FAILED = "failed", _("Failed")


# A proposal still waiting for the officer; a newer run over the same scope replaces it.
OPEN_RUN_STATES = (
    AssignmentRunState.QUEUED,
    AssignmentRunState.RUNNING,
    AssignmentRunState.PROPOSED,
)


class InfeasibleReason(models.TextChoices):
    """Why an application could not be given its full number of experts."""

    TOO_FEW_EXPERTS = "too_few_experts", _("Too few committee members without a conflict")
    LOADS_FULL = "loads_full", _("The members without a conflict have no free load left")
    LOADS_TOO_LOW = (
        "loads_too_low",
        _("The free load of the members without a conflict is taken by other applications"),
    )
    NO_COMMITTEE = "no_committee", _("The sub-field has no committee")


class RequestDecision(models.TextChoices):
    PENDING = "pending", _("Waiting for the officer")
    ACCEPTED = "accepted", _("Accepted")
    REFUSED = "refused", _("Refused")


# Why a run was started by the system (AssignmentRun.reason holds the code).
RUN_REASON_LABELS = {
    "declined": _("an expert declined"),
    "recused": _("an expert declared a conflict or recused"),
    "expired": _("an invitation was not answered in time"),
    "unsuitable": _("an expert was named unsuitable"),
    "demo": _("demo data"),
}

# The step a running assignment is at (AssignmentRun.progress_message holds the code).
RUN_STEP_LABELS = {
    "loading": _("reading the applications"),
    "experts": _("reading the committees and loads"),
    "conflicts": _("checking conflicts of interest"),
    "affinity": _("matching expertise"),
    "solving": _("computing the best assignment"),
    "writing": _("saving the proposal"),
    "done": _("done"),
}
