"""The language a person reads the site in is the language of their e-mails: kept at
sign-up, and again whenever a signed-in person switches language in the page header."""

import pytest
from allauth.account.models import EmailAddress
from django.test import Client
from django.urls import reverse

from accounts.models import User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SIGNUP = {
    "name": "Jane Park",
    "email": "jane@example.kr",
    "password1": "a-long-password-9",
    "password2": "a-long-password-9",
}


def test_sign_up_keeps_the_language_the_person_signed_up_in():
    # Korean is every account's default: signing up in English must change it.
    Client(HTTP_ACCEPT_LANGUAGE="en").post(reverse("account_signup"), SIGNUP)
    assert User.objects.get(email="jane@example.kr").language == "en"


def _sign_in(client, user):
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    response = client.post(
        reverse("account_login"), {"login": user.email, "password": "correct-horse-battery"}
    )
    assert response.status_code == 302
    assert "_auth_user_id" in client.session


def test_a_language_chosen_on_the_page_before_signing_in_is_kept(client):
    user = UserFactory(language="ko")
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    _sign_in(client, user)
    user.refresh_from_db()
    assert user.language == "en"


def test_signing_in_without_a_choice_keeps_the_accounts_language():
    user = UserFactory(language="en")
    _sign_in(Client(HTTP_ACCEPT_LANGUAGE="ko"), user)
    user.refresh_from_db()
    assert user.language == "en"


@pytest.mark.parametrize(
    ("posted", "kept"),
    [("en-us", "en"), ("xx", "ko")],
    ids=["a regional code counts as its language", "an unknown language changes nothing"],
)
def test_the_header_switch_keeps_only_a_known_language(client, posted, kept):
    user = UserFactory(language="ko")
    client.force_login(user)
    client.post(reverse("set_language"), {"language": posted, "next": "/"})
    user.refresh_from_db()
    assert user.language == kept


def test_switching_language_while_signed_in_is_kept_on_the_account(client):
    user = UserFactory(language="ko")
    client.force_login(user)
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert response.cookies["django_language"].value == "en"
    user.refresh_from_db()
    assert user.language == "en"
    page = client.get(reverse("notifications:preferences")).content.decode()
    assert "Notices and e-mails reach you in English" in page


def test_switching_language_signed_out_sets_only_the_cookie(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert response.cookies["django_language"].value == "en"


def test_switching_language_needs_the_csrf_token():
    strict = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="en")
    user = UserFactory(language="ko")
    strict.force_login(user)
    assert strict.post(reverse("set_language"), {"language": "en"}).status_code == 403
    user.refresh_from_db()
    assert user.language == "ko"
