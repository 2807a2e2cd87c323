"""The outbox: rows written with the action, sent once, retried with backoff, relayed."""

import datetime as dt
import hashlib

import pytest
from django.db import transaction

from notifications import services, tasks
from notifications.enums import DeliveryState, Event
from notifications.models import Notification
from tests.factories import UserFactory
from tests.factories.notifications import NotificationFactory

from .conftest import T0

pytestmark = pytest.mark.django_db

BROKEN = "tests.notifications.broken_mail.DisconnectingBackend"


def test_notify_writes_one_row_per_recipient_once_per_key(django_capture_on_commit_callbacks):
    a, b = UserFactory(), UserFactory()
    with django_capture_on_commit_callbacks() as callbacks:
        first = services.notify(recipients=[a, b, a, None], event=Event.SCREENING_RESULT, key="7")
        again = services.notify(recipients=[a, b], event=Event.SCREENING_RESULT, key="7")
    assert [n.recipient for n in first] == [a, b]
    assert again == []
    assert Notification.objects.count() == 2
    assert len(callbacks) == 1  # one publish of both sends after commit
    assert Notification.objects.get(recipient=a).idempotency_key == f"screening_result:7:{a.pk}"


def test_notify_rolled_back_with_the_action_sends_nothing(mailoutbox):
    user = UserFactory()
    with pytest.raises(RuntimeError), transaction.atomic():
        services.notify(recipients=[user], event=Event.SCREENING_RESULT, key="x")
        raise RuntimeError("the action failed")
    assert Notification.objects.count() == 0
    assert mailoutbox == []


def test_notify_sends_after_commit_in_the_recipients_language(
    mailoutbox, django_capture_on_commit_callbacks
):
    user = UserFactory(language="ko", name="김민지")
    with django_capture_on_commit_callbacks(execute=True):
        services.notify(
            recipients=[user],
            event=Event.SUBMISSION_RECEIPT,
            key="1",
            context={"reference": "PPIR-2026-00001", "product": "재난감지 센서"},
        )
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.subject == "[PPIR] 신청서 접수 확인: PPIR-2026-00001"
    assert mail.to == [user.email]
    assert mail.body.startswith("김민지 님께,\n\n신청서가 접수되었습니다.")
    assert "접수번호: PPIR-2026-00001 · 재난감지 센서" in mail.body
    html, mimetype = mail.alternatives[0]
    assert mimetype == "text/html"
    assert '<html lang="ko">' in html
    n = Notification.objects.get()
    assert (n.email_state, n.attempts) == (DeliveryState.SENT, 1)
    assert mail.extra_headers["Message-ID"] == services.message_id_for(n)


def test_subject_says_action_required_with_the_deadline_in_both_languages():
    context = {"reference": "PPIR-2026-00042", "deadline": "2026-12-01T09:00:00+00:00"}
    ko = NotificationFactory(event=Event.SUPPLEMENT_REQUESTED, language="ko", context=context)
    en = NotificationFactory(event=Event.SUPPLEMENT_REQUESTED, language="en", context=context)
    assert services.render_email(ko)[0] == (
        "[조치 필요] [PPIR] 보완 요청: PPIR-2026-00042 (기한 2026-12-01 18:00 KST)"
    )
    assert services.render_email(en)[0] == (
        "[Action required] [PPIR] Supplement requested: PPIR-2026-00042 (due 2026-12-01 18:00 KST)"
    )
    assert "Deadline: 2026-12-01 18:00 KST" in services.render_email(en)[1]


@pytest.mark.parametrize("language", ["ko", "en"])
@pytest.mark.parametrize("event", [e for e in Event if e != Event.DAILY_DIGEST])
def test_every_event_has_its_own_subject_text_and_html(event, language):
    n = NotificationFactory(event=event, language=language, context={"reference": "R-1"})
    subject, text, html = services.render_email(n)
    generic = n.get_event_display()
    assert subject.endswith(": R-1")
    assert "[PPIR]" in subject
    assert subject.startswith("[조치 필요]" if language == "ko" else "[Action required]") == (
        n.is_action_required
    )
    assert generic not in text.splitlines()[2]  # the event's own sentence, not the fallback
    assert f'<html lang="{language}">' in html
    assert ("님께" in text) == (language == "ko")


def test_message_id_is_the_same_for_every_attempt():
    n = NotificationFactory(idempotency_key="submission_receipt:1:v1:9")
    first = services.build_message(n).extra_headers["Message-ID"]
    second = services.build_message(n).extra_headers["Message-ID"]
    expected = hashlib.sha256(b"submission_receipt:1:v1:9").hexdigest()[:40]
    assert first == second == f"<{expected}@ppir.example.kr>"


def test_task_run_twice_sends_once(mailoutbox):
    n = NotificationFactory()
    assert tasks.send_notification(notification_id=n.pk) == "sent"
    assert tasks.send_notification(notification_id=n.pk) == "skipped"
    n.refresh_from_db()
    assert len(mailoutbox) == 1
    assert (n.email_state, n.attempts, n.last_error) == (DeliveryState.SENT, 1, "")


def test_backoff_doubles_from_a_minute_up_to_an_hour():
    assert [services.backoff_seconds(a) for a in range(1, 9)] == [
        60,
        120,
        240,
        480,
        960,
        1920,
        3600,
        3600,
    ]


def test_failures_retry_with_backoff_and_end_failed_with_the_error(settings, clock, mailoutbox):
    settings.EMAIL_BACKEND = BROKEN
    n = NotificationFactory()
    outcomes, waits = [], []
    for _ in range(5):
        outcomes.append(services.notification_deliver(notification_id=n.pk))
        n.refresh_from_db()
        if n.next_attempt_at and n.email_state == DeliveryState.PENDING:
            waits.append((n.next_attempt_at - clock.now).total_seconds())
            # not due yet: a task or relay arriving early sends nothing
            assert services.notification_deliver(notification_id=n.pk) == "skipped"
            clock.advance(waits[-1])
    assert outcomes == ["retry:60", "retry:120", "retry:240", "retry:480", "failed"]
    assert waits == [60, 120, 240, 480]
    assert n.email_state == DeliveryState.FAILED
    assert n.attempts == 5
    assert n.last_error == "SMTPServerDisconnected: Connection unexpectedly closed"
    assert services.notification_deliver(notification_id=n.pk) == "skipped"
    assert mailoutbox == []


def test_relay_sends_what_the_broker_never_got_and_only_once(mailoutbox, clock):
    users = UserFactory.create_batch(3)
    # no on-commit callbacks run: as if the broker had been down
    services.notify(recipients=users, event=Event.SCREENING_RESULT, key="9")
    assert Notification.objects.filter(email_state=DeliveryState.PENDING).count() == 3
    assert services.relay_pending() == {"sent": 3}
    assert services.relay_pending() == {}
    assert sorted(m.to[0] for m in mailoutbox) == sorted(u.email for u in users)


def test_relay_reclaims_a_row_whose_worker_died_after_its_lease(mailoutbox, clock, settings):
    settings.NOTIFICATIONS_LEASE_SECONDS = 300
    n = NotificationFactory()
    claimed = services.notification_claim(notification_id=n.pk)
    assert claimed is not None  # the worker claimed it and then died without a word
    n.refresh_from_db()
    assert (n.email_state, n.lease_until) == (DeliveryState.SENDING, T0 + dt.timedelta(seconds=300))
    clock.advance(299)
    assert services.relay_pending() == {}
    clock.advance(2)
    assert services.relay_pending() == {"sent": 1}
    n.refresh_from_db()
    assert (n.email_state, n.attempts, len(mailoutbox)) == (DeliveryState.SENT, 2, 1)


def test_a_worker_whose_lease_was_taken_does_not_mark_sent(clock):
    n = NotificationFactory()
    _, stale_token = services.notification_claim(notification_id=n.pk)
    clock.advance(services.DEFAULT_LEASE_SECONDS + 1)
    assert services.notification_deliver(notification_id=n.pk) == "sent"
    marked = Notification.objects.filter(pk=n.pk, claim_token=stale_token).update(
        email_state=DeliveryState.FAILED
    )
    assert marked == 0


def test_resend_resets_a_failed_row_audits_and_sends(
    officer, mailoutbox, django_capture_on_commit_callbacks
):
    from audit.models import AuditEvent

    n = NotificationFactory(
        email_state=DeliveryState.FAILED, attempts=5, last_error="SMTPServerDisconnected: x"
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.notification_resend(notification=n, by=officer)
    n.refresh_from_db()
    assert (n.email_state, n.attempts) == (DeliveryState.SENT, 1)
    assert len(mailoutbox) == 1
    event = AuditEvent.objects.get(action="notification:resend")
    assert (event.actor, event.from_state, event.to_state) == (officer, "failed", "pending")
    assert event.data["error"] == "SMTPServerDisconnected: x"


def test_enqueue_with_the_broker_down_keeps_the_row_pending(monkeypatch):
    def refuse(*args, **kwargs):
        raise OSError("Error 111 connecting to 127.0.0.1:1. Connection refused.")

    monkeypatch.setattr(tasks.send_notification, "apply_async", refuse)
    n = NotificationFactory()
    services._enqueue(n.pk)
    n.refresh_from_db()
    assert n.email_state == DeliveryState.PENDING


def test_first_failure_waits_a_minute_and_keeps_the_error(settings):
    settings.EMAIL_BACKEND = BROKEN
    n = NotificationFactory()
    assert services.notification_deliver(notification_id=n.pk) == "retry:60"
    n.refresh_from_db()
    assert n.last_error.startswith("SMTPServerDisconnected")
