"""An expert answers invitations in the real Chromium: accept one, decline another."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from panels.enums import AssignmentState
from tests.factories import ExpertProfileFactory
from tests.factories.panels import AssignmentFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _login(page, live_server, user):
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def test_expert_accepts_and_declines_in_the_browser(page, live_server, screenshot):
    expert = ExpertProfileFactory()
    deadline = timezone.now() + dt.timedelta(days=3)
    first = AssignmentFactory(expert=expert, respond_by=deadline)
    second = AssignmentFactory(expert=expert, respond_by=deadline)
    _login(page, live_server, expert.user)

    page.goto("/reviews/invitations/")
    screenshot("invitations-list")
    page.locator(f'a[href="/reviews/invitations/{first.pk}/"]').click()
    with page.expect_navigation(url=f"**/reviews/invitations/{first.pk}/"):
        page.get_by_role("button", name="Accept this review").click()
    screenshot("invitation-accepted")
    first.refresh_from_db()
    assert first.state == AssignmentState.ACCEPTED

    page.goto(f"/reviews/invitations/{second.pk}/decline/")
    page.get_by_role("button", name="Decline this review").click()
    # Without a reason the form comes back with the message beside the field.
    expect(page.locator(".invalid-feedback")).to_have_count(1)
    page.locator("textarea").fill("학회 일정으로 평가 기간에 참여할 수 없습니다.")
    page.get_by_role("button", name="Decline this review").click()
    page.wait_for_url("**/reviews/invitations/")
    second.refresh_from_db()
    assert second.state == AssignmentState.DECLINED
    assert second.decline_reason == "학회 일정으로 평가 기간에 참여할 수 없습니다."
    screenshot("invitation-declined")


def test_another_experts_invitation_is_not_found(page, live_server):
    mine = ExpertProfileFactory()
    theirs = AssignmentFactory(respond_by=timezone.now() + dt.timedelta(days=3))
    _login(page, live_server, mine.user)
    response = page.goto(f"/reviews/invitations/{theirs.pk}/")
    assert response.status == 404
