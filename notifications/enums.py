from django.db import models
from django.utils.translation import gettext_lazy as _


class Event(models.TextChoices):
    SUBMISSION_RECEIPT = "submission_receipt", _("Submission receipt")
    SUPPLEMENT_REQUESTED = "supplement_requested", _("Supplement requested")
    SUPPLEMENT_OVERDUE = "supplement_overdue", _("Supplement deadline passed")
    SCREENING_RESULT = "screening_result", _("Screening result")
    REVIEW_INVITATION = "review_invitation", _("Invitation to review")
    REVIEW_REMINDER = "review_reminder", _("Review reminder")
    CONSENSUS_NEEDED = "consensus_needed", _("Panel consensus needed")
    RESULT_RELEASED = "result_released", _("Result released")
    OBJECTION_RECEIVED = "objection_received", _("Objection received")
    OBJECTION_DECIDED = "objection_decided", _("Objection decided")
    CERTIFICATE_ISSUED = "certificate_issued", _("Certificate issued")
    EXTENSION_DECIDED = "extension_decided", _("Extension decided")
    EXPIRY_COMING = "expiry_coming", _("Certificate expiry coming")
    REVOCATION = "revocation", _("Certificate revoked")
    CATALOGUE_REGISTRATION = "catalogue_registration", _("Catalogue registration")
    MEMBERSHIP_REQUEST = "membership_request", _("Request to join an organisation")


# Notices that carry a deadline: a user cannot switch their e-mail off.
DEADLINE_EVENTS = (
    Event.SUPPLEMENT_REQUESTED,
    Event.REVIEW_INVITATION,
    Event.REVIEW_REMINDER,
    Event.CONSENSUS_NEEDED,
    Event.RESULT_RELEASED,
    Event.EXPIRY_COMING,
)


class DeliveryState(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    SKIPPED = "skipped", _("Not e-mailed (preference)")
