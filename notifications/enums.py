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
    DAILY_DIGEST = "daily_digest", _("Daily digest")


# Events a person may choose for themselves (the digest is the delivery, not an event).
USER_EVENTS = tuple(e for e in Event if e != Event.DAILY_DIGEST)

# Notices that ask the recipient to do something: their subjects start "[Action required]".
ACTION_EVENTS = (
    Event.SUPPLEMENT_REQUESTED,
    Event.REVIEW_INVITATION,
    Event.REVIEW_REMINDER,
    Event.CONSENSUS_NEEDED,
    Event.EXPIRY_COMING,
    Event.MEMBERSHIP_REQUEST,
)


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
    DIGEST = "digest", _("Held for the daily digest")
    DIGESTED = "digested", _("Sent in the daily digest")


# E-mail states that still need work from the outbox.
OPEN_STATES = (DeliveryState.PENDING, DeliveryState.SENDING)


class SkipReason(models.TextChoices):
    NONE = "", _("—")
    USER = "user", _("The recipient switched this e-mail off")
    PROGRAMME = "programme", _("Switched off for the whole programme")
    NO_ADDRESS = "no_address", _("The recipient has no e-mail address")
