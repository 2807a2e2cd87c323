"""Password rules (Django's validators, minimum 10, common passwords refused) and reset by
e-mail with links that expire after PASSWORD_RESET_TIMEOUT (one hour)."""

import re
from unittest import mock

import pytest
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.enums import Role
from accounts.models import User
from tests.factories import UserFactory

from .world import PASSWORD, verify_email


@pytest.mark.parametrize(
    ("password", "code"),
    [
        ("short9!x", "password_too_short"),
        ("password1234", "password_too_common"),
        ("qwertyuiop", "password_too_common"),
        ("1234567890123", "password_entirely_numeric"),
        ("kim.minjun.officer", "password_too_similar"),
    ],
)
def test_weak_passwords_are_refused(db, password, code):
    user = User(email="kim.minjun.officer@msit.go.kr", name="Kim Minjun")
    with pytest.raises(ValidationError) as info:
        validate_password(password, user)
    assert code in [e.code for e in info.value.error_list]


def test_strong_password_is_accepted(db):
    assert validate_password("물푸레-나무-7-강", User(email="x@example.kr")) is None


def test_signup_with_a_common_password_stores_nothing(client, db):
    response = client.post(
        reverse("account_signup"),
        {"email": "new@example.kr", "password1": "password1234", "password2": "password1234"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["password1"] == ["This password is too common."]
    assert User.objects.filter(email="new@example.kr").exists() is False


def _reset_link(client, user) -> str:
    mail.outbox.clear()
    client.post(reverse("account_reset_password"), {"email": user.email})
    assert len(mail.outbox) == 1
    return re.search(r"https?://[^/\s]+(/accounts/password/reset/key/\S+/)", mail.outbox[0].body)[1]


def test_reset_link_works_within_the_hour(client, db):
    user = UserFactory(roles=[Role.APPLICANT])
    verify_email(user)
    link = _reset_link(client, user)
    response = client.get(link, follow=True)
    assert response.status_code == 200
    form_url = response.redirect_chain[-1][0] if response.redirect_chain else link
    response = client.post(
        form_url, {"password1": "물푸레-나무-7-강", "password2": "물푸레-나무-7-강"}
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("물푸레-나무-7-강")


def test_reset_link_expires_after_an_hour(client, db, settings):
    assert settings.PASSWORD_RESET_TIMEOUT == 3600
    user = UserFactory(roles=[Role.APPLICANT])
    verify_email(user)
    link = _reset_link(client, user)
    real_now = PasswordResetTokenGenerator._now
    with mock.patch.object(
        PasswordResetTokenGenerator,
        "_now",
        lambda self: real_now(self) + __import__("datetime").timedelta(seconds=3601),
    ):
        response = client.get(link, follow=True)
        assert response.status_code == 200
        assert response.context["token_fail"] is True
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_reset_for_an_unknown_address_looks_the_same(client, db):
    known = UserFactory(roles=[Role.APPLICANT])
    verify_email(known)
    a = client.post(reverse("account_reset_password"), {"email": known.email})
    b = client.post(reverse("account_reset_password"), {"email": "nobody@example.kr"})
    assert (a.status_code, a["Location"]) == (b.status_code, b["Location"])
