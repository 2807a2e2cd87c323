"""docker-compose.yml and the Dockerfile, checked without a Docker engine."""

from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
APP_SERVICES = ("migrate", "web", "worker", "beat")


@pytest.fixture(scope="module")
def compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def command(service) -> str:
    cmd = service["command"]
    return " ".join(cmd) if isinstance(cmd, list) else cmd


def test_compose_has_exactly_the_expected_services(compose):
    assert set(compose["services"]) == {
        "migrate",
        "web",
        "worker",
        "beat",
        "postgres",
        "redis",
        "mailpit",
    }


def test_compose_app_services_commands(compose):
    services = compose["services"]
    assert command(services["migrate"]) == "python manage.py migrate --noinput"
    assert command(services["web"]).startswith("gunicorn ppir.wsgi:application --bind=0.0.0.0:8000")
    assert command(services["worker"]).startswith("celery -A ppir worker")
    assert command(services["beat"]).startswith("celery -A ppir beat")
    assert services["migrate"]["restart"] == "no"


def test_compose_app_services_share_the_image_and_production_settings(compose):
    for name in APP_SERVICES:
        service = compose["services"][name]
        env = service["environment"]
        assert service["build"] == "."
        assert service["image"] == "ppir-workbench:latest"
        assert env["DJANGO_SETTINGS_MODULE"] == "ppir.settings.production"
        assert env["DATABASE_URL"].startswith("postgres://ppir:")
        assert env["DATABASE_URL"].endswith("@postgres:5432/ppir")
        assert env["REDIS_URL"] == "redis://redis:6379/0"
        assert env["SECRET_KEY"].startswith("${SECRET_KEY:?")
        assert env["EMAIL_HOST"] == "${EMAIL_HOST:-mailpit}"
        for variable in ("ALLOWED_HOSTS", "EMAIL_PORT", "DEFAULT_FROM_EMAIL", "SITE_URL"):
            assert variable in env


def test_compose_start_order_migrates_first(compose):
    services = compose["services"]
    for name in APP_SERVICES:
        depends = services[name]["depends_on"]
        assert depends["postgres"] == {"condition": "service_healthy"}
        assert depends["redis"] == {"condition": "service_healthy"}
    for name in ("web", "worker", "beat"):
        assert services[name]["depends_on"]["migrate"] == {
            "condition": "service_completed_successfully"
        }


def test_compose_web_is_scalable(compose):
    # A fixed host port would make `--scale web=3` fail on the second replica.
    assert compose["services"]["web"]["ports"] == ["8000"]


def test_compose_health_checks(compose):
    services = compose["services"]
    assert "pg_isready -U ppir -d ppir" in " ".join(services["postgres"]["healthcheck"]["test"])
    assert services["redis"]["healthcheck"]["test"] == ["CMD", "redis-cli", "ping"]
    assert "/healthz" in " ".join(services["web"]["healthcheck"]["test"])
    assert "inspect ping" in " ".join(services["worker"]["healthcheck"]["test"])
    assert services["mailpit"]["healthcheck"]["test"] == ["CMD", "/mailpit", "readyz"]


def test_compose_images_and_volumes(compose):
    services = compose["services"]
    assert services["postgres"]["image"] == "postgres:16"
    assert services["redis"]["image"] == "redis:7"
    assert services["mailpit"]["image"].startswith("axllent/mailpit")
    assert services["postgres"]["volumes"] == ["pgdata:/var/lib/postgresql/data"]
    assert services["redis"]["volumes"] == ["redisdata:/data"]
    assert services["web"]["volumes"] == ["media:/app/var/media"]
    assert services["worker"]["volumes"] == ["media:/app/var/media"]
    assert set(compose["volumes"]) == {"pgdata", "redisdata", "media", "mailpit"}


def test_dockerfile_builds_a_non_root_image_with_static_files():
    text = (ROOT / "Dockerfile").read_text()
    lines = [line.strip() for line in text.splitlines()]
    assert lines[1] == "FROM python:3.11-slim"
    assert "RUN pip install -r requirements/base.txt" in lines
    assert "gettext" in text
    assert "collectstatic --noinput" in text
    assert "USER ppir" in lines
    assert lines.index("USER ppir") > lines.index("COPY . .")


def test_dockerignore_keeps_local_state_out_of_the_image():
    ignored = (ROOT / ".dockerignore").read_text().split()
    for entry in (".git", ".venv", "db.sqlite3", "var", ".env"):
        assert entry in ignored
