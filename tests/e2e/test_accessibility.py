"""Each role's main pages (the officer's admin pages included), in Korean, checked in
Chromium by axe-core (the engine behind most accessibility checkers) against WCAG 2.1 A and
AA: contrast, names of controls and form fields, landmarks, headings, language of the page,
ARIA use. Any violation fails."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from applications.enums import ApplicationState
from applications.models import Application

from .login import log_in
from .test_smoke import seed

pytestmark = pytest.mark.e2e

WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


def _reference_page(state: str, prefix: str) -> str:
    application = Application.objects.filter(state=state).order_by("pk").first()
    assert application is not None, state
    return f"{prefix}{application.pk}/"


PAGES = {
    "anonymous": (None, lambda: ["/", "/register/", "/verify/", "/accounts/signup/"]),
    "applicant": (
        "applicant@demo.ppir.kr",
        lambda: [
            "/applications/",
            _reference_page(ApplicationState.SUPPLEMENT_REQUESTED, "/applications/"),
            "/applications/new/",
            "/notifications/settings/",
            "/account/organisation/",
        ],
    ),
    "expert": ("expert@demo.ppir.kr", lambda: ["/reviews/", "/reviews/invitations/"]),
    "pps": ("pps@demo.ppir.kr", lambda: ["/procurement/"]),
    "officer": (
        "officer@demo.ppir.kr",
        lambda: [
            "/applications/screening/",
            _reference_page(ApplicationState.SUBMITTED, "/applications/screening/"),
            "/admin/",
            "/admin/applications/application/",
            _reference_page(ApplicationState.SUBMITTED, "/admin/applications/application/")
            + "change/",
        ],
    ),
}


@pytest.mark.parametrize("browser_locale", ["ko-KR"])
@pytest.mark.parametrize("role", list(PAGES))
def test_main_pages_have_no_wcag_violations(page, transactional_db, role, browser_locale):
    seed(with_applications=True)
    email, paths = PAGES[role]
    if email:
        log_in(page, email)
    axe = Axe()
    found = []
    checked = 0
    for path in paths():
        page.goto(path)
        assert page.locator("html").get_attribute("lang") == "ko"
        result = axe.run(page, options=WCAG)
        checked += 1
        for violation in result.response["violations"]:
            targets = [node["target"] for node in violation["nodes"][:3]]
            found.append(f"{path}: {violation['id']} ({violation['impact']}) {targets}")
    assert checked == len(paths())
    assert found == [], "\n".join(found)
