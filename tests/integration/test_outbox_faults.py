"""The outbox under faults, with real services: a private redis-server, Celery worker
processes on the PostgreSQL test database, and SMTP delivery to a sink that counts.

Run with `-s` to see the figures."""

import time

import pytest
from django.db import transaction
from django.urls import reverse

from applications.enums import ApplicationState
from notifications import services, tasks
from notifications.enums import DeliveryState, Event
from notifications.models import Notification
from tests.factories import UserFactory
from tests.factories.applicant import eligible_application

from .outbox_kit import (
    RedisServer,
    SmtpSink,
    Worker,
    require_postgresql,
    wait_for,
    web_celery_on,
    worker_env,
)

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

LEASE = 3


@pytest.fixture(scope="module")
def redis_server():
    server = RedisServer().start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def sink():
    server = SmtpSink().start()
    yield server
    server.stop()


@pytest.fixture
def real_services(transactional_db, redis_server, sink):
    require_postgresql()
    if not redis_server.ping():
        redis_server.start()
    sink.deliveries.clear()
    workers: list[Worker] = []

    def start_worker(name: str) -> Worker:
        worker = Worker(worker_env(redis=redis_server, sink=sink, lease=LEASE), name)
        workers.append(worker)
        return worker

    yield start_worker
    for worker in workers:
        worker.stop()


def _states(**filters) -> dict[str, int]:
    out: dict[str, int] = {}
    for state in Notification.objects.filter(**filters).values_list("email_state", flat=True):
        out[state] = out.get(state, 0) + 1
    return out


@pytest.mark.urls("tests.integration.outbox_urls")
def test_redis_stopped_during_submission_keeps_it_and_relays_once(
    real_services, redis_server, sink, client
):
    worker = real_services("w-outage")
    application = eligible_application()
    client.force_login(application.created_by)
    # a running server has its modules imported: warm up so the timing is the request's own
    assert client.get(reverse("applications:detail", args=[application.pk])).status_code == 200
    with web_celery_on(redis_server):
        redis_server.stop()
        started = time.monotonic()
        response = client.post(reverse("fault_test_submit", args=[application.pk]))
        elapsed = time.monotonic() - started
        assert response.status_code == 302, response.content[:500]
        assert elapsed < 3, f"the submit page took {elapsed:.1f} s with Redis down"
        assert client.get(response["Location"]).status_code == 200

        application.refresh_from_db()
        assert application.state == ApplicationState.SUBMITTED
        assert application.reference
        receipts = Notification.objects.filter(application=application)
        owners = sorted(m.user.email for m in application.organisation.memberships.all())
        assert sorted(receipts.values_list("recipient__email", flat=True)) == owners
        assert set(receipts.values_list("event", "email_state", "attempts")) == {
            (Event.SUBMISSION_RECEIPT, DeliveryState.PENDING, 0)
        }
        time.sleep(2)
        assert set(receipts.values_list("email_state", flat=True)) == {DeliveryState.PENDING}
        assert sink.count() == 0

        redis_server.start()  # same port: the worker reconnects by itself
        tasks.relay_pending.delay()
        wait_for(
            lambda: not receipts.exclude(email_state=DeliveryState.SENT).exists(),
            60,
            "the relay to send the pending receipts",
        )
        tasks.relay_pending.delay()  # a second relay finds nothing to do
        time.sleep(2)
    expected = {services.message_id_for(n): 1 for n in receipts}
    deliveries = sink.per_message_id()
    print(
        f"\n[outbox fault a] Redis down during submission: page {response.status_code} in "
        f"{elapsed:.2f} s, {len(expected)} receipt(s) kept {DeliveryState.PENDING} while down; "
        f"after Redis returned: sent={receipts.filter(email_state=DeliveryState.SENT).count()} "
        f"deliveries={sink.count()} duplicates={sink.count() - sink.distinct()} "
        f"lost={len(set(expected) - set(deliveries))}"
    )
    assert deliveries == expected
    assert set(receipts.values_list("email_state", "attempts")) == {(DeliveryState.SENT, 1)}
    assert sorted(d.to[0] for d in sink.deliveries) == owners
    worker.stop()


@pytest.mark.parametrize("killed_at", ["rcpt", "data"])
def test_worker_killed_while_sending_loses_and_doubles_nothing(
    real_services, redis_server, sink, killed_at
):
    """`rcpt`: killed before the receiver has the message. `data`: killed after the receiver
    has it but before the worker heard "250" and marked the row SENT: the relay sends it
    again with the same Message-ID (SMTP is at-least-once); the receiver keeps one."""
    count = 20
    first = real_services(f"w-doomed-{killed_at}")
    sink.arm(killed_at)
    users = UserFactory.create_batch(count)
    with web_celery_on(redis_server):
        with transaction.atomic():
            services.notify(recipients=users, event=Event.SCREENING_RESULT, key=killed_at)
        wait_for(sink.stalled.is_set, 30, "the first send to reach the sink")
        first.kill()
        sink.release.set()
        in_flight = _states()
        assert in_flight.get(DeliveryState.SENDING) == 1, in_flight

        real_services(f"w-survivor-{killed_at}")
        wait_for(
            lambda: _states() == {DeliveryState.SENT: count - 1, DeliveryState.SENDING: 1},
            60,
            "the survivor to send all but the dead worker's notification",
        )
        stuck = Notification.objects.get(email_state=DeliveryState.SENDING)
        time.sleep(LEASE + 0.5)  # the dead worker's lease runs out
        tasks.relay_pending.delay()
        wait_for(
            lambda: Notification.objects.filter(email_state=DeliveryState.SENT).count() == count,
            60,
            "every notification to be SENT",
        )
    stuck.refresh_from_db()
    per_id = sink.per_message_id()
    expected_ids = {services.message_id_for(n) for n in Notification.objects.all()}
    raw_duplicates = sink.count() - sink.distinct()
    lost = len(expected_ids - set(per_id))
    print(
        f"\n[outbox fault b/{killed_at}] worker SIGKILLed mid-send: queued={count} "
        f"sent={_states().get(DeliveryState.SENT)} receiver-deliveries={sink.count()} "
        f"distinct-Message-IDs={sink.distinct()} raw-duplicates={raw_duplicates} "
        f"duplicates-after-Message-ID-dedup=0 lost={lost} "
        f"(reclaimed row: attempts={stuck.attempts})"
    )
    assert lost == 0
    assert set(per_id) == expected_ids
    assert sink.distinct() == count
    assert stuck.attempts == 2
    assert _states() == {DeliveryState.SENT: count}
    assert raw_duplicates == (1 if killed_at == "data" else 0)
    if killed_at == "data":
        assert per_id[services.message_id_for(stuck)] == 2
    by_recipient = {}
    for delivery in sink.deliveries:
        by_recipient.setdefault(delivery.to[0], set()).add(delivery.message_id)
    assert {email: len(ids) for email, ids in by_recipient.items()} == {u.email: 1 for u in users}
