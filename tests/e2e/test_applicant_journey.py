"""The applicant journey in the real Chromium, in Korean and in English: sign-up → e-mail
confirmation → organisation → the wizard's six steps → receipt. Screenshots of each step
land in test-artifacts/ (applicant_ko_*.png, applicant_en_*.png)."""

import datetime as dt
import re

import pytest
from django.core import mail
from django.utils import timezone, translation
from django.utils.translation import gettext

from applications.enums import ApplicationState
from applications.models import Application
from tests.factories import (
    ProjectParticipantFactory,
    RDProjectFactory,
    RoundFactory,
    SubFieldFactory,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.mark.parametrize("browser_locale", ["ko-KR", "en-GB"])
def test_applicant_journey_from_signup_to_receipt(
    page, screenshot, live_server, tmp_path, browser_locale
):
    lang = browser_locale[:2]

    def says(msgid: str, **params) -> str:
        """What the page says for `msgid` in the browser's language."""
        with translation.override(lang):
            return gettext(msgid) % params if params else gettext(msgid)

    def shot(name: str):
        screenshot(f"applicant_{lang}_{name}")

    subfield = SubFieldFactory(number=24, name_ko="스마트시티·공공서비스", name_en="Smart cities")
    RoundFactory(subfields=[subfield], title="2026년 제2차 혁신제품 지정")
    project = RDProjectFactory(
        ntis_number="RS-2023-00012345",
        title="스마트시티 재난감지 센서 실증",
        end_date=timezone.localdate() - dt.timedelta(days=400),
    )
    ProjectParticipantFactory(project=project, business_number="1248100998")
    spec = tmp_path / "사양서.pdf"
    spec.write_bytes(PDF)
    today = timezone.localdate()

    page.goto("/accounts/signup/")
    shot("01_signup")
    page.fill("#id_name", "김혁신")
    page.fill("#id_email", "park@sensor.kr")
    page.fill("#id_password1", "long-enough-pass-123")
    page.fill("#id_password2", "long-enough-pass-123")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/accounts/confirm-email/")
    shot("02_verification_sent")

    link = re.search(r"http://[^/\s]+(/accounts/confirm-email/[\w:.-]+/)", mail.outbox[-1].body)[1]
    page.goto(link)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/account/organisation/")
    shot("03_organisation")

    page.fill("#id_name", "혁신센서 주식회사")
    page.fill("#id_business_number", "124-81-00999")
    page.fill("#id_address", "세종특별자치시 갈매로 477")
    page.fill("#id_contact_name", "김혁신")
    page.fill("#id_contact_email", "park@sensor.kr")
    page.fill("#id_contact_phone", "044-000-0000")
    with page.expect_navigation():
        page.click("button[name=create]")
    assert says(
        "This business registration number is not valid: its check digit does not match."
    ) in page.text_content("#id_business_number ~ .invalid-feedback, .invalid-feedback")
    assert page.input_value("#id_address") == "세종특별자치시 갈매로 477"
    shot("04_organisation_wrong_number")
    page.fill("#id_business_number", "124-81-00998")
    page.click("button[name=create]")
    page.wait_for_url("**/applications/")

    page.click("a[href='/applications/new/']")
    shot("05_product")
    page.fill("#id_product_name", "스마트 재난감지 센서")
    page.fill("#id_product_description", "공공시설 재난 조기감지용 IoT 센서")
    page.select_option("#id_trl", "8")
    page.fill("#id_intended_buyers", "지방자치단체")
    page.fill("#id_intended_use", "시설물 안전 감시")
    page.fill("#id_indicative_price", "12000000")
    page.click("button[name=save_next]")
    page.wait_for_url("**/edit/round/")

    page.select_option("#id_subfield", str(subfield.pk))
    shot("06_round")
    page.click("button[name=save_next]")
    page.wait_for_url("**/edit/projects/")

    page.fill("#project-search", "RS-2023-0001")
    page.wait_for_selector("#project-results li")
    assert says("Your organisation took part") in page.text_content("#project-results")
    shot("07_project_search")
    page.locator("#project-results button[type=submit]").click()
    page.get_by_text(says("Project %(number)s linked.", number="RS-2023-00012345")).wait_for()
    page.locator("main a.btn-primary").last.click()
    page.wait_for_url("**/edit/documents/")

    for kind, issued, expiry in [
        ("specification", today - dt.timedelta(days=10), None),
        ("certification", today - dt.timedelta(days=100), today + dt.timedelta(days=600)),
    ]:
        page.select_option("#id_kind", kind)
        page.set_input_files("#id_file", str(spec))
        page.fill("#id_issue_date", issued.isoformat())
        page.fill("#id_expiry_date", expiry.isoformat() if expiry else "")
        with page.expect_navigation():
            page.locator("main form[enctype] button[type=submit]").click()
        page.get_by_text(says("Document uploaded.")).last.wait_for()
    shot("08_documents")
    page.locator("main a.btn-primary").last.click()
    page.wait_for_url("**/edit/declarations/")

    page.check("#id_declared_not_designated")
    page.check("#id_declared_truthful")
    shot("09_declarations")
    page.click("button[name=save_next]")
    page.wait_for_url("**/review/")
    shot("10_review")
    page.locator("form[action$='/submit/'] button").click()
    page.wait_for_url("**/receipt/")
    shot("11_receipt")

    application = Application.objects.get()
    assert application.state == ApplicationState.SUBMITTED
    assert page.text_content("#reference") == application.reference
    assert page.locator("html").get_attribute("lang") == lang
