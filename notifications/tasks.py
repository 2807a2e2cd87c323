"""Thin tasks: take ids, call one service, safe to run twice."""

from celery import shared_task

from . import services


@shared_task(ignore_result=True)
def send_notification(*, notification_id: int) -> str:
    """Send one notification by e-mail, once: a second run finds it claimed or sent.

    A failure leaves the row PENDING with its next attempt time; the retry is enqueued with
    that countdown here and, should the broker lose it, taken by the relay."""
    outcome = services.notification_deliver(notification_id=notification_id)
    if outcome.startswith("retry:") and not send_notification.app.conf.task_always_eager:
        services._enqueue(notification_id, countdown=int(outcome.split(":")[1]))
    return outcome


@shared_task(ignore_result=True)
def relay_pending() -> dict:
    """Every minute: send what is still pending or whose worker died mid-send."""
    return services.relay_pending()


@shared_task(ignore_result=True)
def send_daily_digests() -> int:
    """Daily at 08:00 (Asia/Seoul): one e-mail per expert who chose the digest."""
    return services.send_daily_digests()
