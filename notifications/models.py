from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from .enums import DEADLINE_EVENTS, DeliveryState, Event, SkipReason


class Notification(models.Model):
    """An outbox row: written in the same transaction as the action that causes it, then
    delivered by e-mail by a Celery task; also the in-app notice.

    E-mail life: PENDING → (claim) SENDING → SENT, or back to PENDING with a later
    `next_attempt_at` after a failure, and FAILED after the last attempt. A SENDING row whose
    lease ran out (the worker died mid-send) is claimed again by the relay."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("recipient"),
    )
    event = models.CharField(_("event"), max_length=40, choices=Event.choices)
    context = models.JSONField(_("context"), default=dict, blank=True)
    language = models.CharField(_("language"), max_length=2, default="ko")
    idempotency_key = models.CharField(_("idempotency key"), max_length=200, unique=True)
    application = models.ForeignKey(
        "applications.Application",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    email_state = models.CharField(
        _("e-mail"),
        max_length=10,
        choices=DeliveryState.choices,
        default=DeliveryState.PENDING,
        db_index=True,
    )
    skip_reason = models.CharField(
        _("why not e-mailed"), max_length=12, choices=SkipReason.choices, blank=True
    )
    in_app = models.BooleanField(_("shown in the notification centre"), default=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    lease_until = models.DateTimeField(_("claimed until"), null=True, blank=True)
    claim_token = models.CharField(_("claim"), max_length=32, blank=True)
    digest = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="digested",
        verbose_name=_("sent in digest"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["recipient", "read_at"],
                name="notif_unread_idx",
                condition=models.Q(in_app=True),
            ),
            models.Index(fields=["email_state", "next_attempt_at"], name="notif_outbox_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_event_display()} → {self.recipient}"

    @property
    def link(self) -> str:
        return str(self.context.get("url") or "")

    @property
    def reference(self) -> str:
        return str(self.context.get("reference") or "")

    @property
    def is_action_required(self) -> bool:
        from .enums import ACTION_EVENTS

        return self.event in ACTION_EVENTS


class NotificationPreference(models.Model):
    """One person's choice for one event type: e-mail and/or in-app."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_preferences",
        verbose_name=_("user"),
    )
    event = models.CharField(_("event"), max_length=40, choices=Event.choices)
    email = models.BooleanField(_("e-mail"), default=True)
    in_app = models.BooleanField(_("in the notification centre"), default=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [
            models.UniqueConstraint(fields=["user", "event"], name="uniq_notification_pref"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_event_display()}"

    def clean(self):
        if self.event in DEADLINE_EVENTS and not self.email:
            raise ValidationError(
                {
                    "email": _(
                        "This notice carries a deadline, so its e-mail cannot be switched off."
                    )
                }
            )


class NotificationSettings(models.Model):
    """Per-person delivery settings that are not per event (the expert's daily digest)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_settings",
        verbose_name=_("user"),
    )
    daily_digest = models.BooleanField(
        _("daily digest"),
        default=False,
        help_text=_("One e-mail each morning at 08:00 instead of single e-mails."),
    )

    class Meta:
        verbose_name = _("notification settings")
        verbose_name_plural = _("notification settings")

    def __str__(self) -> str:
        return str(self.user)


class ProgrammeEventSwitch(models.Model):
    """An officer's programme-wide switch for one event type."""

    event = models.CharField(_("event"), max_length=40, choices=Event.choices, unique=True)
    enabled = models.BooleanField(_("sent"), default=True)
    note = models.CharField(_("reason"), max_length=300, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("changed by"),
    )
    changed_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        verbose_name = _("programme-wide notice switch")
        verbose_name_plural = _("programme-wide notice switches")
        ordering = ["event"]

    def __str__(self) -> str:
        return self.get_event_display()

    def clean(self):
        if self.event in DEADLINE_EVENTS and not self.enabled:
            raise ValidationError(
                {
                    "enabled": _(
                        "This notice carries a deadline; it cannot be switched off for the "
                        "programme."
                    )
                }
            )
