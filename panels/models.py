from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


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
        _("national researcher number"), max_length=12, blank=True, db_index=True,
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
