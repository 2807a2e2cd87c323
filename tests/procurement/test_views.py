import csv
import datetime as dt
import io
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from accounts.enums import Role
from applications.enums import ApplicationState as S
from audit.models import AccessLog, AuditEvent
from panels.models import Consensus
from procurement import services
from procurement.enums import ObjectionGround
from procurement.models import SEOUL, CatalogueEntry, Certificate, ExtensionRequest, Objection
from tests.factories import UserFactory
from tests.factories.procurement import (
    CatalogueEntryFactory,
    add_reviews,
    application_in,
    certified_application,
    officer_user,
    rejected_released_application,
)

pytestmark = pytest.mark.django_db

PPS_PAGES = ["procurement:dashboard", "procurement:suitability_queue", "procurement:catalogue_list"]


# Who may open what ----------------------------------------------------------------------


@pytest.mark.parametrize("name", PPS_PAGES + ["procurement:decision_queue"])
def test_staff_pages_send_anonymous_visitors_to_sign_in(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("name", PPS_PAGES + ["procurement:decision_queue"])
def test_staff_pages_refuse_applicants(client, name):
    client.force_login(UserFactory(roles=[Role.APPLICANT]))
    assert client.get(reverse(name)).status_code == 403


@pytest.mark.parametrize("name", PPS_PAGES)
def test_pps_pages_open_for_pps_and_officers(client, pps, name):
    client.force_login(pps)
    assert client.get(reverse(name)).status_code == 200
    client.force_login(officer_user())
    assert client.get(reverse(name)).status_code == 200


def test_officer_pages_refuse_pps(client, pps):
    application = application_in(S.AWAITING_DECISION)
    client.force_login(pps)
    assert client.get(reverse("procurement:decision_queue")).status_code == 403
    assert (
        client.get(reverse("procurement:decision_detail", args=[application.pk])).status_code == 403
    )
    response = client.post(
        reverse("procurement:decision_decide", args=[application.pk]),
        {"decision": "certify", "reason": "x"},
    )
    assert response.status_code == 403
    application.refresh_from_db()
    assert application.state == S.AWAITING_DECISION


# PPS queues never show experts' identities ---------------------------------------------------


def _reviewed(state=S.SUITABILITY_REVIEW):
    application = application_in(state)
    experts = add_reviews(application)
    chair = experts[0]
    Consensus.objects.filter(application=application).update(chair=chair)
    return application, experts


def _assert_no_expert_identity(response, experts):
    content = response.content.decode()
    for expert in experts:
        assert expert.user.name not in content
        assert expert.user.email not in content
        assert expert.organisation_name not in content


def test_suitability_queue_and_detail_show_consensus_but_no_expert(client, pps):
    application, experts = _reviewed()
    client.force_login(pps)
    queue = client.get(reverse("procurement:suitability_queue"))
    assert application.display_product_name in queue.content.decode()
    assert "84.50" in queue.content.decode()
    _assert_no_expert_identity(queue, experts)
    detail = client.get(reverse("procurement:suitability_detail", args=[application.pk]))
    assert "기술 혁신성이 높고 공공 수요가 분명함" in detail.content.decode()
    _assert_no_expert_identity(detail, experts)


def test_catalogue_pages_show_no_expert(client, pps):
    application, experts = _reviewed(S.AWAITING_DECISION)
    services.application_certify(application=application, by=officer_user())
    client.force_login(pps)
    _assert_no_expert_identity(client.get(reverse("procurement:catalogue_list")), experts)
    entry = services.catalogue_register(
        application=application,
        by=pps,
        classification_number="43211503",
        product_identification_number="24123456",
        unit_price=1,
        supplier_contact="x",
    )
    _assert_no_expert_identity(
        client.get(reverse("procurement:catalogue_detail", args=[entry.pk])), experts
    )
    _assert_no_expert_identity(client.get(reverse("procurement:dashboard")), experts)


def test_suitability_queue_shows_certifications_with_expiry(client, pps):
    from django.core.files.base import ContentFile

    from applications.enums import DocumentKind
    from applications.models import ApplicationDocument

    application = application_in(S.SUITABILITY_REVIEW)
    ApplicationDocument.objects.create(
        application=application,
        kind=DocumentKind.CERTIFICATION,
        title="KC 인증서",
        file=ContentFile(b"%PDF-1.4", name="kc.pdf"),
        original_name="kc.pdf",
        content_type="application/pdf",
        size=8,
        sha256="0" * 64,
        issue_date=dt.date(2025, 1, 1),
        expiry_date=dt.date(2028, 12, 31),
        uploaded_by=application.created_by,
    )
    client.force_login(pps)
    content = client.get(reverse("procurement:suitability_queue")).content.decode()
    assert "KC 인증서" in content and "2028-12-31" in content


def test_suitability_record_through_the_page(client, pps, english):
    application = application_in(S.SUITABILITY_REVIEW)
    client.force_login(pps)
    url = reverse("procurement:suitability_detail", args=[application.pk])
    response = client.post(url, {"suitable": "no", "notes": ""})
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    response = client.post(url, {"suitable": "no", "notes": "조달 수요 불명확"})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.state == S.AWAITING_DECISION
    assert application.suitability_reviews.get().suitable is False


def test_suitability_page_answers_a_concurrent_change_with_a_message(
    client, pps, english, monkeypatch
):
    from django_fsm import ConcurrentTransition

    from procurement import services as procurement_services

    application = application_in(S.SUITABILITY_REVIEW)

    def someone_else_acted(**kwargs):
        raise ConcurrentTransition("state changed")

    monkeypatch.setattr(procurement_services, "suitability_record", someone_else_acted)
    client.force_login(pps)
    url = reverse("procurement:suitability_detail", args=[application.pk])
    response = client.post(url, {"suitable": "yes", "notes": "적합"})
    assert response.status_code == 200
    assert "Someone else changed this application at the same moment." in (
        response.content.decode()
    )
    application.refresh_from_db()
    assert application.state == S.SUITABILITY_REVIEW


# Catalogue registration through the page ----------------------------------------------------


def _register_post(client, application, **kw):
    data = {
        "classification_number": "43211503",
        "product_identification_number": "24123456",
        "unit_price": "12000000",
        "supplier_contact": "영업팀 02-1234-5678",
        "registered_on": "2026-11-20",
    }
    data.update(kw)
    return client.post(reverse("procurement:catalogue_register", args=[application.pk]), data)


def test_catalogue_register_page_malformed_number_keeps_input(client, pps):
    application, _ = certified_application()
    client.force_login(pps)
    response = _register_post(client, application, classification_number="4321150")
    content = response.content.decode()
    assert response.status_code == 200
    assert "exactly 8 digits" in content
    assert 'value="24123456"' in content  # nothing already entered is lost
    assert CatalogueEntry.objects.count() == 0


def test_catalogue_register_page_duplicate_gets_clear_message(client, pps):
    application, _ = certified_application()
    client.force_login(pps)
    assert _register_post(client, application).status_code == 302
    response = _register_post(client, application, product_identification_number="24999999")
    assert response.status_code == 200
    assert "already in the catalogue" in response.content.decode()
    assert CatalogueEntry.objects.count() == 1


def test_catalogue_register_page_records_entry_and_shows_fast_track(client, pps, english):
    application, certificate = certified_application()
    client.force_login(pps)
    response = _register_post(client, application)
    entry = CatalogueEntry.objects.get()
    assert response["Location"] == reverse("procurement:catalogue_detail", args=[entry.pk])
    assert (entry.registered_on, entry.certificate) == (dt.date(2026, 11, 20), certificate)
    page = client.get(response["Location"]).content.decode()
    assert '<span class="badge text-bg-success">Eligible</span>' in page


def test_pilot_purchase_shows_on_record_and_extension_request(client, pps):
    entry = CatalogueEntryFactory()
    client.force_login(pps)
    url = reverse("procurement:catalogue_detail", args=[entry.pk])
    response = client.post(
        url,
        {
            "public_body": "행정안전부",
            "purchased_on": "2026-09-01",
            "quantity": "5",
            "amount": "60000000",
            "feedback": "현장 만족도 높음",
            "rating": "5",
        },
    )
    assert response.status_code == 302
    assert "현장 만족도 높음" in client.get(url).content.decode()
    application = entry.application
    extension = services.certificate_request_extension(
        certificate=entry.certificate, by=application.created_by, reason="수요 지속"
    )
    client.force_login(officer_user())
    page = client.get(reverse("procurement:extension_decide", args=[extension.pk]))
    assert "현장 만족도 높음" in page.content.decode()
    assert "행정안전부" in page.content.decode()


# Officer decisions through the pages -------------------------------------------------------


def test_certify_through_the_page_asks_to_reauthenticate_first(client):
    application = application_in(S.AWAITING_DECISION)
    client.force_login(officer_user())
    response = client.post(
        reverse("procurement:decision_decide", args=[application.pk]), {"decision": "certify"}
    )
    assert response.status_code == 302
    assert "reauthenticate" in response["Location"]
    application.refresh_from_db()
    assert application.state == S.AWAITING_DECISION


def test_certify_through_the_page(client, login):
    application = application_in(S.AWAITING_DECISION)
    login(officer_user())
    response = client.post(
        reverse("procurement:decision_decide", args=[application.pk]),
        {"decision": "certify", "reason": "적합"},
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.state == S.CERTIFIED
    assert application.certificate.number.startswith("PPIR-C-")


def test_reject_without_reason_through_the_page_keeps_state(client, login):
    application = application_in(S.AWAITING_DECISION)
    login(officer_user())
    response = client.post(
        reverse("procurement:decision_decide", args=[application.pk]), {"decision": "reject"}
    )
    assert response.status_code == 400
    assert "Give the reasons the applicant will read." in response.content.decode()
    application.refresh_from_db()
    assert application.state == S.AWAITING_DECISION


def test_revoke_through_the_page(client, login):
    _, certificate = certified_application()
    login(officer_user())
    url = reverse("procurement:certificate_revoke", args=[certificate.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"reason": "허위 서류 제출"})
    assert response.status_code == 302
    certificate.refresh_from_db()
    assert (certificate.state, certificate.revocation_reason) == ("revoked", "허위 서류 제출")


def test_release_through_the_page(client):
    officer = officer_user()
    application = application_in(S.AWAITING_DECISION)
    services.application_reject(application=application, by=officer, reason="근거 부족")
    client.force_login(officer)
    client.post(reverse("procurement:result_release", args=[application.pk]))
    application.refresh_from_db()
    assert application.result_released_at is not None


# Applicants: only their own results, objections, extensions, certificates ---------------------


def test_result_page_before_release_shows_only_the_status(client, english):
    application = application_in(S.AWAITING_DECISION)
    add_reviews(application)
    services.application_reject(application=application, by=officer_user(), reason="근거 부족")
    client.force_login(application.created_by)
    content = client.get(reverse("procurement:result_detail", args=[application.pk])).content
    content = content.decode()
    assert "The detailed result has not been released yet." in content
    assert "근거 부족" not in content
    assert "novelty 의견 0" not in content
    assert "김평가" not in content


def test_result_page_after_release_shows_averages_comments_and_members(client):
    officer = officer_user()
    application = application_in(S.AWAITING_DECISION)
    add_reviews(application)
    services.application_reject(application=application, by=officer, reason="근거 부족")
    services.results_release(application=application, by=officer)
    client.force_login(application.created_by)
    response = client.get(reverse("procurement:result_detail", args=[application.pk]))
    content = response.content.decode()
    assert "80.00 / 100" in content  # average of 80, 90, 70
    assert "novelty 의견 0" in content and "market 의견 2" in content
    assert "근거 부족" in content
    for name in ("김평가", "이심사", "박검토"):
        assert name in content
    assert AccessLog.objects.filter(action="result:view", application=application).count() == 1


def test_result_page_of_another_organisation_is_404(client):
    application = rejected_released_application()
    stranger = application_in(S.SUBMITTED).created_by
    client.force_login(stranger)
    assert (
        client.get(reverse("procurement:result_detail", args=[application.pk])).status_code == 404
    )
    assert (
        client.get(reverse("procurement:objection_file", args=[application.pk])).status_code == 404
    )


def test_objection_form_files_objection(client):
    application = rejected_released_application()
    client.force_login(application.created_by)
    response = client.post(
        reverse("procurement:objection_file", args=[application.pk]),
        {"ground": ObjectionGround.MISREADING, "explanation": "시험성적서 오독"},
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.state == S.OBJECTION


def test_objection_form_after_deadline_says_so_and_changes_nothing(client):
    application = rejected_released_application()
    released = timezone.now() - dt.timedelta(days=16)
    type(application).objects.filter(pk=application.pk).update(result_released_at=released)
    client.force_login(application.created_by)
    response = client.post(
        reverse("procurement:objection_file", args=[application.pk]),
        {"ground": ObjectionGround.MISREADING, "explanation": "시험성적서 오독"},
    )
    assert response.status_code == 200
    assert "An objection can no longer be filed." in response.content.decode()
    assert "시험성적서 오독" in response.content.decode()
    application.refresh_from_db()
    assert application.state == S.REJECTED
    assert Objection.objects.count() == 0


def test_extension_request_page_third_extension_is_refused(client):
    officer = officer_user()
    application, certificate = certified_application(officer=officer)
    for _ in range(2):
        x = services.certificate_request_extension(
            certificate=certificate, by=application.created_by, reason="a"
        )
        services.certificate_decide_extension(extension=x, by=officer, approve=True, reason="ok")
        certificate.refresh_from_db()
    client.force_login(application.created_by)
    response = client.post(
        reverse("procurement:extension_request", args=[certificate.pk]), {"reason": "세 번째"}
    )
    assert response.status_code == 200
    assert "A third extension is not possible." in response.content.decode()
    assert ExtensionRequest.objects.count() == 2


def test_extension_request_page_of_another_organisation_is_404(client):
    _, certificate = certified_application()
    client.force_login(application_in(S.SUBMITTED).created_by)
    url = reverse("procurement:extension_request", args=[certificate.pk])
    assert client.get(url).status_code == 404


def test_certificate_download_owner_pps_officer_yes_stranger_no(client, pps):
    application, certificate = certified_application()
    url = reverse("procurement:certificate_download", args=[certificate.pk])
    for user in (application.created_by, pps, officer_user()):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith(
            f'attachment; filename="{certificate.number}.pdf"'
        )
        assert response["Content-Security-Policy"] == "sandbox; default-src 'none'"
        assert b"".join(response.streaming_content)[:5] == b"%PDF-"
    assert AccessLog.objects.filter(action="certificate:download").count() == 3
    client.force_login(application_in(S.SUBMITTED).created_by)
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302


def test_my_results_lists_only_own_applications(client):
    mine, _ = certified_application()
    theirs, _ = certified_application()
    client.force_login(mine.created_by)
    content = client.get(reverse("procurement:my_results")).content.decode()
    assert mine.display_product_name in content
    assert theirs.product_name not in content


# Public pages ------------------------------------------------------------------------------


def _four_certificates():
    """A valid, an extended, an expired and a revoked certificate."""
    officer = officer_user()
    valid_app, valid = certified_application(officer=officer)
    ext_app, extended = certified_application(officer=officer)
    x = services.certificate_request_extension(
        certificate=extended, by=ext_app.created_by, reason="a"
    )
    services.certificate_decide_extension(extension=x, by=officer, approve=True, reason="ok")
    _, expired = certified_application(officer=officer)
    Certificate.objects.filter(pk=expired.pk).update(
        issued_on=dt.date(2022, 1, 3), valid_until=dt.date(2025, 1, 2)
    )
    services.certificates_expire()
    _, revoked = certified_application(officer=officer)
    services.certificate_revoke(certificate=revoked, by=officer, reason="허위 서류 제출")
    return [Certificate.objects.get(pk=c.pk) for c in (valid, extended, expired, revoked)]


def test_verify_page_in_all_four_cases(client):
    valid, extended, expired, revoked = _four_certificates()
    r = client.get(reverse("public:verify", args=[valid.number]))
    assert r.status_code == 200
    assert 'class="alert alert-success"' in r.content.decode()
    content = client.get(reverse("public:verify", args=[expired.number])).content.decode()
    assert 'class="alert alert-secondary"' in content and "2025-01-03" in content
    assert "alert-success" not in content
    content = client.get(reverse("public:verify", args=[revoked.number])).content.decode()
    revoked_day = timezone.localtime(revoked.revoked_at, SEOUL).date()
    assert f"{revoked_day:%Y-%m-%d}" in content and "허위 서류 제출" in content
    assert 'class="alert alert-danger"' in content and "alert-success" not in content
    r = client.get(reverse("public:verify", args=["PPIR-C-1999-0001"]))
    assert r.status_code == 404
    assert "PPIR-C-1999-0001" in r.content.decode()


@pytest.fixture
def english(settings):
    settings.LANGUAGE_CODE = "en"


def test_verify_page_words_in_english(client, english):
    valid, extended, expired, revoked = _four_certificates()
    hdr = {"HTTP_ACCEPT_LANGUAGE": "en"}
    content = client.get(reverse("public:verify", args=[valid.number]), **hdr).content.decode()
    assert f"Certificate {valid.number} is valid until {valid.valid_until:%Y-%m-%d}." in content
    content = client.get(reverse("public:verify", args=[expired.number]), **hdr).content.decode()
    assert f"Certificate {expired.number} expired on 2025-01-03." in content
    content = client.get(reverse("public:verify", args=[revoked.number]), **hdr).content.decode()
    day = timezone.localtime(revoked.revoked_at, SEOUL).date()
    assert f"Certificate {revoked.number} was revoked on {day:%Y-%m-%d}." in content
    assert "Reason: 허위 서류 제출" in content
    content = client.get(reverse("public:verify", args=["PPIR-C-1999-0009"]), **hdr)
    assert "No certificate has the number PPIR-C-1999-0009." in content.content.decode()


def test_verify_lookup_redirects_to_the_number(client):
    response = client.get(reverse("public:verify_lookup"), {"number": " PPIR-C-2026-0007 "})
    assert response["Location"] == reverse("public:verify", args=["PPIR-C-2026-0007"])


def test_verify_across_the_korean_date_boundary(client, english):
    _, certificate = certified_application()
    Certificate.objects.filter(pk=certificate.pk).update(valid_until=dt.date(2027, 5, 10))
    url = reverse("public:verify", args=[certificate.number])
    hdr = {"HTTP_ACCEPT_LANGUAGE": "en"}
    last_minute = dt.datetime(2027, 5, 10, 23, 59, 30, tzinfo=SEOUL)
    with mock.patch("django.utils.timezone.now", return_value=last_minute):
        assert "is valid until 2027-05-10" in client.get(url, **hdr).content.decode()
        register = client.get(reverse("public:register"), {"status": "valid"}, **hdr)
        assert certificate.number in register.content.decode()
    midnight = dt.datetime(2027, 5, 11, 0, 0, tzinfo=SEOUL)
    with mock.patch("django.utils.timezone.now", return_value=midnight):
        assert "expired on 2027-05-11" in client.get(url, **hdr).content.decode()
        register = client.get(reverse("public:register"), {"status": "valid"}, **hdr)
        assert certificate.number not in register.content.decode()
        register = client.get(reverse("public:register"), {"status": "expired"}, **hdr)
        assert certificate.number in register.content.decode()


def test_register_filters_and_never_shows_ended_certificates_as_valid(client):
    valid, extended, expired, revoked = _four_certificates()

    def numbers(**params):
        content = client.get(reverse("public:register"), params).content.decode()
        return [c.number for c in (valid, extended, expired, revoked) if c.number in content]

    assert numbers() == [valid.number, extended.number, expired.number, revoked.number]
    assert numbers(status="valid") == [valid.number, extended.number]
    assert numbers(status="expired") == [expired.number]
    assert numbers(status="revoked") == [revoked.number]
    assert numbers(q=valid.application.product_name) == [valid.number]
    assert numbers(q=revoked.application.organisation.name) == [revoked.number]
    assert numbers(subfield=expired.application.subfield_id) == [expired.number]


def test_register_shows_no_personal_data(client):
    application, certificate = certified_application()
    content = client.get(reverse("public:register")).content.decode()
    assert certificate.number in content
    assert application.created_by.email not in content
    assert application.created_by.name not in content


def test_register_is_paginated(client):
    for _ in range(21):
        certified_application()
    first = client.get(reverse("public:register")).content.decode()
    second = client.get(reverse("public:register"), {"page": 2}).content.decode()
    assert first.count("/verify/PPIR-C-") == 20
    assert second.count("/verify/PPIR-C-") == 1


# Exports ---------------------------------------------------------------------------------


def test_register_export_csv_contents_and_audit(client, login):
    valid, extended, expired, revoked = _four_certificates()
    officer = officer_user()
    login(officer)
    response = client.get(reverse("procurement:export_register", args=["csv"]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="ppir-register-')
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 5
    status = {row[0]: row[9] for row in rows[1:]}
    # Korean is the default language: 유효 / 만료 / 취소 in Korean once translated; the
    # msgids until then. Either way the ended ones never read as valid.
    assert status[valid.number] == status[extended.number]
    assert status[expired.number] != status[valid.number]
    assert status[revoked.number] not in (status[valid.number], status[expired.number])
    by_number = {row[0]: row for row in rows[1:]}
    assert by_number[revoked.number][11] == "허위 서류 제출"
    assert by_number[extended.number][8] == "1"
    event = AuditEvent.objects.get(action="export:register")
    assert (event.actor, event.data) == (officer, {"format": "csv", "rows": 4, "round": ""})


def test_catalogue_export_xlsx_contents(client, login, pps):
    entry = CatalogueEntryFactory()
    login(pps)
    response = client.get(reverse("procurement:export_catalogue", args=["xlsx"]))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 2
    assert rows[1][:5] == (
        entry.product_identification_number,
        "43211503",
        entry.application.product_name,
        entry.application.organisation.name,
        12_000_000,
    )
    assert rows[1][8] == entry.certificate.number
    assert AuditEvent.objects.get(action="export:catalogue").data["format"] == "xlsx"


def test_catalogue_export_after_revocation_shows_not_eligible(client, login, english):
    entry = CatalogueEntryFactory()
    services.certificate_revoke(certificate=entry.certificate, by=officer_user(), reason="x")
    login(officer_user())
    response = client.get(
        reverse("procurement:export_catalogue", args=["csv"]), HTTP_ACCEPT_LANGUAGE="en"
    )
    row = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))[1]
    assert (row[9], row[10]) == ("Revoked", "No")


def test_round_results_export_csv(client, login):
    application, certificate = certified_application()
    login(officer_user())
    url = reverse("procurement:export_round_results", args=[application.round_id, "csv"])
    rows = list(csv.reader(io.StringIO(client.get(url).content.decode("utf-8-sig"))))
    assert len(rows) == 2
    row = rows[1]
    assert (row[0], row[1], row[3], row[6], row[9]) == (
        application.reference,
        application.product_name,
        application.organisation.business_number_display,
        "84.50",
        certificate.number,
    )


def test_exports_refused_to_applicants(client, login):
    application, _ = certified_application()
    login(application.created_by)
    assert client.get(reverse("procurement:export_register", args=["csv"])).status_code == 403
    assert AuditEvent.objects.filter(action__startswith="export:").count() == 0


def test_export_unknown_format_is_404(client, login):
    login(officer_user())
    assert client.get(reverse("procurement:export_register", args=["pdf"])).status_code == 404


# Query counts stay flat -------------------------------------------------------------------


def _count(django_assert_max_num_queries, client, url, n):
    with django_assert_max_num_queries(n):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("rows", [1, 6])
def test_suitability_queue_query_count(client, pps, django_assert_num_queries, rows):
    for _ in range(rows):
        application_in(S.SUITABILITY_REVIEW)
    client.force_login(pps)
    client.get(reverse("procurement:suitability_queue"))  # warm the session and role cache
    with django_assert_num_queries(12):
        client.get(reverse("procurement:suitability_queue"))


@pytest.mark.parametrize("rows", [1, 6])
def test_catalogue_list_query_count(client, pps, django_assert_num_queries, rows):
    for _ in range(rows):
        CatalogueEntryFactory()
    client.force_login(pps)
    client.get(reverse("procurement:catalogue_list"))
    with django_assert_num_queries(9):
        client.get(reverse("procurement:catalogue_list"))


@pytest.mark.parametrize("rows", [1, 6])
def test_register_query_count(client, django_assert_num_queries, rows):
    for _ in range(rows):
        certified_application()
    with django_assert_num_queries(3):
        client.get(reverse("public:register"))


@pytest.mark.parametrize("rows", [1, 6])
def test_decision_queue_query_count(client, django_assert_num_queries, rows):
    for _ in range(rows):
        application_in(S.AWAITING_DECISION)
    client.force_login(officer_user())
    client.get(reverse("procurement:decision_queue"))
    with django_assert_num_queries(13):
        client.get(reverse("procurement:decision_queue"))


def test_objection_document_served_to_officers_only(client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    application = rejected_released_application()
    objection = services.objection_file(
        application=application,
        by=application.created_by,
        ground=ObjectionGround.ADMINISTRATIVE_ERROR,
        explanation="서류 누락 처리 오류",
        files=[SimpleUploadedFile("근거.pdf", b"%PDF-1.4\n%x\n", content_type="application/pdf")],
    )
    document = objection.documents.get()
    url = reverse("procurement:objection_document", args=[document.pk])
    client.force_login(application.created_by)
    assert client.get(url).status_code == 403
    client.force_login(officer_user())
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4\n%x\n"
    assert AccessLog.objects.filter(action="objection_document:download").count() == 1


@pytest.mark.parametrize("rows", [1, 6])
def test_my_results_query_count(client, django_assert_num_queries, rows):
    application, _ = certified_application()
    for _ in range(rows - 1):
        certified_application(organisation=application.organisation)
    client.force_login(application.created_by)
    client.get(reverse("procurement:my_results"))
    with django_assert_num_queries(5):
        response = client.get(reverse("procurement:my_results"))
    assert response.content.decode().count("/procurement/results/") == rows


def test_fallback_averages_drop_highest_and_lowest_from_five_scores():
    # Used only until the scoring work's panels.selectors.result_summary is on main.
    from decimal import Decimal

    from procurement.selectors import _average

    assert _average([50, 70, 80, 90, 100], 5) == Decimal("80.00")
    assert _average([50, 70, 80, 90], 5) == Decimal("72.50")
    assert _average([], 5) is None


def test_export_asks_to_reauthenticate_first(client):
    client.force_login(officer_user())
    response = client.get(reverse("procurement:export_register", args=["csv"]))
    assert response.status_code == 302
    assert "reauthenticate" in response["Location"]
    assert AuditEvent.objects.filter(action__startswith="export:").count() == 0


def test_exports_write_formula_like_text_as_text(client, login):
    application, certificate = certified_application(product_name='=HYPERLINK("x")')
    login(officer_user())
    csv_rows = list(
        csv.reader(
            io.StringIO(
                client.get(reverse("procurement:export_register", args=["csv"])).content.decode(
                    "utf-8-sig"
                )
            )
        )
    )
    assert csv_rows[1][1] == '\'=HYPERLINK("x")'
    xlsx = client.get(reverse("procurement:export_register", args=["xlsx"])).content
    cell = load_workbook(io.BytesIO(xlsx)).active["B2"]
    assert (cell.value, cell.data_type) == ('\'=HYPERLINK("x")', "s")


@pytest.mark.parametrize("rows", [1, 6])
def test_export_index_query_count(client, pps, django_assert_num_queries, rows):
    from tests.factories import RoundFactory

    RoundFactory.create_batch(rows)
    client.force_login(pps)
    client.get(reverse("procurement:export_index"))
    with django_assert_num_queries(7):
        client.get(reverse("procurement:export_index"))


@pytest.mark.parametrize("rows", [1, 6])
def test_catalogue_detail_query_count(client, pps, django_assert_num_queries, rows):
    from tests.factories.procurement import PilotPurchaseFactory

    entry = CatalogueEntryFactory()
    PilotPurchaseFactory.create_batch(rows, application=entry.application)
    client.force_login(pps)
    url = reverse("procurement:catalogue_detail", args=[entry.pk])
    client.get(url)
    with django_assert_num_queries(8):
        response = client.get(url)
    assert response.content.decode().count("세종특별자치시청") == rows


@pytest.mark.parametrize("decision", ["accept", "dismiss"])
def test_objection_decision_page_answers_a_concurrent_change_with_a_message(
    client, english, monkeypatch, decision
):
    """Two officers deciding the same objection: the one who loses reads a sentence, keeps
    what was typed, and nothing is recorded twice."""
    from django_fsm import ConcurrentTransition

    application = rejected_released_application()
    objection = services.objection_file(
        application=application,
        by=application.created_by,
        ground=ObjectionGround.EVALUATOR_ERROR,
        explanation="평가위원 오류",
    )

    def someone_else_acted(**kwargs):
        raise ConcurrentTransition("state changed")

    monkeypatch.setattr(services, f"objection_{decision}", someone_else_acted)
    client.force_login(officer_user())
    url = reverse("procurement:objection_decide", args=[objection.pk])
    response = client.post(url, {"decision": decision, "reason": "재검토 사유"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Someone else changed this application at the same moment." in page
    assert "재검토 사유" in page
    objection.refresh_from_db()
    assert objection.decision == "pending"
