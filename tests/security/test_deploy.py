"""Django's deployment checklist passes under production settings (run in a subprocess with
a production-like environment), and production refuses to start half-configured."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def production_env(**overrides) -> dict:
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE", "REDIS"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="ppir.settings.production",
        SECRET_KEY="ci-only-" + "x7Qz9-k3Lm2-Pw8Rt" * 4,
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/ppir",
        REDIS_URL="redis://127.0.0.1:6379/0",
        ALLOWED_HOSTS="ppir.example.kr",
    )
    env.update(overrides)
    return env


def run(args, **env) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - fixed arguments, our own interpreter
        [sys.executable, *args], cwd=ROOT, env=production_env(**env), capture_output=True, text=True
    )


def test_check_deploy_passes_under_production_settings():
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"])
    assert (result.returncode, result.stdout.strip()) == (
        0,
        "System check identified no issues (0 silenced).",
    ), result.stderr


def test_check_deploy_fails_without_hsts():
    result = run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"], SECURE_HSTS_SECONDS="0"
    )
    assert result.returncode == 1
    assert "security.W004" in result.stderr


def test_production_refuses_a_weak_secret_key():
    result = run(["manage.py", "check"], SECRET_KEY="insecure-demo-key-only-for-local-use")
    assert result.returncode == 1
    assert "SECRET_KEY must be set to a random value of 50+ characters." in result.stderr


def test_production_cookies_are_secure_and_http_only():
    code = (
        "import django;django.setup();from django.conf import settings as s;"
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY,"
        " s.SESSION_COOKIE_SAMESITE, s.SESSION_EXPIRE_AT_BROWSER_CLOSE, s.SESSION_COOKIE_AGE,"
        " s.SECURE_SSL_REDIRECT, s.DEBUG, s.PPIR_MFA_REQUIRED, s.AXES_ENABLED)"
    )
    result = run(["-c", code])
    assert result.stdout.split() == [
        "True",
        "True",
        "True",
        "Lax",
        "True",
        "28800",
        "True",
        "False",
        "True",
        "True",
    ], result.stderr
