"""Two-factor sign-in: required for staff, PPS and experts, offered to applicants; admin's
login goes through it; sensitive actions ask for the second factor again."""

import time

import pytest
from allauth.mfa.models import Authenticator
from django.urls import reverse

from accounts.enums import Role
from ppir.security import requires_mfa
from tests.factories import UserFactory

from .totp import totp_code
from .world import PASSWORD, TEST_TOTP_SECRET, give_totp, verify_email

pytestmark = pytest.mark.usefixtures("strict_security")


def password_sign_in(client, user):
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def sign_in(client, user, secret=TEST_TOTP_SECRET, offset=0):
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    return client.post(reverse("mfa_authenticate"), {"code": totp_code(secret, offset)})


@pytest.mark.parametrize(
    ("roles", "flags", "expected"),
    [
        ([Role.OFFICER], {}, True),
        ([Role.PANEL_SECRETARIAT], {}, True),
        ([Role.PPS], {}, True),
        ([Role.EXPERT], {}, True),
        ([], {"is_staff": True}, True),
        ([], {"is_superuser": True}, True),
        ([Role.APPLICANT], {}, False),
        ([], {}, False),
    ],
)
def test_requires_mfa_by_role(db, roles, flags, expected):
    assert requires_mfa(UserFactory(roles=roles, **flags)) is expected


def test_officer_without_authenticator_is_sent_to_setup(client, db):
    officer = UserFactory(roles=[Role.OFFICER], is_staff=True)
    client.force_login(officer)
    setup = reverse("mfa_activate_totp")
    for path in ("/", "/applications/", "/admin/", "/notifications/", "/account/security/"):
        response = client.get(path)
        assert (response.status_code, response["Location"]) == (302, setup), path
    response = client.post("/applications/", {"x": "1"})
    assert (response.status_code, response["Location"]) == (302, setup)


def test_officer_without_authenticator_may_reach_setup_logout_and_health(client, db):
    officer = UserFactory(roles=[Role.OFFICER], is_staff=True)
    verify_email(officer)
    password_sign_in(client, officer)
    assert client.get(reverse("mfa_activate_totp")).status_code == 200
    assert client.get(reverse("account_logout")).status_code == 200
    assert client.get(reverse("healthz")).status_code == 200


def test_officer_setup_activates_and_unlocks(client, db):
    officer = UserFactory(roles=[Role.OFFICER], is_staff=True)
    verify_email(officer)
    password_sign_in(client, officer)
    page = client.get(reverse("mfa_activate_totp"))
    secret = page.context["form"].secret
    response = client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=officer, type="totp").count() == 1
    assert client.get("/notifications/").status_code == 200


def test_applicant_is_not_forced_but_may_set_up(client, db):
    applicant = UserFactory(roles=[Role.APPLICANT])
    verify_email(applicant)
    password_sign_in(client, applicant)
    assert client.get("/notifications/").status_code == 200
    assert client.get(reverse("mfa_activate_totp")).status_code == 200


def test_sign_in_asks_for_code_and_refuses_a_wrong_one(client, db):
    officer = UserFactory(roles=[Role.OFFICER], is_staff=True)
    give_totp(officer)
    client.post(reverse("account_login"), {"login": officer.email, "password": PASSWORD})
    assert "_auth_user_id" not in client.session
    wrong = str((int(totp_code(TEST_TOTP_SECRET)) + 1) % 1_000_000).zfill(6)
    response = client.post(reverse("mfa_authenticate"), {"code": wrong})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert response.context["form"].errors == {"code": ["Incorrect code."]}


def test_sign_in_with_code_signs_in(client, db):
    officer = UserFactory(roles=[Role.OFFICER], is_staff=True)
    give_totp(officer)
    response = sign_in(client, officer)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(officer.pk)


def test_a_code_cannot_be_used_twice(client, db):
    officer = UserFactory(roles=[Role.OFFICER], is_staff=True)
    give_totp(officer)
    sign_in(client, officer)
    client.logout()
    client.post(reverse("account_login"), {"login": officer.email, "password": PASSWORD})
    response = client.post(reverse("mfa_authenticate"), {"code": totp_code(TEST_TOTP_SECRET)})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_admin_login_hands_over_to_two_factor_sign_in(client, db):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=%2Fadmin%2F"
    # No password form in admin at all: a POST is redirected the same way.
    officer = UserFactory(roles=[Role.OFFICER], is_staff=True)
    response = client.post("/admin/login/", {"username": officer.email, "password": PASSWORD})
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_admin_login_refuses_signed_in_non_staff(client, db):
    applicant = UserFactory(roles=[Role.APPLICANT])
    client.force_login(applicant)
    assert client.get("/admin/login/").status_code == 403


def test_required_user_cannot_switch_two_factor_off(client, db):
    officer = UserFactory(roles=[Role.OFFICER], is_staff=True)
    give_totp(officer)
    sign_in(client, officer)
    response = client.post(reverse("mfa_deactivate_totp"), {})
    assert response.status_code == 200
    assert Authenticator.objects.filter(user=officer, type="totp").count() == 1


def test_applicant_may_switch_two_factor_off(client, db):
    applicant = UserFactory(roles=[Role.APPLICANT])
    give_totp(applicant)
    sign_in(client, applicant)
    response = client.post(reverse("mfa_deactivate_totp"), {})
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=applicant, type="totp").count() == 0


def _age_authentication(client, seconds: int) -> None:
    session = client.session
    for record in session["account_authentication_methods"]:
        record["at"] -= seconds
    session.save()


def test_sensitive_action_asks_for_the_code_again_after_timeout(client, db, settings):
    officer = UserFactory(roles=[Role.OFFICER], is_staff=True)
    give_totp(officer)
    sign_in(client, officer)
    export = reverse("security:export")
    # Signing in counts as a confirmation for ACCOUNT_REAUTHENTICATION_TIMEOUT seconds.
    assert client.get(export).status_code == 200
    _age_authentication(client, settings.ACCOUNT_REAUTHENTICATION_TIMEOUT + 1)
    response = client.post(export)
    assert response.status_code == 302
    assert (
        response["Location"]
        == f"{reverse('mfa_reauthenticate')}?next=%2Faccount%2Fsecurity%2Fexport%2F"
    )
    # The password alone is not offered: the password page sends back to the code page.
    response = client.get(reverse("account_reauthenticate") + "?next=/account/security/export/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_reauthenticate"))
    # The confirmation replays the stashed POST: the download arrives.
    response = client.post(
        reverse("mfa_reauthenticate") + "?next=/account/security/export/",
        {"code": totp_code(TEST_TOTP_SECRET, offset=1)},
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response.json()["account"]["email"] == officer.email


def test_sensitive_action_without_authenticator_asks_for_password(client, db, settings):
    applicant = UserFactory(roles=[Role.APPLICANT])
    verify_email(applicant)
    client.post(reverse("account_login"), {"login": applicant.email, "password": PASSWORD})
    _age_authentication(client, settings.ACCOUNT_REAUTHENTICATION_TIMEOUT + 1)
    response = client.get(reverse("security:export"))
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    response = client.post(
        reverse("account_reauthenticate") + "?next=/account/security/export/",
        {"password": PASSWORD},
    )
    assert response.status_code == 302
    assert client.get(reverse("security:export")).status_code == 200


def test_export_writes_access_log(client, db):
    from audit.models import AccessLog

    officer = UserFactory(roles=[Role.OFFICER], is_staff=True)
    give_totp(officer)
    sign_in(client, officer)
    response = client.post(reverse("security:export"))
    assert response["Cache-Control"] == "private, no-store"
    assert list(AccessLog.objects.values_list("user_id", "action")) == [
        (officer.pk, "export_own_data")
    ]


def test_idle_session_is_signed_out(client, db, settings):
    from ppir.security_middleware import LAST_SEEN_KEY

    user = UserFactory(roles=[Role.APPLICANT])
    client.force_login(user)
    assert client.get("/notifications/").status_code == 200
    session = client.session
    session[LAST_SEEN_KEY] = time.time() - settings.PPIR_SESSION_IDLE_TIMEOUT - 1
    session.save()
    response = client.get("/notifications/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=%2Fnotifications%2F"
    assert "_auth_user_id" not in client.session


def test_session_ends_after_absolute_lifetime_despite_activity(client, db, settings):
    from ppir.security_middleware import STARTED_KEY

    user = UserFactory(roles=[Role.APPLICANT])
    client.force_login(user)
    client.get("/notifications/")
    session = client.session
    session[STARTED_KEY] = time.time() - settings.SESSION_COOKIE_AGE - 1
    session.save()
    assert client.get("/notifications/").status_code == 302
    assert "_auth_user_id" not in client.session


def test_authenticator_secret_is_stored_encrypted(db, settings):
    from allauth.mfa.utils import decrypt

    officer = UserFactory(roles=[Role.OFFICER], is_staff=True)
    stored = give_totp(officer).data["secret"]
    assert stored.startswith("fernet:")
    assert TEST_TOTP_SECRET not in stored
    assert decrypt(stored) == TEST_TOTP_SECRET
    # After a SECRET_KEY rotation with the old key kept as a fallback, it still decrypts.
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "rotated-" + "k" * 60
    assert decrypt(stored) == TEST_TOTP_SECRET


def test_secret_stored_before_encryption_still_works(db):
    from allauth.mfa.utils import decrypt

    assert decrypt(TEST_TOTP_SECRET) == TEST_TOTP_SECRET
