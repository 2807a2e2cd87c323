import io
import random

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from accounts.enums import Role
from applications.management.commands.seed_demo import DemoContext
from ppir.security_demo import DEMO_TOTP_SECRET, demo_code, demo_totp_users, seed_demo_totp
from tests.factories import UserFactory

from .world import PASSWORD


def seeded(db):
    officer = UserFactory(roles=[Role.OFFICER], is_staff=True, email="officer@demo.ppir.kr")
    expert = UserFactory(roles=[Role.EXPERT], email="expert@demo.ppir.kr")
    applicant = UserFactory(roles=[Role.APPLICANT], email="applicant@demo.ppir.kr")
    ctx = DemoContext(rng=random.Random(1), stdout=io.StringIO())
    ctx.objects["demo_accounts"] = [
        ("officer", officer.email),
        ("expert", expert.email),
        ("applicant", applicant.email),
    ]
    seed_demo_totp(ctx)
    seed_demo_totp(ctx)  # idempotent
    return officer, expert, applicant


def test_seed_gives_required_demo_accounts_the_demo_key(db):
    officer, expert, applicant = seeded(db)
    assert list(demo_totp_users()) == [expert, officer]


def test_demo_code_is_the_rfc6238_code_of_the_demo_key():
    # RFC 6238 appendix B: the key "12345678901234567890" gives 287082 at T=59 (6 digits).
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    assert format_hotp_value(hotp_value("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", 59 // 30)) == "287082"
    assert demo_code(at=59) == format_hotp_value(hotp_value(DEMO_TOTP_SECRET, 1))


def test_demo_totp_prints_the_current_code(db):
    seeded(db)
    out = io.StringIO()
    call_command("demo_totp", stdout=out)
    text = out.getvalue()
    assert f"Demo TOTP key (for an authenticator app): {DEMO_TOTP_SECRET}" in text
    assert "  expert@demo.ppir.kr\n  officer@demo.ppir.kr\n" in text
    assert f"Code now: {demo_code()}" in text or f"Code now: {demo_code(offset=-1)}" in text


def test_demo_totp_refuses_production(settings):
    settings.PPIR_ENVIRONMENT = "production"
    with pytest.raises(CommandError, match="refuses to run under production settings"):
        call_command("demo_totp", stdout=io.StringIO())


def test_demo_officer_signs_in_with_the_printed_code(client, db, settings):
    settings.PPIR_MFA_REQUIRED = True
    officer, _, _ = seeded(db)
    client.post(reverse("account_login"), {"login": officer.email, "password": PASSWORD})
    response = client.post(reverse("mfa_authenticate"), {"code": demo_code()})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(officer.pk)
