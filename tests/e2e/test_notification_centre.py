"""The notification centre in the real Chromium: htmx marks one notice read and the header's
badge follows; "mark all as read" clears it."""

import re

import pytest
from allauth.account.models import EmailAddress
from playwright.sync_api import expect

from accounts.enums import Role
from notifications.models import Notification
from tests.factories import UserFactory
from tests.factories.notifications import NotificationFactory

from .login import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

BADGE = '.site-nav a[href$="/notifications/"] .badge'


def test_mark_one_read_with_htmx_then_all(page, screenshot):
    user = UserFactory(roles=[Role.APPLICANT], language="en")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    notices = NotificationFactory.create_batch(3, recipient=user)
    log_in(page, user.email, "correct-horse-battery", totp_secret=None, next_url="/notifications/")
    assert page.locator(BADGE).inner_text().startswith("3")
    newest = notices[-1]
    with page.expect_response(f"**/notifications/{newest.pk}/open/"):
        page.locator(f"#notification-{newest.pk} button", has_text="Mark as read").click()
    page.wait_for_function(f"document.querySelector('{BADGE}').textContent.trim().startsWith('2')")
    # htmx keeps the old row's attributes through its settle delay: wait for the new ones.
    expect(page.locator(f"#notification-{newest.pk}")).not_to_have_class(
        re.compile(r"\bnotification-unread\b")
    )
    expect(page.locator(f"#notification-{newest.pk} .badge", has_text="New")).to_have_count(0)
    assert page.url.endswith("/notifications/")  # no page load: htmx swapped the row
    screenshot("notifications-centre-one-read")
    assert Notification.objects.filter(recipient=user, read_at__isnull=True).count() == 2
    with page.expect_navigation():
        page.get_by_role("button", name="Mark all as read").click()
    assert page.locator(BADGE).count() == 0
    assert Notification.objects.filter(recipient=user, read_at__isnull=True).count() == 0
