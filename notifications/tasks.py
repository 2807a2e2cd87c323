from celery import shared_task
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from .enums import DeliveryState
from .models import Notification


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_notification(*, notification_id: int) -> str:
    """Send one notification by e-mail, once: a second run finds it already sent."""
    with transaction.atomic():
        n = (
            Notification.objects.select_for_update()
            .select_related("recipient")
            .filter(pk=notification_id)
            .first()
        )
        if n is None or n.email_state != DeliveryState.PENDING:
            return "skipped"
        with translation.override(n.language):
            ctx = {"n": n, "recipient": n.recipient, **n.context}
            subject = render_to_string("notifications/email/subject.txt", ctx).strip()
            body = render_to_string("notifications/email/body.txt", ctx)
        send_mail(subject, body, None, [n.recipient.email])
        n.email_state = DeliveryState.SENT
        n.attempts += 1
        n.sent_at = timezone.now()
        n.save(update_fields=["email_state", "attempts", "sent_at"])
    return "sent"
