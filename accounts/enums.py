from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """The programme's roles; each is a Django group of the same name."""

    APPLICANT = "applicant", _("Applicant")
    OFFICER = "officer", _("Programme officer")
    PANEL_SECRETARIAT = "panel_secretariat", _("Panel secretariat")
    EXPERT = "expert", _("Expert")
    PPS = "pps", _("PPS staff")


class MembershipStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for approval")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")


class Language(models.TextChoices):
    KO = "ko", "한국어"
    EN = "en", "English"
