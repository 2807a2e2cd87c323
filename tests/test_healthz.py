import json
import socket

import pytest
from django.db import OperationalError

from ppir import views

pytestmark = pytest.mark.django_db


def closed_port() -> int:
    """A local port nothing listens on: bind one, then let it go."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_healthz_without_broker_reports_database_only(client, settings):
    settings.REDIS_URL = ""
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert json.loads(response.content) == {"status": "ok", "database": "ok"}


def test_healthz_with_eager_tasks_ignores_the_broker(client, settings):
    settings.REDIS_URL = f"redis://127.0.0.1:{closed_port()}/0"
    settings.CELERY_TASK_ALWAYS_EAGER = True
    response = client.get("/healthz")
    assert (response.status_code, json.loads(response.content)) == (
        200,
        {"status": "ok", "database": "ok"},
    )


def test_healthz_with_unreachable_broker_is_503(client, settings):
    settings.REDIS_URL = f"redis://127.0.0.1:{closed_port()}/0"
    settings.CELERY_TASK_ALWAYS_EAGER = False
    response = client.get("/healthz")
    assert response.status_code == 503
    assert json.loads(response.content) == {
        "status": "error",
        "database": "ok",
        "broker": "error: ConnectionError",
    }


def test_healthz_with_database_down_is_503(client, settings, monkeypatch):
    settings.REDIS_URL = ""

    class DownConnection:
        def cursor(self):
            raise OperationalError("connection refused")

    monkeypatch.setattr(views, "connection", DownConnection())
    response = client.get("/healthz")
    assert response.status_code == 503
    assert json.loads(response.content) == {
        "status": "error",
        "database": "error: OperationalError",
    }


def test_healthz_is_never_cached_and_get_only(client, settings):
    settings.REDIS_URL = ""
    response = client.get("/healthz")
    assert "no-cache" in response["Cache-Control"]
    assert client.post("/healthz").status_code == 405


@pytest.mark.integration
def test_healthz_with_running_redis_reports_broker_ok(client, settings):
    import os

    settings.REDIS_URL = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"
    settings.CELERY_TASK_ALWAYS_EAGER = False
    response = client.get("/healthz")
    assert (response.status_code, json.loads(response.content)) == (
        200,
        {"status": "ok", "database": "ok", "broker": "ok"},
    )
