"""django-axes lockout behind allauth's sign-in form: 5 failures lock the account for that
address for 30 minutes, and nothing said reveals whether the account exists."""

import re

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.core.cache import cache
from django.urls import reverse

from accounts.enums import Role
from tests.factories import UserFactory

from .world import PASSWORD, verify_email

pytestmark = pytest.mark.usefixtures("strict_security")

LOCKOUT_TEXT = "There were too many unsuccessful sign-in attempts."
LOGIN_ERROR = "The email address and/or password you specified are not correct."


def without_csrf(response) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())


def attempt(client, email, password="wrong-password-123"):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def test_four_failures_answer_with_the_same_form_error_known_or_not(client, db):
    user = UserFactory(roles=[Role.APPLICANT])
    verify_email(user)
    for _ in range(4):
        known = attempt(client, user.email)
        unknown = attempt(client, "nobody@example.kr")
        assert (known.status_code, unknown.status_code) == (200, 200)
        assert known.context["form"].non_field_errors() == [LOGIN_ERROR]
        assert unknown.context["form"].non_field_errors() == [LOGIN_ERROR]


def test_fifth_failure_locks_out_and_correct_password_is_then_refused(client, db):
    user = UserFactory(roles=[Role.APPLICANT])
    verify_email(user)
    for _ in range(4):
        assert attempt(client, user.email).status_code == 200
    locked = attempt(client, user.email)
    assert locked.status_code == 429
    assert LOCKOUT_TEXT in locked.content.decode()
    # allauth's own per-account throttle (5 failures in 5 minutes, from any address) answers
    # first now; once it lapses, axes still refuses the pair for the 30-minute cool-off.
    after = attempt(client, user.email, PASSWORD)
    assert after.status_code == 200
    assert after.context["form"].non_field_errors() == [
        "Too many failed login attempts. Try again later."
    ]
    cache.clear()
    after = attempt(client, user.email, PASSWORD)
    assert after.status_code == 429
    assert "_auth_user_id" not in client.session
    # The refused attempt during the lockout counts as one more failure.
    attempt_row = AccessAttempt.objects.get()
    assert (attempt_row.username, attempt_row.ip_address, attempt_row.failures_since_start) == (
        user.email,
        "127.0.0.1",
        6,
    )
    assert AccessFailureLog.objects.filter(username=user.email, locked_out=True).exists()


def test_unknown_account_gets_the_identical_lockout_page(client, db):
    user = UserFactory(roles=[Role.APPLICANT])
    verify_email(user)
    for _ in range(4):
        attempt(client, user.email)
        attempt(client, "nobody@example.kr")
    known = attempt(client, user.email)
    unknown = attempt(client, "nobody@example.kr")
    assert (known.status_code, unknown.status_code) == (429, 429)
    assert without_csrf(known) == without_csrf(unknown)


def test_lockout_counts_case_insensitively(client, db):
    user = UserFactory(roles=[Role.APPLICANT])
    verify_email(user)
    for i in range(4):
        attempt(client, user.email.upper() if i % 2 else user.email)
    assert attempt(client, user.email.title()).status_code == 429


def test_lockout_is_per_address(client, db):
    """Another address (another colleague) is not locked out by someone else's failures for
    the 30 minutes; only allauth's 5-minute per-account throttle applies there."""
    user = UserFactory(roles=[Role.APPLICANT])
    verify_email(user)
    for _ in range(5):
        attempt(client, user.email)
    cache.clear()  # the 5-minute per-account throttle has lapsed
    assert attempt(client, user.email, PASSWORD).status_code == 429
    response = client.post(
        reverse("account_login"),
        {"login": user.email, "password": PASSWORD},
        REMOTE_ADDR="10.0.0.9",
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_success_before_the_limit_resets_the_count(client, db):
    user = UserFactory(roles=[Role.APPLICANT])
    verify_email(user)
    for _ in range(4):
        attempt(client, user.email)
    assert attempt(client, user.email, PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        assert attempt(client, user.email).status_code == 200


def test_forged_forwarded_for_header_does_not_dodge_the_lockout(client, db):
    user = UserFactory(roles=[Role.APPLICANT])
    verify_email(user)
    for i in range(5):
        response = client.post(
            reverse("account_login"),
            {"login": user.email, "password": "wrong-password-123"},
            HTTP_X_FORWARDED_FOR=f"203.0.113.{i}",
        )
    assert response.status_code == 429
