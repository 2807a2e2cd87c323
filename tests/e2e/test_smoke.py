"""Each demo role signs in through the real login page in Chromium and lands on its own home
page. Screenshots are kept in test-artifacts/smoke-<role>.png."""

import random
from io import StringIO
from urllib.parse import urlparse

import pytest
from django.utils import translation
from django.utils.translation import gettext

from accounts.demo import seed_accounts
from applications.demo import seed_applications, seed_projects_and_rounds
from applications.management.commands.seed_demo import DemoContext
from panels.demo import seed_committees

from .login import log_in

pytestmark = pytest.mark.e2e

# role, e-mail, path of the home page, its heading (msgid; None for the admin index)
ROLES = [
    ("applicant", "applicant@demo.ppir.kr", "/applications/", "My applications"),
    ("expert", "expert@demo.ppir.kr", "/reviews/", "My reviews"),
    ("chair", "chair@demo.ppir.kr", "/reviews/", "My reviews"),
    ("pps", "pps@demo.ppir.kr", "/procurement/", "Procurement"),
    ("officer", "officer@demo.ppir.kr", "/admin/", None),
    ("secretariat", "secretariat@demo.ppir.kr", "/admin/", None),
    ("superuser", "admin@demo.ppir.kr", "/admin/", None),
]


def seed(with_applications: bool) -> None:
    """The demo logins and committees; the applications only where the page shows them."""
    ctx = DemoContext(rng=random.Random(1), stdout=StringIO())
    steps = [seed_accounts, seed_committees]
    if with_applications:
        steps += [seed_projects_and_rounds, seed_applications]
    for step in steps:
        step(ctx)


def in_page_language(page, msgid: str) -> str:
    with translation.override(page.locator("html").get_attribute("lang") or "ko"):
        return gettext(msgid)


@pytest.mark.parametrize(("role", "email", "path", "heading"), ROLES, ids=[r[0] for r in ROLES])
def test_demo_role_signs_in_and_sees_its_home_page(
    page, screenshot, transactional_db, role, email, path, heading
):
    seed(with_applications=role == "applicant")
    log_in(page, email)
    page.goto("/")  # the site's front door sends each role to its own home page
    screenshot(f"smoke-{role}")
    assert urlparse(page.url).path == path
    if heading is None:
        assert page.locator("body.dashboard").count() == 1  # Django admin's index page
        assert page.locator("#content").count() == 1
    else:
        assert page.locator("h1").first.inner_text() == in_page_language(page, heading)
    if role == "applicant":
        assert page.locator("table tbody tr").count() == 6
    if role == "chair":
        badge = page.locator(".badge", has_text=in_page_language(page, "Chair"))
        assert badge.count() == 1
    if role == "expert":
        assert page.locator(".badge", has_text=in_page_language(page, "Chair")).count() == 0
