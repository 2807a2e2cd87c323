"""Demo data for this app; see applications/management/commands/seed_demo.py."""

import datetime as dt

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone

from accounts.enums import Role

from .enums import DeliveryState, Event
from .models import Notification, NotificationSettings
from .services import preferences_save

# role → [(event, read?, days until a deadline or None)]
NOTICES = {
    Role.APPLICANT: [
        (Event.SUBMISSION_RECEIPT, True, None),
        (Event.SUPPLEMENT_REQUESTED, False, 7),
        (Event.SCREENING_RESULT, False, None),
    ],
    Role.EXPERT: [
        (Event.REVIEW_INVITATION, False, 5),
        (Event.REVIEW_REMINDER, True, 2),
        (Event.RESULT_RELEASED, True, None),
    ],
    Role.OFFICER: [
        (Event.OBJECTION_RECEIVED, False, None),
        (Event.CONSENSUS_NEEDED, True, 3),
    ],
    Role.PANEL_SECRETARIAT: [(Event.CONSENSUS_NEEDED, False, 3)],
    Role.PPS: [
        (Event.CERTIFICATE_ISSUED, True, None),
        (Event.CATALOGUE_REGISTRATION, False, None),
    ],
}


def _demo_users(ctx) -> dict[str, object]:
    """The demo account of each role (listed by the accounts step), else the first user
    holding the role."""
    User = get_user_model()
    listed = dict(ctx.objects.get("demo_accounts", []))
    users = {}
    for role in NOTICES:
        user = User.objects.filter(groups__name=role, email=listed.get(role, "")).first()
        user = user or User.objects.filter(groups__name=role).order_by("pk").first()
        if user is not None:
            users[role] = user
    return users


def seed_notifications(ctx) -> None:
    """Read and unread notices for each demo account, one failed e-mail officers can resend,
    and the demo expert's preferences with the daily digest on. Idempotent by key."""
    from applications.models import Application

    now = timezone.now()
    application = Application.objects.exclude(reference=None).order_by("pk").first()
    reference = application.reference if application else "PPIR-2026-00001"
    url = (
        f"{settings.SITE_URL}/applications/{application.pk}/"
        if application
        else f"{settings.SITE_URL}/notifications/"
    )
    users = _demo_users(ctx)
    made = 0
    for role, user in users.items():
        for i, (event, read, days) in enumerate(NOTICES[role]):
            context = {"reference": reference, "url": url}
            if days is not None:
                context["deadline"] = (now + dt.timedelta(days=days)).isoformat()
            created_at = now - dt.timedelta(hours=6 * (len(NOTICES[role]) - i))
            _, created = Notification.objects.get_or_create(
                idempotency_key=f"demo:{event}:{user.pk}",
                defaults={
                    "recipient": user,
                    "event": event,
                    "context": context,
                    "language": user.language or "ko",
                    "application": application,
                    "email_state": DeliveryState.SENT,
                    "attempts": 1,
                    "sent_at": created_at,
                    "read_at": created_at + dt.timedelta(hours=1) if read else None,
                },
            )
            made += created
    applicant = users.get(Role.APPLICANT)
    if applicant is not None:
        _, created = Notification.objects.get_or_create(
            idempotency_key=f"demo:failed:{applicant.pk}",
            defaults={
                "recipient": applicant,
                "event": Event.SCREENING_RESULT,
                "context": {"reference": reference, "url": url},
                "language": applicant.language or "ko",
                "application": application,
                "email_state": DeliveryState.FAILED,
                "attempts": 5,
                "last_error": (
                    "SMTPRecipientsRefused: {'"
                    + applicant.email
                    + "': (550, b'5.1.1 Mailbox unavailable')}"
                ),
                "in_app": False,
            },
        )
        made += created
    expert = users.get(Role.EXPERT)
    if expert is not None and not NotificationSettings.objects.filter(user=expert).exists():
        preferences_save(
            user=expert,
            choices={Event.RESULT_RELEASED: {"email": True, "in_app": True}},
            daily_digest=True,
        )
    ctx.say(f"Notifications: {made} demo notices for {len(users)} accounts.")
