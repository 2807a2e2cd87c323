"""In the real Chromium: PPS staff register a certified product in the catalogue, and a
visitor verifies its certificate by number, as the QR code on the PDF leads them to."""

import pytest
from allauth.account.models import EmailAddress

from accounts.enums import Role
from procurement.models import CatalogueEntry
from tests.factories import UserFactory
from tests.factories.procurement import certified_application

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _sign_in(page, user):
    EmailAddress.objects.get_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )
    page.goto("/accounts/login/")
    page.fill("input[name=login]", user.email)
    page.fill("input[name=password]", "correct-horse-battery")
    with page.expect_navigation():
        page.locator("input[name=password]").press("Enter")


def test_pps_registers_certified_product_and_visitor_verifies_it(page, screenshot):
    application, certificate = certified_application()
    pps = UserFactory(roles=[Role.PPS], name="이조달")
    _sign_in(page, pps)

    page.goto("/procurement/catalogue/")
    row = page.locator("#awaiting + div table tbody tr", has_text=certificate.number)
    assert row.count() == 1
    screenshot("procurement-01-awaiting-registration")
    row.get_by_role("link").click()

    # A malformed classification number is refused beside the field; nothing is lost.
    page.fill("input[name=classification_number]", "4321150")
    page.fill("input[name=product_identification_number]", "24123456")
    page.fill("input[name=unit_price]", "12000000")
    page.fill("input[name=supplier_contact]", "공공영업팀 02-555-0100")
    page.click("main form button[type=submit]")
    error = page.locator("#id_classification_number + .invalid-feedback, .invalid-feedback")
    assert "exactly 8 digits" in error.first.inner_text()
    assert page.input_value("input[name=product_identification_number]") == "24123456"
    screenshot("procurement-02-malformed-classification")
    assert CatalogueEntry.objects.count() == 0

    page.fill("input[name=classification_number]", "43211503")
    page.click("main form button[type=submit]")
    page.wait_for_url("**/procurement/catalogue/*/")
    assert page.locator(".badge.text-bg-success", has_text="Eligible").count() == 1
    screenshot("procurement-03-registered")
    entry = CatalogueEntry.objects.get()
    assert (entry.classification_number, entry.certificate_id) == ("43211503", certificate.pk)

    # A visitor, not signed in, verifies the certificate by its number.
    page.context.clear_cookies()
    page.goto("/verify/")
    page.fill("input[name=number]", certificate.number)
    page.click("main form button[type=submit]")
    page.wait_for_url(f"**/verify/{certificate.number}/")
    alert = page.locator(".alert-success").inner_text()
    assert f"is valid until {certificate.valid_until:%Y-%m-%d}" in alert
    assert application.display_product_name in page.content()
    screenshot("procurement-04-verified")
