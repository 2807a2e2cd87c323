import datetime as dt
import io
import random

import pytest
from django.urls import reverse

from applications.enums import ApplicationState as S
from applications.management.commands.seed_demo import DemoContext
from procurement import services
from procurement.demo import seed_procurement
from procurement.enums import CertificateState as CS
from procurement.models import CatalogueEntry, Certificate, PilotPurchase, SuitabilityReview
from tests.factories.procurement import application_in, certified_application, officer_user

pytestmark = pytest.mark.django_db

ADMIN_LISTS = [
    "admin:procurement_certificate_changelist",
    "admin:procurement_extensionrequest_changelist",
    "admin:procurement_objection_changelist",
    "admin:procurement_catalogueentry_changelist",
    "admin:procurement_pilotpurchase_changelist",
    "admin:procurement_suitabilityreview_changelist",
]


@pytest.mark.parametrize("name", ADMIN_LISTS)
def test_admin_lists_open_for_officers_only(client, pps, name):
    certified_application()
    client.force_login(officer_user())
    assert client.get(reverse(name)).status_code == 200
    pps.is_staff = True
    pps.save()
    client.force_login(pps)
    assert client.get(reverse(name)).status_code == 403


def test_admin_revoke_action_opens_the_revoke_page(client):
    _, certificate = certified_application()
    client.force_login(officer_user())
    response = client.post(
        reverse("admin:procurement_certificate_changelist"),
        {"action": "revoke", "_selected_action": [certificate.pk]},
    )
    assert response["Location"] == reverse("procurement:certificate_revoke", args=[certificate.pk])
    certificate.refresh_from_db()
    assert certificate.state == CS.VALID


def test_admin_certificate_list_shows_todays_status(client, settings):
    settings.LANGUAGE_CODE = "en"
    _, certificate = certified_application()
    Certificate.objects.filter(pk=certificate.pk).update(
        issued_on=dt.date(2020, 1, 1), valid_until=dt.date(2023, 1, 1)
    )
    client.force_login(officer_user())
    content = client.get(
        reverse("admin:procurement_certificate_changelist"), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert '<td class="field-current_status">Expired</td>' in content


def test_certify_with_earlier_issue_date_numbers_by_that_year():
    application = application_in(S.AWAITING_DECISION)
    certificate = services.application_certify(
        application=application, by=officer_user(), issued_on=dt.date(2023, 12, 26)
    )
    assert (certificate.number, certificate.valid_until) == (
        "PPIR-C-2023-0001",
        dt.date(2026, 12, 25),
    )


def test_seed_procurement_makes_all_four_kinds_and_is_idempotent(
    django_capture_on_commit_callbacks,
):
    def run():
        ctx = DemoContext(rng=random.Random(1), stdout=io.StringIO())
        with django_capture_on_commit_callbacks(execute=True):
            seed_procurement(ctx)

    run()
    counts = {s: Certificate.objects.with_status(s).count() for s in CS.values}
    assert counts == {CS.VALID: 2, CS.EXPIRED: 1, CS.REVOKED: 1}
    assert Certificate.objects.filter(extensions_used=1).count() == 1
    assert all(c.pdf and c.pdf_valid_until == c.valid_until for c in Certificate.objects.all())
    assert CatalogueEntry.objects.count() == 2
    assert PilotPurchase.objects.exclude(feedback="").count() == 1
    snapshot = (
        Certificate.objects.count(),
        CatalogueEntry.objects.count(),
        SuitabilityReview.objects.count(),
        PilotPurchase.objects.count(),
    )
    run()
    assert snapshot == (
        Certificate.objects.count(),
        CatalogueEntry.objects.count(),
        SuitabilityReview.objects.count(),
        PilotPurchase.objects.count(),
    )
    assert snapshot == (4, 2, 5, 1)
