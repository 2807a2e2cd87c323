"""The assignment task through a real Redis broker and a Celery worker, on PostgreSQL:
launched by the service after commit, computed by the worker, seen by the progress page."""

import os
import time

import pytest
from django.urls import reverse

from panels.enums import AssignmentRunState, AssignmentState
from panels.models import Assignment
from panels.services import assignment_run_launch

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def celery_worker_on_redis():
    from celery.contrib.testing.worker import start_worker

    from ppir.celery import app

    broker = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/4"
    saved = {
        key: app.conf.get(key) for key in ("broker_url", "result_backend", "task_always_eager")
    }
    app.conf.update(broker_url=broker, result_backend=broker, task_always_eager=False)
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, loglevel="WARNING"):
            yield app
    finally:
        app.conf.update(**saved)


def test_worker_computes_the_proposal(celery_worker_on_redis, small_world, officer_user, client):
    assert celery_worker_on_redis.conf.task_always_eager is False
    run = assignment_run_launch(round=small_world["round"], by=officer_user)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        run.refresh_from_db()
        if run.state not in (AssignmentRunState.QUEUED, AssignmentRunState.RUNNING):
            break
        time.sleep(0.2)
    assert run.state == AssignmentRunState.PROPOSED
    assert Assignment.objects.filter(run=run, state=AssignmentState.PROPOSED).count() == 6
    client.force_login(officer_user)
    response = client.get(reverse("panels:assignment_run_progress", args=[run.pk]))
    assert response["HX-Refresh"] == "true"
