"""Suitability reviews, certificates and their extensions, the procurement catalogue, pilot
purchases and objections. Writes go through procurement/services.py."""

import datetime as dt
import uuid
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from .enums import (
    MAX_EXTENSIONS,
    CertificateState,
    ExtensionState,
    ObjectionDecision,
    ObjectionGround,
)

SEOUL = ZoneInfo("Asia/Seoul")
CS = CertificateState


def seoul_today(now: dt.datetime | None = None) -> dt.date:
    """The calendar date in Korea: validity is counted in Korean dates whatever the server's
    or the user's time zone."""
    return timezone.localtime(now or timezone.now(), SEOUL).date()


def add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year without one
        return day.replace(year=day.year + years, day=28)


validate_classification_number = RegexValidator(
    r"^\d{8}\Z",
    _("A procurement classification number is exactly 8 digits, for example 43211503."),
    code="classification_number",
)
validate_product_id = RegexValidator(
    r"^\d{8,10}\Z",
    _("A product identification number is 8 to 10 digits, for example 24123456."),
    code="product_identification_number",
)


class SuitabilityReview(models.Model):
    """PPS staff's procurement-suitability opinion on a recommended application."""

    application = models.ForeignKey(
        "applications.Application",
        on_delete=models.CASCADE,
        related_name="suitability_reviews",
        verbose_name=_("application"),
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    suitable = models.BooleanField(_("suitable for public procurement"))
    notes = models.TextField(_("notes"))
    pre_registered = models.BooleanField(
        _("pre-registered in the catalogue before certification"), default=False
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("suitability review")
        verbose_name_plural = _("suitability reviews")
        ordering = ["-recorded_at", "-id"]

    def __str__(self) -> str:
        return f"{self.application}: {'✓' if self.suitable else '✗'}"


class CertificateQuerySet(models.QuerySet):
    def status_q(self, status: str, today: dt.date | None = None) -> models.Q:
        """What each status means on a given Korean date: a certificate whose validity ended
        counts as expired at once, even before the nightly task moves its state."""
        today = today or seoul_today()
        if status == CS.VALID:
            return models.Q(state=CS.VALID, valid_until__gte=today)
        if status == CS.EXPIRED:
            return models.Q(state=CS.EXPIRED) | models.Q(state=CS.VALID, valid_until__lt=today)
        return models.Q(state=CS.REVOKED)

    def with_status(self, status: str, today: dt.date | None = None):
        return self.filter(self.status_q(status, today))


def certificate_upload_to(instance, filename: str) -> str:
    return f"certificates/{instance.issued_on:%Y}/{uuid.uuid4().hex}.pdf"


class Certificate(ConcurrentTransitionMixin, models.Model):
    """The designation certificate of a certified application."""

    number = models.CharField(_("certificate number"), max_length=30, unique=True)
    application = models.OneToOneField(
        "applications.Application",
        on_delete=models.PROTECT,
        related_name="certificate",
        verbose_name=_("application"),
    )
    issued_on = models.DateField(_("issued on"))
    valid_until = models.DateField(_("valid until"), db_index=True)
    state = FSMField(
        _("status"), default=CS.VALID, choices=CS.choices, protected=True, db_index=True
    )
    expired_on = models.DateField(_("expired on"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revocation_reason = models.TextField(_("reason for revocation"), blank=True)
    extensions_used = models.PositiveSmallIntegerField(
        _("extensions granted"), default=0, validators=[MaxValueValidator(MAX_EXTENSIONS)]
    )
    pdf = models.FileField(_("PDF"), upload_to=certificate_upload_to, blank=True, max_length=200)
    pdf_valid_until = models.DateField(
        _("validity shown on the PDF"), null=True, blank=True, editable=False
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = CertificateQuerySet.as_manager()

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["-issued_on", "-number"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_until__gt=models.F("issued_on")),
                name="certificate_valid_after_issue",
            )
        ]

    def __str__(self) -> str:
        return self.number

    def status_on(self, day: dt.date | None = None) -> str:
        day = day or seoul_today()
        if self.state == CS.VALID and self.valid_until < day:
            return CS.EXPIRED
        return self.state

    @property
    def status(self) -> str:
        return self.status_on()

    @property
    def is_valid(self) -> bool:
        return self.status == CS.VALID

    @property
    def status_label(self) -> str:
        return CS(self.status).label

    @property
    def ended_on(self) -> dt.date | None:
        """The day the certificate stopped being valid: the expiry, or the revocation."""
        if self.state == CS.REVOKED and self.revoked_at:
            return timezone.localtime(self.revoked_at, SEOUL).date()
        if self.status == CS.EXPIRED:
            return self.expired_on or (self.valid_until + dt.timedelta(days=1))
        return None

    # Transitions change fields only; procurement/services.py calls them.

    @transition(field=state, source=CS.VALID, target=CS.EXPIRED)
    def expire(self):
        self.expired_on = self.valid_until + dt.timedelta(days=1)

    @transition(field=state, source=[CS.VALID, CS.EXPIRED], target=CS.REVOKED)
    def revoke(self):
        self.revoked_at = timezone.now()

    @transition(field=state, source=[CS.VALID, CS.EXPIRED], target=CS.VALID)
    def extend(self):
        self.expired_on = None


class ExtensionRequest(models.Model):
    """The applicant asks for the first (+1 year) or the second (+2 years) extension."""

    certificate = models.ForeignKey(
        Certificate,
        on_delete=models.CASCADE,
        related_name="extension_requests",
        verbose_name=_("certificate"),
    )
    ordinal = models.PositiveSmallIntegerField(
        _("extension"), validators=[MinValueValidator(1), MaxValueValidator(MAX_EXTENSIONS)]
    )
    reason = models.TextField(_("why the extension is needed"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("requested"), auto_now_add=True)
    state = models.CharField(
        _("status"),
        max_length=10,
        choices=ExtensionState.choices,
        default=ExtensionState.PENDING,
        db_index=True,
    )
    previous_valid_until = models.DateField(_("valid until before"))
    new_valid_until = models.DateField(_("valid until after approval"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_reason = models.TextField(_("reasons for the decision"), blank=True)

    class Meta:
        verbose_name = _("extension request")
        verbose_name_plural = _("extension requests")
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["certificate"],
                condition=models.Q(state="pending"),
                name="one_pending_extension_per_certificate",
            ),
            models.UniqueConstraint(
                fields=["certificate", "ordinal"],
                condition=models.Q(state="approved"),
                name="one_approved_extension_per_ordinal",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.certificate} #{self.ordinal}"


class CatalogueEntry(models.Model):
    """A product registered in PPS's procurement catalogue (혁신장터 / 나라장터)."""

    application = models.OneToOneField(
        "applications.Application",
        on_delete=models.PROTECT,
        related_name="catalogue_entry",
        verbose_name=_("product (application)"),
    )
    certificate = models.ForeignKey(
        Certificate,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="catalogue_entries",
        verbose_name=_("certificate"),
    )
    classification_number = models.CharField(
        _("procurement classification number"),
        max_length=8,
        validators=[validate_classification_number],
    )
    product_identification_number = models.CharField(
        _("product identification number"),
        max_length=10,
        unique=True,
        validators=[validate_product_id],
    )
    unit_price = models.PositiveBigIntegerField(_("unit price (KRW)"))
    supplier_contact = models.CharField(_("supplier contact"), max_length=200)
    registered_on = models.DateField(_("registration date"))
    pre_registered = models.BooleanField(
        _("pre-registered before certification"),
        default=False,
        help_text=_("Registered while the application was still in suitability review."),
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("catalogue entry")
        verbose_name_plural = _("catalogue entries")
        ordering = ["-registered_on", "-id"]

    def __str__(self) -> str:
        return f"{self.product_identification_number} {self.application.product_name}"

    def fast_track_on(self, day: dt.date | None = None) -> bool:
        """Eligible for a non-competitive contract only while the certificate is valid;
        derived every time so no stored flag can go stale."""
        return self.certificate is not None and self.certificate.status_on(day) == CS.VALID

    @property
    def fast_track_eligible(self) -> bool:
        return self.fast_track_on()


class PilotPurchase(models.Model):
    """A pilot purchase (시범구매) of a product by a public body, with the buyer's feedback."""

    application = models.ForeignKey(
        "applications.Application",
        on_delete=models.CASCADE,
        related_name="pilot_purchases",
        verbose_name=_("product (application)"),
    )
    public_body = models.CharField(_("public body"), max_length=200)
    purchased_on = models.DateField(_("purchase date"))
    quantity = models.PositiveIntegerField(_("quantity"))
    amount = models.PositiveBigIntegerField(_("amount (KRW)"))
    feedback = models.TextField(_("buyer's feedback"), blank=True)
    rating = models.PositiveSmallIntegerField(
        _("buyer's rating (1 to 5)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("pilot purchase")
        verbose_name_plural = _("pilot purchases")
        ordering = ["-purchased_on", "-id"]

    def __str__(self) -> str:
        return f"{self.public_body} {self.purchased_on}"


class Objection(models.Model):
    """An objection (이의신청) to a released result, on one of the set grounds."""

    application = models.ForeignKey(
        "applications.Application",
        on_delete=models.CASCADE,
        related_name="objections",
        verbose_name=_("application"),
    )
    ground = models.CharField(_("ground"), max_length=30, choices=ObjectionGround.choices)
    explanation = models.TextField(_("explanation"))
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    filed_at = models.DateTimeField(_("filed"), auto_now_add=True)
    deadline = models.DateTimeField(_("deadline"))
    decision = models.CharField(
        _("decision"),
        max_length=10,
        choices=ObjectionDecision.choices,
        default=ObjectionDecision.PENDING,
        db_index=True,
    )
    decision_reason = models.TextField(_("reasons for the decision"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    class Meta:
        verbose_name = _("objection")
        verbose_name_plural = _("objections")
        ordering = ["-filed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.application}: {self.get_ground_display()}"


def objection_upload_to(instance, filename: str) -> str:
    return f"objections/{timezone.now():%Y/%m}/{uuid.uuid4().hex}"


class ObjectionDocument(models.Model):
    objection = models.ForeignKey(Objection, on_delete=models.CASCADE, related_name="documents")
    file = models.FileField(_("file"), upload_to=objection_upload_to, max_length=200)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("objection document")
        verbose_name_plural = _("objection documents")

    def __str__(self) -> str:
        return self.original_name
