"""The browser signs in through the real pages, with the second step, and the Content-
Security-Policy blocks nothing on the way (no console errors)."""

import pytest

from accounts.enums import Role
from tests.e2e.login import login
from tests.factories import UserFactory
from tests.security.world import PASSWORD, TEST_TOTP_SECRET, give_totp

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_officer_signs_in_with_code_and_no_csp_violation(page, screenshot, settings):
    settings.PPIR_MFA_REQUIRED = True
    officer = UserFactory(roles=[Role.OFFICER], is_staff=True, email="officer@e2e.kr")
    give_totp(officer)
    errors = []
    # The browser reports each resource the policy refused as a console error.
    page.on("console", lambda m: errors.append(m.text) if "Refused to" in m.text else None)
    broken = []
    page.on(
        "response",
        lambda r: broken.append(r.url) if r.status >= 400 and "favicon" not in r.url else None,
    )
    page.goto("/accounts/login/")
    screenshot("security-login")
    login(page, officer.email, PASSWORD, totp_secret=TEST_TOTP_SECRET)
    assert "/admin/" in page.url
    page.goto("/account/security/")
    screenshot("security-overview")
    assert page.locator("h1").inner_text() in ("Account security", "계정 보안")
    assert errors == []
    assert broken == []


def test_officer_without_authenticator_lands_on_setup(page, screenshot, settings):
    settings.PPIR_MFA_REQUIRED = True
    officer = UserFactory(roles=[Role.OFFICER], is_staff=True, email="new-officer@e2e.kr")
    from tests.security.world import verify_email

    verify_email(officer)
    login(page, officer.email, PASSWORD)
    assert page.url.endswith("/accounts/2fa/totp/activate/")
    screenshot("security-totp-setup")
    assert page.locator("img.auth-qr").count() == 1
