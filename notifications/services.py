"""The outbox.

notify() writes rows inside the caller's transaction and enqueues delivery after commit.
Delivery is claim → send → mark, each step its own short transaction, so a worker that dies
mid-send leaves a SENDING row whose lease runs out and which the relay claims again. The
e-mail's Message-ID is derived from the idempotency key, so a receiver that sees the same
message twice (SMTP is at-least-once) can tell it is the same notice. See
docs/decisions/0005-transactional-outbox.md."""

import datetime as dt
import hashlib
import logging
import uuid

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import select_template
from django.utils import timezone, translation
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.functional import Promise, lazy

from .enums import DEADLINE_EVENTS, USER_EVENTS, DeliveryState, Event, SkipReason
from .models import (
    Notification,
    NotificationPreference,
    NotificationSettings,
    ProgrammeEventSwitch,
)

log = logging.getLogger(__name__)

# Seconds; overridable in settings so fault tests can use short leases.
DEFAULT_LEASE_SECONDS = 300
DEFAULT_MAX_ATTEMPTS = 5
DEFAULT_BACKOFF_BASE = 60
DEFAULT_BACKOFF_MAX = 3600


class Localized:
    """A sentence kept as its msgid and parameters until notify() writes each recipient's
    row, and only then put into that recipient's language: the officer who acts may read
    English while the applicant reads Korean. `text` is a gettext_lazy string; parameters
    may be lazy too (choice labels)."""

    def __init__(self, text, **params):
        self.text = text
        self.params = params

    def render(self) -> str:
        params = {key: _in_language(value) for key, value in self.params.items()}
        return str(self.text) % params if params else str(self.text)


def product_name(application):
    """The application's product name in the recipient's language (the English name where
    the applicant gave one), rendered by notify() like any other lazy string."""
    return lazy(lambda: application.display_product_name, str)()


def _in_language(value):
    """Render lazy strings and Localized sentences in the active language, recursively."""
    if isinstance(value, Localized):
        return value.render()
    if isinstance(value, Promise):
        return str(value)
    if isinstance(value, dict):
        return {key: _in_language(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_in_language(item) for item in value]
    return value


def _context_for(context: dict, language: str) -> dict:
    with translation.override(language):
        return _in_language(context)


def _setting(name: str, default):
    return getattr(settings, name, default)


def backoff_seconds(attempts: int) -> int:
    """Wait before the next attempt after `attempts` failed ones: 60, 120, 240, … capped."""
    base = _setting("NOTIFICATIONS_BACKOFF_BASE", DEFAULT_BACKOFF_BASE)
    cap = _setting("NOTIFICATIONS_BACKOFF_MAX", DEFAULT_BACKOFF_MAX)
    return int(min(base * 2 ** max(attempts - 1, 0), cap))


def _enqueue(notification_id: int, countdown: int | None = None) -> None:
    from .tasks import send_notification

    try:
        send_notification.apply_async(
            kwargs={"notification_id": notification_id}, countdown=countdown
        )
    except Exception:  # noqa: BLE001 - the broker may be down; the relay delivers later
        log.warning("broker unavailable; notification %s stays pending", notification_id)


# --- writing rows -------------------------------------------------------------------------


def _switched_off_events() -> set[str]:
    return set(ProgrammeEventSwitch.objects.filter(enabled=False).values_list("event", flat=True))


def _delivery_plan(users: list, event: str) -> dict[int, tuple[str, str, bool]]:
    """user id → (e-mail state, skip reason, in-app) for one event, in three queries."""
    programme_off = event in _switched_off_events() and event not in DEADLINE_EVENTS
    ids = [u.pk for u in users]
    prefs = {
        p.user_id: p for p in NotificationPreference.objects.filter(user_id__in=ids, event=event)
    }
    digest_users = set(
        NotificationSettings.objects.filter(user_id__in=ids, daily_digest=True).values_list(
            "user_id", flat=True
        )
    )
    plan = {}
    for user in users:
        pref = prefs.get(user.pk)
        if programme_off:
            plan[user.pk] = (DeliveryState.SKIPPED, SkipReason.PROGRAMME, False)
            continue
        in_app = pref.in_app if pref else True
        wants_email = (pref.email if pref else True) or event in DEADLINE_EVENTS
        if not wants_email:
            plan[user.pk] = (DeliveryState.SKIPPED, SkipReason.USER, in_app)
        elif not user.email:
            plan[user.pk] = (DeliveryState.SKIPPED, SkipReason.NO_ADDRESS, in_app)
        elif user.pk in digest_users and event != Event.DAILY_DIGEST:
            plan[user.pk] = (DeliveryState.DIGEST, SkipReason.NONE, in_app)
        else:
            plan[user.pk] = (DeliveryState.PENDING, SkipReason.NONE, in_app)
    return plan


def notify(
    *,
    recipients,
    event: str,
    key: str,
    context: dict | None = None,
    application=None,
    in_app: bool = True,
) -> list[Notification]:
    """Write one outbox row per recipient and send each after commit.

    1. work out each recipient's delivery from the programme switch, their preference for
       this event (deadline notices are always e-mailed) and their digest setting;
    2. write the row (SKIPPED e-mails are recorded, never dropped);
    3. after the caller's transaction commits, enqueue the e-mail; a broker that is down is
       logged and the relay sends later.

    `key` makes the call idempotent: the same event for the same recipient and key is
    written once, however often the calling action is retried. `in_app=False` writes an
    e-mail-only row (the digest)."""
    users = list({u.pk: u for u in recipients if u is not None}.values())
    if not users:
        return []
    plan = _delivery_plan(users, event)
    keys = {user.pk: f"{event}:{key}:{user.pk}" for user in users}
    with transaction.atomic():
        existing = set(
            Notification.objects.filter(idempotency_key__in=keys.values()).values_list(
                "idempotency_key", flat=True
            )
        )
        rows = [
            Notification(
                recipient=user,
                event=event,
                context=_context_for(context or {}, _language(user)),
                language=_language(user),
                application=application,
                email_state=plan[user.pk][0],
                skip_reason=plan[user.pk][1],
                in_app=plan[user.pk][2] and in_app,
                idempotency_key=keys[user.pk],
            )
            for user in users
            if keys[user.pk] not in existing
        ]
        try:
            with transaction.atomic():
                created = Notification.objects.bulk_create(rows)
        except IntegrityError:
            # Another transaction wrote some of the same keys meanwhile: one by one.
            created = [_create_once(row) for row in rows]
            created = [row for row in created if row is not None]
        to_send = [n.pk for n in created if n.email_state == DeliveryState.PENDING]
        if to_send:
            transaction.on_commit(lambda: _enqueue_many(to_send))
    return created


def _language(user) -> str:
    return getattr(user, "language", "ko") or "ko"


def _create_once(row: Notification) -> Notification | None:
    try:
        with transaction.atomic():
            row.save(force_insert=True)
    except IntegrityError:
        return None
    return row


def _enqueue_many(ids: list[int]) -> None:
    """Publish the sends after commit; at the first refusal the broker is taken to be down,
    the rest are not tried (each try costs a connect timeout) and the relay sends later."""
    from .tasks import send_notification

    for pk in ids:
        try:
            send_notification.apply_async(kwargs={"notification_id": pk})
        except Exception:  # noqa: BLE001 - the broker may be down; the relay delivers later
            log.warning("broker unavailable; %d notifications stay pending", len(ids))
            return


# --- rendering ----------------------------------------------------------------------------


def message_id_for(notification: Notification) -> str:
    """The same Message-ID for every attempt of one notification: receivers dedup on it."""
    digest = hashlib.sha256(notification.idempotency_key.encode()).hexdigest()[:40]
    domain = _setting("NOTIFICATIONS_MESSAGE_ID_DOMAIN", "ppir.example.kr")
    return f"<{digest}@{domain}>"


def format_deadline(value) -> str:
    """An ISO date or datetime from a context → "2026-12-01" or "2026-12-01 18:00 KST"."""
    if not value:
        return ""
    if isinstance(value, dt.datetime):
        parsed = value
    elif isinstance(value, dt.date):
        return value.isoformat()
    else:
        text = str(value)
        day = parse_date(text) if len(text) == 10 else None
        if day is not None:
            return day.isoformat()
        parsed = parse_datetime(text)
        if parsed is None:
            return text
    if timezone.is_aware(parsed):
        parsed = timezone.localtime(parsed)
    # Deadlines are Seoul time; say so for readers elsewhere.
    return parsed.strftime("%Y-%m-%d %H:%M KST")


def render_email(notification: Notification) -> tuple[str, str, str]:
    """Subject, text body and HTML body in the recipient's language."""
    lang = notification.language if notification.language in ("ko", "en") else "ko"
    ctx = {
        "n": notification,
        "recipient": notification.recipient,
        "name": notification.recipient.get_full_name(),
        "site_url": _setting("SITE_URL", ""),
        **notification.context,
    }
    ctx["deadline"] = format_deadline(notification.context.get("deadline"))
    with translation.override(lang):
        if notification.event == Event.DAILY_DIGEST:
            ctx["items"] = [
                {
                    **item,
                    "label": str(Event(item["event"]).label),
                    "deadline": format_deadline(item.get("deadline")),
                }
                for item in notification.context.get("items", [])
            ]
        parts = []
        for suffix in ("subject.txt", "txt", "html"):
            template = select_template(
                [
                    f"notifications/email/{lang}/{notification.event}.{suffix}",
                    f"notifications/email/{notification.event}.{suffix}",
                    f"notifications/email/generic.{suffix}",
                ]
            )
            parts.append(template.render(ctx))
    subject = " ".join(parts[0].split())
    return subject, parts[1].strip() + "\n", parts[2]


def build_message(notification: Notification) -> EmailMultiAlternatives:
    subject, text, html = render_email(notification)
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        to=[notification.recipient.email],
        headers={
            "Message-ID": message_id_for(notification),
            "X-PPIR-Notification": notification.idempotency_key,
        },
    )
    message.attach_alternative(html, "text/html")
    return message


# --- delivery -----------------------------------------------------------------------------


def _claimable(now: dt.datetime) -> Q:
    due = Q(email_state=DeliveryState.PENDING) & (
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    )
    expired = Q(email_state=DeliveryState.SENDING, lease_until__lt=now)
    return due | expired


def notification_claim(*, notification_id: int) -> tuple[Notification, str] | None:
    """Claim one row for sending: PENDING (due) or SENDING with an expired lease → SENDING.

    Its own transaction, committed before the e-mail goes out; a row another worker holds
    is skipped, not waited for."""
    now = timezone.now()
    lease = _setting("NOTIFICATIONS_LEASE_SECONDS", DEFAULT_LEASE_SECONDS)
    with transaction.atomic():
        n = (
            Notification.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("recipient")
            .filter(_claimable(now), pk=notification_id)
            .first()
        )
        if n is None:
            return None
        token = uuid.uuid4().hex
        n.email_state = DeliveryState.SENDING
        n.lease_until = now + dt.timedelta(seconds=lease)
        n.claim_token = token
        n.attempts += 1
        n.save(update_fields=["email_state", "lease_until", "claim_token", "attempts"])
    return n, token


def notification_deliver(*, notification_id: int) -> str:
    """Send one notification if it is due, once.

    1. claim it (see notification_claim); nothing to claim → "skipped";
    2. render in the recipient's language and send, Message-ID fixed per notification;
    3. success: SENT, only if this claim still holds the row;
    4. failure: back to PENDING with exponential backoff, or FAILED after the last attempt,
       the error kept; returns the delay so the task can enqueue the retry."""
    claimed = notification_claim(notification_id=notification_id)
    if claimed is None:
        return "skipped"
    n, token = claimed
    try:
        build_message(n).send(fail_silently=False)
    except Exception as exc:  # noqa: BLE001 - any failure is recorded and retried
        return _record_failure(n, token, f"{type(exc).__name__}: {exc}")
    marked = Notification.objects.filter(
        pk=n.pk, claim_token=token, email_state=DeliveryState.SENDING
    ).update(email_state=DeliveryState.SENT, sent_at=timezone.now(), lease_until=None)
    if not marked:
        # The lease ran out and another worker took the row: it sends with the same
        # Message-ID, which the receiver dedups.
        log.warning("notification %s: lease lost while sending", n.pk)
        return "lease-lost"
    if n.event == Event.DAILY_DIGEST:
        Notification.objects.filter(digest=n).update(
            email_state=DeliveryState.DIGESTED, sent_at=timezone.now()
        )
    return "sent"


def _record_failure(n: Notification, token: str, error: str) -> str:
    max_attempts = _setting("NOTIFICATIONS_MAX_ATTEMPTS", DEFAULT_MAX_ATTEMPTS)
    now = timezone.now()
    rows = Notification.objects.filter(
        pk=n.pk, claim_token=token, email_state=DeliveryState.SENDING
    )
    if n.attempts >= max_attempts:
        rows.update(email_state=DeliveryState.FAILED, last_error=error[:2000], lease_until=None)
        log.error("notification %s failed for good: %s", n.pk, error)
        return "failed"
    delay = backoff_seconds(n.attempts)
    rows.update(
        email_state=DeliveryState.PENDING,
        last_error=error[:2000],
        lease_until=None,
        next_attempt_at=now + dt.timedelta(seconds=delay),
    )
    return f"retry:{delay}"


def due_notification_ids(*, limit: int = 500, now: dt.datetime | None = None) -> list[int]:
    now = now or timezone.now()
    return list(
        Notification.objects.filter(_claimable(now))
        .order_by("created_at", "id")
        .values_list("pk", flat=True)[:limit]
    )


def relay_pending(*, limit: int | None = None) -> dict[str, int]:
    """Deliver every due row: pending ones whose task never ran (broker down, lost message),
    retries whose wait is over, and SENDING rows whose worker died. Claims skip rows that
    another worker holds, so relays may overlap."""
    limit = limit or _setting("NOTIFICATIONS_RELAY_BATCH", 500)
    counts: dict[str, int] = {}
    for pk in due_notification_ids(limit=limit):
        outcome = notification_deliver(notification_id=pk).split(":")[0]
        counts[outcome] = counts.get(outcome, 0) + 1
    return counts


def notification_resend(*, notification: Notification, by) -> Notification:
    """An officer sends a failed (or skipped) notification again.

    1. reset the row to PENDING with no attempts or wait;
    2. audit row (who, which notice, the error it had);
    3. enqueue after commit."""
    from audit.services import audit_record

    with transaction.atomic():
        n = Notification.objects.select_for_update().get(pk=notification.pk)
        if n.email_state in (DeliveryState.SENT, DeliveryState.SENDING, DeliveryState.DIGESTED):
            return n
        previous = n.email_state
        error = n.last_error
        n.email_state = DeliveryState.PENDING
        n.attempts = 0
        n.next_attempt_at = None
        n.lease_until = None
        n.claim_token = ""
        n.skip_reason = SkipReason.NONE
        n.save(
            update_fields=[
                "email_state",
                "attempts",
                "next_attempt_at",
                "lease_until",
                "claim_token",
                "skip_reason",
            ]
        )
        audit_record(
            action="notification:resend",
            actor=by,
            application=n.application,
            obj=n,
            from_state=previous,
            to_state=DeliveryState.PENDING,
            data={"event": n.event, "recipient": n.recipient_id, "error": error[:500]},
        )
        transaction.on_commit(lambda: _enqueue(n.pk))
    return n


# --- digest -------------------------------------------------------------------------------


def _digest_item(n: Notification) -> dict:
    return {
        "event": n.event,
        "reference": n.context.get("reference", ""),
        "product": n.context.get("product", ""),
        "url": n.context.get("url", ""),
        "deadline": n.context.get("deadline", ""),
        "message": n.context.get("message", ""),
    }


def digest_send(*, user, today: dt.date | None = None) -> Notification | None:
    """Gather one person's held notices into one digest row, sent like any other.

    Rows are locked and moved in one transaction, so two runs cannot gather the same notice
    twice; the digest row's idempotency key names the last notice it holds."""
    today = today or timezone.localdate()
    with transaction.atomic():
        held = list(
            Notification.objects.select_for_update(skip_locked=True)
            .filter(recipient=user, email_state=DeliveryState.DIGEST, digest__isnull=True)
            .order_by("created_at", "id")
        )
        if not held:
            return None
        from .enums import ACTION_EVENTS

        held.sort(key=lambda n: (n.event not in ACTION_EVENTS, n.created_at))
        items = [_digest_item(n) for n in held]
        rows = notify(
            recipients=[user],
            event=Event.DAILY_DIGEST,
            key=f"{today.isoformat()}:{max(n.pk for n in held)}",
            context={"items": items, "count": len(items), "date": today.isoformat()},
            in_app=False,
        )
        if not rows:
            return None
        Notification.objects.filter(pk__in=[n.pk for n in held]).update(digest=rows[0])
    return rows[0]


def send_daily_digests(*, today: dt.date | None = None) -> int:
    from django.contrib.auth import get_user_model

    users = (
        get_user_model()
        .objects.filter(
            notifications__email_state=DeliveryState.DIGEST, notifications__digest__isnull=True
        )
        .distinct()
    )
    return sum(1 for user in users if digest_send(user=user, today=today) is not None)


# --- in-app -------------------------------------------------------------------------------


def notification_mark_read(*, notification: Notification, by) -> Notification:
    if notification.recipient_id != by.pk:
        raise PermissionError("not the recipient")
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=notification.read_at
        )
    return notification


def notifications_mark_all_read(*, by) -> int:
    return Notification.objects.filter(recipient=by, in_app=True, read_at__isnull=True).update(
        read_at=timezone.now()
    )


# --- preferences --------------------------------------------------------------------------


def preferences_save(*, user, choices: dict[str, dict[str, bool]], daily_digest: bool) -> None:
    """Store one person's choices: {event: {"email": bool, "in_app": bool}}.

    Deadline notices keep their e-mail whatever was sent; the digest is for experts only."""
    from accounts.enums import Role

    with transaction.atomic():
        for event in USER_EVENTS:
            choice = choices.get(event, {})
            email = bool(choice.get("email", True)) or event in DEADLINE_EVENTS
            NotificationPreference.objects.update_or_create(
                user=user,
                event=event,
                defaults={"email": email, "in_app": bool(choice.get("in_app", True))},
            )
        NotificationSettings.objects.update_or_create(
            user=user,
            defaults={"daily_digest": bool(daily_digest) and user.has_role(Role.EXPERT)},
        )
