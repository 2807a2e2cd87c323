"""States and choices of certificates, extensions, objections; the fixed numbers of the rules."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CertificateState(models.TextChoices):
    VALID = "valid", _("Valid")
    EXPIRED = "expired", _("Expired")
    REVOKED = "revoked", _("Revoked")


CERTIFICATE_TONE = {
    CertificateState.VALID: "success",
    CertificateState.EXPIRED: "secondary",
    CertificateState.REVOKED: "danger",
}


class ExtensionState(models.TextChoices):
    PENDING = "pending", _("Waiting for the officer")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")


class ObjectionGround(models.TextChoices):
    EVALUATOR_ERROR = "evaluator_error", _("Decisive error by an evaluator")
    MISREADING = "misreading", _("Obvious misreading of the application")
    ADMINISTRATIVE_ERROR = "administrative_error", _("Administrative error")


class ObjectionDecision(models.TextChoices):
    PENDING = "pending", _("Under consideration")
    ACCEPTED = "accepted", _("Accepted: sent back to review")
    DISMISSED = "dismissed", _("Dismissed")


class ExportKind(models.TextChoices):
    ROUND_RESULTS = "round_results", _("Results of a round")
    REGISTER = "register", _("Register of certificates")
    CATALOGUE = "catalogue", _("Procurement catalogue")


# A certificate is valid for three years; the first extension adds one year, the second two
# (조달사업법 시행령 §33 as KIAT notices cite it). No third extension exists.
VALIDITY_YEARS = 3
EXTENSION_YEARS = {1: 1, 2: 2}
MAX_EXTENSIONS = len(EXTENSION_YEARS)

# Days before the end of validity on which the applicant is reminded, once each.
EXPIRY_REMINDER_DAYS = (90, 30)
