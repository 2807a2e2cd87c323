"""Sign-up: name kept, applicant role added, verification e-mail; no access before it."""

import pytest
from django.core import mail
from django.urls import reverse

from accounts.enums import Role
from accounts.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


def test_signup_adds_the_applicant_role_and_sends_the_verification(client):
    resp = client.post(
        reverse("account_signup"),
        {
            "name": "이신청",
            "email": "lee@example.kr",
            "password1": "a-long-password-9",
            "password2": "a-long-password-9",
        },
    )
    assert resp["Location"] == reverse("account_email_verification_sent")
    user = User.objects.get(email="lee@example.kr")
    assert (user.name, user.roles) == ("이신청", [Role.APPLICANT])
    assert mail.outbox[0].to == ["lee@example.kr"]
    # Not verified yet: not signed in.
    assert client.get(reverse("applications:list")).status_code == 302
    assert "_auth_user_id" not in client.session


def test_signup_without_a_name_keeps_the_other_entries(client):
    resp = client.post(
        reverse("account_signup"),
        {"name": "", "email": "lee@example.kr", "password1": "x", "password2": "x"},
    )
    assert resp.status_code == 200
    form = resp.context["form"]
    assert form.errors["name"] == ["This field is required."]
    assert form["email"].value() == "lee@example.kr"
    assert User.objects.count() == 0
