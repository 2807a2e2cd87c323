"""Screening in the real Chromium, in Korean: the officer asks for a supplement, the
applicant answers it with a new document, the officer sees the answer and the new version
and marks the application eligible. Screenshots: test-artifacts/screening_ko_*.png."""

import datetime as dt

import pytest
from allauth.account.models import EmailAddress
from django.utils import timezone, translation
from django.utils.translation import gettext

from accounts.enums import Role
from applications import services
from applications.enums import ApplicationState
from tests.factories import UserFactory
from tests.factories.applicant import eligible_application

from .conftest import ARTIFACTS
from .login import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PASSWORD = "correct-horse-battery"


def says(msgid: str) -> str:
    with translation.override("ko"):
        return gettext(msgid)


def verified(user):
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def test_supplement_round_trip_then_eligible(browser, live_server, tmp_path):
    application = eligible_application()
    services.application_submit(application=application, by=application.created_by)
    applicant = verified(application.created_by)
    officer = verified(UserFactory(roles=[Role.OFFICER], is_staff=True))
    report = tmp_path / "시험성적서.pdf"
    report.write_bytes(PDF)
    screening = f"/applications/screening/{application.pk}/"

    def context():
        ctx = browser.new_context(
            base_url=live_server.url, locale="ko-KR", viewport={"width": 1280, "height": 900}
        )
        page = ctx.new_page()
        page.set_default_timeout(15000)
        return ctx, page

    # 1. The officer asks for a test report by a date.
    officer_ctx, page = context()
    log_in(page, officer.email, PASSWORD, totp_secret=None, next_url=screening)
    form = page.locator("form", has=page.locator("input[name=action][value=supplement]"))
    form.locator("textarea[name=message]").fill("공인시험기관 시험성적서를 제출해 주십시오.")
    form.locator("input[name=documents_wanted][value=test_report]").check()
    form.locator("input[name=deadline]").fill(
        (timezone.localdate() + dt.timedelta(days=7)).isoformat()
    )
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    application.refresh_from_db()
    assert application.state == ApplicationState.SUPPLEMENT_REQUESTED
    shot(page, "screening_ko_01_requested")

    # 2. The applicant reads the request and answers it with the report.
    applicant_ctx, apage = context()
    log_in(apage, applicant.email, PASSWORD, totp_secret=None)
    apage.goto(f"/applications/{application.pk}/")
    assert "공인시험기관 시험성적서를 제출해 주십시오." in apage.content()
    apage.fill("#id_message", "시험성적서를 첨부합니다.")
    apage.select_option("#id_doc-0-kind", "test_report")
    apage.set_input_files("#id_doc-0-file", str(report))
    apage.fill("#id_doc-0-issue_date", (timezone.localdate() - dt.timedelta(days=3)).isoformat())
    shot(apage, "screening_ko_02_answer")
    with apage.expect_navigation():
        apage.get_by_role("button", name=says("Send the answer")).click()
    application.refresh_from_db()
    assert application.state == ApplicationState.SUBMITTED
    assert application.versions.count() == 2
    assert application.documents.filter(kind="test_report", original_name="시험성적서.pdf").exists()

    # 3. The officer sees the answer and marks the application eligible.
    page.goto(screening)
    assert says("Answered") in page.content()
    assert "시험성적서를 첨부합니다." in page.content()
    shot(page, "screening_ko_03_answered")
    eligible = page.locator("form", has=page.locator("input[name=action][value=eligible]"))
    with page.expect_navigation():
        eligible.locator("button[type=submit]").click()
    application.refresh_from_db()
    assert application.state == ApplicationState.IN_REVIEW
    applicant_ctx.close()
    officer_ctx.close()
