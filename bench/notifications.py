"""Load benchmark (not a timed test): notifications for 3,000 experts queued in one action
and sent through a real Celery worker on Redis and PostgreSQL, to an SMTP sink that counts.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ppir_bench .venv/bin/python \\
        bench/notifications.py [--experts 3000] [--concurrency 2]

It migrates the database named in DATABASE_URL (create it first), starts its own
redis-server on a free port and stops it at the end; the shared Redis is never touched.
Prints the time to queue, the time until the last one was sent, and whether the count sent
equals the count queued."""

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ["DJANGO_SETTINGS_MODULE"] = "ppir.settings.test"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--experts", type=int, default=3000)
    parser.add_argument("--concurrency", type=int, default=2)
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit(
            "Set DATABASE_URL to a PostgreSQL database, e.g. .../ppir_bench (create it first)."
        )

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import transaction

    call_command("migrate", verbosity=0, interactive=False)

    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from accounts.enums import Role
    from notifications import services
    from notifications.enums import DeliveryState, Event
    from notifications.models import Notification
    from tests.integration.outbox_kit import (
        RedisServer,
        SmtpSink,
        Worker,
        wait_for,
        web_celery_on,
        worker_env,
    )

    User = get_user_model()
    group, _ = Group.objects.get_or_create(name=Role.EXPERT)
    existing = User.objects.filter(email__startswith="bench-expert-").count()
    if existing < args.experts:
        User.objects.bulk_create(
            [
                User(email=f"bench-expert-{i:05d}@example.kr", name=f"평가위원{i}", language="ko")
                for i in range(existing, args.experts)
            ]
        )
    experts = list(User.objects.filter(email__startswith="bench-expert-").order_by("email"))
    experts = experts[: args.experts]
    Notification.objects.filter(recipient__in=experts).delete()

    redis = RedisServer().start()
    sink = SmtpSink().start()
    worker = None
    try:
        env = worker_env(redis=redis, sink=sink, lease=300, conn_max_age=60)
        worker = Worker(env, "bench", pool=("--pool=prefork", f"--concurrency={args.concurrency}"))
        with web_celery_on(redis):
            run = str(int(time.time()))
            started = time.monotonic()
            with transaction.atomic():
                rows = services.notify(
                    recipients=experts,
                    event=Event.REVIEW_INVITATION,
                    key=f"bench:{run}",
                    context={"reference": "PPIR-2026-BENCH", "deadline": "2026-12-10"},
                )
            queued_in = time.monotonic() - started
            queued = len(rows)

            def sent() -> int:
                return Notification.objects.filter(
                    recipient__in=experts, email_state=DeliveryState.SENT
                ).count()

            wait_for(lambda: sent() == queued, 1800, "every notification to be sent", 0.5)
            total = time.monotonic() - started
        failed = Notification.objects.filter(
            recipient__in=experts, email_state=DeliveryState.FAILED
        ).count()
        print(f"experts: {len(experts)}; worker: prefork, concurrency {args.concurrency}")
        print(f"queued: {queued} rows written and enqueued in {queued_in:.1f} s (one transaction)")
        print(f"sent: {sent()} in {total:.1f} s from the start ({queued / total:.0f} per second)")
        print(
            f"receiver: {sink.count()} deliveries, {sink.distinct()} distinct Message-IDs; "
            f"failed: {failed}"
        )
        ok = sent() == queued == sink.distinct() == len(experts) and failed == 0
        print("count sent equals count queued: " + ("yes" if ok else "NO"))
        return 0 if ok else 1
    finally:
        if worker is not None:
            worker.stop()
        sink.stop()
        redis.stop()


if __name__ == "__main__":
    sys.exit(main())
