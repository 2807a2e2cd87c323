"""States and choices of an application; groups of states are named here too."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ApplicationState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted: eligibility screening")
    SUPPLEMENT_REQUESTED = "supplement_requested", _("Supplement requested")
    INELIGIBLE = "ineligible", _("Ineligible")
    IN_REVIEW = "in_review", _("Expert review")
    CONSENSUS = "consensus", _("Panel consensus")
    SUITABILITY_REVIEW = "suitability_review", _("PPS suitability review")
    AWAITING_DECISION = "awaiting_decision", _("Awaiting decision")
    CERTIFIED = "certified", _("Certified")
    REJECTED = "rejected", _("Not certified")
    OBJECTION = "objection", _("Objection under consideration")
    WITHDRAWN = "withdrawn", _("Withdrawn")


S = ApplicationState

# Groups of states, used by selectors, rules and templates.
EDITABLE_BY_APPLICANT = (S.DRAFT,)
SCREENING_STATES = (S.SUBMITTED, S.SUPPLEMENT_REQUESTED)
REVIEW_STATES = (S.IN_REVIEW, S.CONSENSUS)
WITHDRAWABLE_STATES = (S.DRAFT, S.SUBMITTED, S.SUPPLEMENT_REQUESTED, S.IN_REVIEW)
FINAL_STATES = (S.CERTIFIED, S.REJECTED, S.INELIGIBLE, S.WITHDRAWN)
OBJECTIONABLE_STATES = (S.REJECTED, S.INELIGIBLE)
SUBMITTED_STATES = tuple(s for s in S if s not in (S.DRAFT,))

# Bootstrap/KRDS badge tone per state, used by the status badge partial.
STATE_TONE = {
    S.DRAFT: "secondary",
    S.SUBMITTED: "info",
    S.SUPPLEMENT_REQUESTED: "warning",
    S.INELIGIBLE: "danger",
    S.IN_REVIEW: "primary",
    S.CONSENSUS: "primary",
    S.SUITABILITY_REVIEW: "primary",
    S.AWAITING_DECISION: "primary",
    S.CERTIFIED: "success",
    S.REJECTED: "danger",
    S.OBJECTION: "warning",
    S.WITHDRAWN: "secondary",
}


class DocumentKind(models.TextChoices):
    SPECIFICATION = "specification", _("Product specification")
    TEST_REPORT = "test_report", _("Test report")
    CERTIFICATION = "certification", _("Certification (e.g. KC mark)")
    PATENT = "patent", _("Patent")
    LICENCE = "licence", _("Licence from the R&D performer")
    SUPPLEMENT = "supplement", _("Supplement")
    OTHER = "other", _("Other")


class ResultGrade(models.TextChoices):
    """Final evaluation grade of a national R&D project (NTIS)."""

    EXCELLENT = "excellent", _("Excellent (우수)")
    SUCCESSFUL = "successful", _("Successful (성공)")
    ORDINARY = "ordinary", _("Ordinary (보통)")
    INSUFFICIENT = "insufficient", _("Insufficient (미흡)")
    FAILED = "failed", _("Failed (실패)")
    ONGOING = "ongoing", _("Ongoing")


SUCCESSFUL_GRADES = (ResultGrade.EXCELLENT, ResultGrade.SUCCESSFUL, ResultGrade.ORDINARY)


class ParticipantRole(models.TextChoices):
    LEAD_ORGANISATION = "lead_org", _("Lead organisation")
    PARTICIPATING_ORGANISATION = "participant_org", _("Participating organisation")
    PRINCIPAL_INVESTIGATOR = "pi", _("Principal investigator")
    RESEARCHER = "researcher", _("Researcher")


class ConflictScope(models.TextChoices):
    """How far the same-institution rule (상피제) reaches."""

    ORGANISATION = "organisation", _("Whole organisation")
    DEPARTMENT = "department", _("Same department only (2024 rule)")


class RoundState(models.TextChoices):
    PLANNED = "planned", _("Planned")
    OPEN = "open", pgettext_lazy("round status", "Open")
    CLOSED = "closed", _("Closed")
