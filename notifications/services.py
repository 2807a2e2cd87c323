"""The outbox: notify() writes rows inside the caller's transaction; delivery is after commit."""

import logging

from django.db import transaction

from .models import Notification

log = logging.getLogger(__name__)


def _enqueue(notification_id: int) -> None:
    from .tasks import send_notification

    try:
        send_notification.delay(notification_id=notification_id)
    except Exception:  # noqa: BLE001 - the broker may be down; the relay delivers later
        log.warning("broker unavailable; notification %s stays pending", notification_id)


def notify(
    *, recipients, event: str, key: str, context: dict | None = None, application=None
) -> list[Notification]:
    """Write one outbox row per recipient and send each after commit.

    `key` makes the call idempotent: the same event for the same recipient and key is
    written once, however often the calling action is retried."""
    created = []
    for user in {u.pk: u for u in recipients if u is not None}.values():
        notification, is_new = Notification.objects.get_or_create(
            idempotency_key=f"{event}:{key}:{user.pk}",
            defaults={
                "recipient": user,
                "event": event,
                "context": context or {},
                "language": getattr(user, "language", "ko") or "ko",
                "application": application,
            },
        )
        if is_new:
            created.append(notification)
            transaction.on_commit(lambda pk=notification.pk: _enqueue(pk))
    return created
