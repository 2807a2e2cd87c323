"""Production settings refuse to start half-configured and pass Django's deploy checks.

Each case runs in a fresh interpreter: settings modules execute once per process."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOOD_KEY = "k3J9-vQ2mZ8xR4tW7yB1nC6pL0sD5fG2hJ8kM3qV9wE4rT7uY1iO6pA0sS5dF2gH"
GOOD = {
    "DJANGO_SETTINGS_MODULE": "ppir.settings.production",
    "SECRET_KEY": GOOD_KEY,
    "DATABASE_URL": "postgres://ppir:secret@db.internal:5432/ppir",
    "REDIS_URL": "redis://redis.internal:6379/0",
    "ALLOWED_HOSTS": "ppir.example.kr",
}


def run(code_or_args, **env_changes):
    env = {"PATH": os.environ.get("PATH", ""), "HOME": os.environ.get("HOME", str(ROOT))}
    env.update(GOOD)
    for key, value in env_changes.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    args = code_or_args if isinstance(code_or_args, list) else ["-c", code_or_args]
    return subprocess.run(  # noqa: S603 - our own interpreter
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )


IMPORT = "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)"


def test_production_settings_load_with_proper_environment():
    result = run(IMPORT)
    assert (result.returncode, result.stdout.strip()) == (0, "False")


def test_production_refuses_without_secret_key():
    result = run(IMPORT, SECRET_KEY=None)
    assert result.returncode == 1
    assert "ImproperlyConfigured: SECRET_KEY must be set to a random value" in result.stderr


def test_production_refuses_the_demo_key():
    result = run(IMPORT, SECRET_KEY="insecure-demo-key-only-for-local-use" * 2)
    assert "ImproperlyConfigured: SECRET_KEY must be set" in result.stderr


def test_production_refuses_sqlite():
    result = run(IMPORT, DATABASE_URL="sqlite:////tmp/ppir.sqlite3")
    assert result.returncode == 1
    assert "ImproperlyConfigured: DATABASE_URL must point at PostgreSQL" in result.stderr


def test_production_refuses_without_database_url():
    result = run(IMPORT, DATABASE_URL=None)
    assert "ImproperlyConfigured: DATABASE_URL must point at PostgreSQL" in result.stderr


def test_production_refuses_without_redis():
    result = run(IMPORT, REDIS_URL=None)
    assert "ImproperlyConfigured: REDIS_URL must be set" in result.stderr


def test_production_passes_deploy_checks_at_warning_level():
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"])
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_seed_demo_refuses_under_production_settings():
    result = run(["manage.py", "seed_demo"])
    assert result.returncode == 1
    assert "seed_demo refuses to run under production settings." in result.stderr
