import datetime as dt
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation
from django_fsm import ConcurrentTransition, TransitionNotAllowed

from applications.enums import ApplicationState as S
from audit.models import AuditEvent
from notifications.enums import Event
from notifications.models import Notification
from procurement import services
from procurement.enums import CertificateState as CS
from procurement.enums import ExtensionState, ObjectionDecision, ObjectionGround
from procurement.models import (
    SEOUL,
    CatalogueEntry,
    Certificate,
    ExtensionRequest,
    Objection,
    SuitabilityReview,
)
from tests.factories import UserFactory
from tests.factories.procurement import (
    application_in,
    certified_application,
    officer_user,
    rejected_released_application,
)

pytestmark = pytest.mark.django_db


def _register(application, by, **kw):
    data = {
        "classification_number": "43211503",
        "product_identification_number": "24123456",
        "unit_price": 12_000_000,
        "supplier_contact": "영업팀 02-1234-5678",
    }
    data.update(kw)
    return services.catalogue_register(application=application, by=by, **data)


# Suitability --------------------------------------------------------------------------


def test_suitability_record_by_pps_moves_to_awaiting_decision(pps):
    application = application_in(S.SUITABILITY_REVIEW)
    review = services.suitability_record(
        application=application, by=pps, suitable=True, notes="공공 수요 충분"
    )
    application.refresh_from_db()
    assert application.state == S.AWAITING_DECISION
    assert (review.suitable, review.notes, review.pre_registered) == (True, "공공 수요 충분", False)
    event = AuditEvent.objects.get(application=application, action="transition:record_suitability")
    assert (event.actor, event.from_state, event.to_state) == (
        pps,
        S.SUITABILITY_REVIEW,
        S.AWAITING_DECISION,
    )


def test_suitability_record_notes_pre_registration(pps):
    application = application_in(S.SUITABILITY_REVIEW)
    _register(application, pps)
    review = services.suitability_record(application=application, by=pps, suitable=True, notes="x")
    assert review.pre_registered is True


def test_suitability_record_by_applicant_is_denied_and_writes_nothing():
    application = application_in(S.SUITABILITY_REVIEW)
    with pytest.raises(PermissionDenied):
        services.suitability_record(
            application=application, by=application.created_by, suitable=True, notes="x"
        )
    application.refresh_from_db()
    assert application.state == S.SUITABILITY_REVIEW
    assert SuitabilityReview.objects.count() == 0


def test_suitability_record_in_wrong_state_is_not_allowed(pps):
    application = application_in(S.IN_REVIEW)
    with pytest.raises(TransitionNotAllowed):
        services.suitability_record(application=application, by=pps, suitable=False, notes="x")
    assert SuitabilityReview.objects.count() == 0


def test_suitability_record_without_notes_is_refused(pps):
    application = application_in(S.SUITABILITY_REVIEW)
    with pytest.raises(ValidationError) as exc:
        services.suitability_record(application=application, by=pps, suitable=True, notes="  ")
    assert "notes" in exc.value.error_dict


def test_suitability_concurrent_change_raises_and_writes_nothing(pps):
    application = application_in(S.SUITABILITY_REVIEW)
    stale = type(application).objects.get(pk=application.pk)
    services.suitability_record(application=application, by=pps, suitable=True, notes="a")
    # The stale copy still believes the state is SUITABILITY_REVIEW.
    with pytest.raises(ConcurrentTransition):
        services.suitability_record(application=stale, by=pps, suitable=False, notes="b")
    assert SuitabilityReview.objects.filter(application=application).count() == 1


# Decision and certificate ---------------------------------------------------------------


def test_certify_issues_numbered_certificate_valid_three_years(django_capture_on_commit_callbacks):
    officer = officer_user()
    application = application_in(S.AWAITING_DECISION)
    with (
        mock.patch("procurement.services.seoul_today", return_value=dt.date(2026, 3, 2)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        certificate = services.application_certify(
            application=application, by=officer, reason="적합"
        )
    application.refresh_from_db()
    assert application.state == S.CERTIFIED
    assert certificate.number == "PPIR-C-2026-0001"
    assert (certificate.issued_on, certificate.valid_until) == (
        dt.date(2026, 3, 2),
        dt.date(2029, 3, 1),
    )
    assert certificate.state == CS.VALID
    certificate.refresh_from_db()
    assert certificate.pdf.name.endswith(".pdf")
    assert certificate.pdf_valid_until == dt.date(2029, 3, 1)
    notice = Notification.objects.get(event=Event.CERTIFICATE_ISSUED)
    assert notice.recipient == application.created_by
    assert notice.context["number"] == "PPIR-C-2026-0001"


def test_certificate_serial_continues_within_the_year():
    _, first = certified_application()
    _, second = certified_application()
    year = timezone.localdate().year
    assert (first.number, second.number) == (f"PPIR-C-{year}-0001", f"PPIR-C-{year}-0002")


def test_certify_links_pre_registered_catalogue_entry(pps):
    application = application_in(S.AWAITING_DECISION)
    entry = _register(application, pps)
    assert entry.pre_registered is True and entry.fast_track_eligible is False
    certificate = services.application_certify(application=application, by=officer_user())
    entry.refresh_from_db()
    assert entry.certificate == certificate
    assert entry.fast_track_eligible is True


def test_certify_by_pps_is_denied(pps):
    application = application_in(S.AWAITING_DECISION)
    with pytest.raises(PermissionDenied):
        services.application_certify(application=application, by=pps)
    assert Certificate.objects.count() == 0


def test_certify_from_suitability_review_is_not_allowed():
    application = application_in(S.SUITABILITY_REVIEW)
    with pytest.raises(TransitionNotAllowed):
        services.application_certify(application=application, by=officer_user())
    assert Certificate.objects.count() == 0


def test_reject_requires_reasons():
    application = application_in(S.AWAITING_DECISION)
    with pytest.raises(ValidationError):
        services.application_reject(application=application, by=officer_user(), reason=" ")
    application.refresh_from_db()
    assert application.state == S.AWAITING_DECISION


def test_reject_records_reasons():
    application = application_in(S.AWAITING_DECISION)
    services.application_reject(application=application, by=officer_user(), reason="근거 부족")
    application.refresh_from_db()
    assert (application.state, application.decision_reason) == (S.REJECTED, "근거 부족")


def test_results_release_sets_time_and_notifies():
    officer = officer_user()
    application = application_in(S.AWAITING_DECISION)
    services.application_reject(application=application, by=officer, reason="근거 부족")
    assert application.result_released_at is None
    services.results_release(application=application, by=officer)
    application.refresh_from_db()
    assert application.result_released_at is not None
    notice = Notification.objects.get(event=Event.RESULT_RELEASED)
    assert notice.recipient == application.created_by
    with pytest.raises(ValidationError):
        services.results_release(application=application, by=officer)


def test_results_release_by_pps_is_denied(pps):
    application = application_in(S.AWAITING_DECISION)
    services.application_reject(application=application, by=officer_user(), reason="x")
    with pytest.raises(PermissionDenied):
        services.results_release(application=application, by=pps)


def test_results_release_before_decision_is_refused():
    application = application_in(S.AWAITING_DECISION)
    with pytest.raises(ValidationError):
        services.results_release(application=application, by=officer_user())


# Objections ----------------------------------------------------------------------------


def _pdf_upload(name="evidence.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4\n%test\n", content_type="application/pdf")


def test_objection_file_within_deadline():
    application = rejected_released_application()
    owner = application.created_by
    objection = services.objection_file(
        application=application,
        by=owner,
        ground=ObjectionGround.MISREADING,
        explanation="시험성적서를 잘못 읽음",
        files=[_pdf_upload()],
    )
    application.refresh_from_db()
    assert application.state == S.OBJECTION
    assert objection.documents.get().original_name == "evidence.pdf"
    released = timezone.localtime(application.result_released_at, SEOUL).date()
    assert objection.deadline == dt.datetime.combine(
        released + dt.timedelta(days=14), dt.time(23, 59, 59), tzinfo=SEOUL
    )
    assert Notification.objects.filter(event=Event.OBJECTION_RECEIVED).count() == 2  # owner+officer


def test_objection_after_deadline_is_refused_and_changes_nothing():
    application = rejected_released_application()
    later = timezone.now() + dt.timedelta(days=16)
    with (
        mock.patch("django.utils.timezone.now", return_value=later),
        pytest.raises(ValidationError) as exc,
    ):
        services.objection_file(
            application=application,
            by=application.created_by,
            ground=ObjectionGround.MISREADING,
            explanation="늦음",
        )
    assert "deadline for objections was" in exc.value.messages[0]
    application.refresh_from_db()
    assert application.state == S.REJECTED
    assert Objection.objects.count() == 0


def test_objection_by_another_organisation_is_denied():
    application = rejected_released_application()
    other = application_in(S.SUBMITTED).created_by
    with pytest.raises(PermissionDenied):
        services.objection_file(
            application=application, by=other, ground=ObjectionGround.MISREADING, explanation="x"
        )
    assert Objection.objects.count() == 0


def test_objection_before_release_is_denied():
    application = application_in(S.AWAITING_DECISION)
    services.application_reject(application=application, by=officer_user(), reason="x")
    with pytest.raises(PermissionDenied):
        services.objection_file(
            application=application,
            by=application.created_by,
            ground=ObjectionGround.MISREADING,
            explanation="x",
        )


def test_objection_with_a_bad_file_is_refused_and_changes_nothing():
    application = rejected_released_application()
    fake = SimpleUploadedFile("a.pdf", b"not a pdf at all", content_type="application/pdf")
    with pytest.raises(ValidationError) as exc:
        services.objection_file(
            application=application,
            by=application.created_by,
            ground=ObjectionGround.ADMINISTRATIVE_ERROR,
            explanation="x",
            files=[fake],
        )
    assert "documents" in exc.value.error_dict
    assert Objection.objects.count() == 0


def test_objection_on_unknown_ground_is_refused():
    application = rejected_released_application()
    with pytest.raises(ValidationError):
        services.objection_file(
            application=application, by=application.created_by, ground="dislike", explanation="x"
        )


def _objection():
    application = rejected_released_application()
    return services.objection_file(
        application=application,
        by=application.created_by,
        ground=ObjectionGround.EVALUATOR_ERROR,
        explanation="평가위원 오류",
    )


def test_objection_accept_goes_back_to_review_and_asks_for_rereview(
    django_capture_on_commit_callbacks,
):
    objection = _objection()
    officer = officer_user()
    calls = []

    def fake_run(*, application, by, rereview):
        calls.append((application.pk, by, rereview))

    import panels

    fake_module = mock.Mock(spec=["assignment_run_for_application"])
    fake_module.assignment_run_for_application = fake_run
    with (
        mock.patch.dict("sys.modules", {"panels.services": fake_module}),
        mock.patch.object(panels, "services", fake_module, create=True),
        django_capture_on_commit_callbacks(execute=True),
    ):
        services.objection_accept(objection=objection, by=officer, reason="오독 인정")
    objection.refresh_from_db()
    application = objection.application
    application.refresh_from_db()
    assert objection.decision == ObjectionDecision.ACCEPTED
    assert application.state == S.IN_REVIEW
    assert application.result_released_at is None
    assert calls == [(application.pk, officer, True)]
    assert Notification.objects.filter(event=Event.OBJECTION_DECIDED).count() == 1


def test_objection_dismiss_back_to_rejected_and_twice_is_refused():
    objection = _objection()
    officer = officer_user()
    services.objection_dismiss(objection=objection, by=officer, reason="사유 없음")
    objection.application.refresh_from_db()
    assert objection.application.state == S.REJECTED
    with pytest.raises(ValidationError):
        services.objection_accept(objection=objection, by=officer, reason="x")


def test_objection_decision_by_applicant_is_denied():
    objection = _objection()
    with pytest.raises(PermissionDenied):
        services.objection_accept(objection=objection, by=objection.filed_by, reason="x")
    objection.refresh_from_db()
    assert objection.decision == ObjectionDecision.PENDING


def test_second_objection_to_the_same_result_is_refused():
    objection = _objection()
    services.objection_dismiss(objection=objection, by=officer_user(), reason="사유 없음")
    application = objection.application
    application.refresh_from_db()
    with pytest.raises(ValidationError):
        services.objection_file(
            application=application,
            by=application.created_by,
            ground=ObjectionGround.MISREADING,
            explanation="다시",
        )


# Extensions ----------------------------------------------------------------------------


def test_extensions_first_one_year_then_two_years_then_no_third():
    officer = officer_user()
    application, certificate = certified_application(officer=officer)
    owner = application.created_by
    start = certificate.valid_until
    first = services.certificate_request_extension(certificate=certificate, by=owner, reason="a")
    assert first.ordinal == 1
    services.certificate_decide_extension(extension=first, by=officer, approve=True, reason="ok")
    certificate.refresh_from_db()
    assert certificate.valid_until == start.replace(year=start.year + 1)
    second = services.certificate_request_extension(certificate=certificate, by=owner, reason="b")
    assert second.ordinal == 2
    services.certificate_decide_extension(extension=second, by=officer, approve=True, reason="ok")
    certificate.refresh_from_db()
    assert certificate.valid_until == start.replace(year=start.year + 3)
    assert certificate.extensions_used == 2
    with pytest.raises(ValidationError) as exc:
        services.certificate_request_extension(certificate=certificate, by=owner, reason="c")
    assert "A third extension is not possible" in exc.value.messages[0]
    assert ExtensionRequest.objects.count() == 2
    assert Notification.objects.filter(event=Event.EXTENSION_DECIDED).count() == 2


def test_extension_refused_keeps_validity_and_allows_a_new_request():
    officer = officer_user()
    application, certificate = certified_application(officer=officer)
    before = certificate.valid_until
    request = services.certificate_request_extension(
        certificate=certificate, by=application.created_by, reason="a"
    )
    services.certificate_decide_extension(extension=request, by=officer, approve=False, reason="no")
    certificate.refresh_from_db()
    assert (certificate.valid_until, certificate.extensions_used) == (before, 0)
    assert request.state == ExtensionState.REFUSED
    again = services.certificate_request_extension(
        certificate=certificate, by=application.created_by, reason="b"
    )
    assert again.ordinal == 1


def test_extension_request_by_another_organisation_is_denied():
    _, certificate = certified_application()
    stranger = application_in(S.SUBMITTED).created_by
    with pytest.raises(PermissionDenied):
        services.certificate_request_extension(certificate=certificate, by=stranger, reason="x")


def test_extension_pending_twice_is_refused():
    application, certificate = certified_application()
    services.certificate_request_extension(
        certificate=certificate, by=application.created_by, reason="a"
    )
    with pytest.raises(ValidationError):
        services.certificate_request_extension(
            certificate=certificate, by=application.created_by, reason="b"
        )


def test_extension_decided_by_applicant_is_denied():
    application, certificate = certified_application()
    request = services.certificate_request_extension(
        certificate=certificate, by=application.created_by, reason="a"
    )
    with pytest.raises(PermissionDenied):
        services.certificate_decide_extension(
            extension=request, by=application.created_by, approve=True, reason="x"
        )


def test_extension_of_revoked_certificate_is_refused():
    officer = officer_user()
    application, certificate = certified_application(officer=officer)
    services.certificate_revoke(certificate=certificate, by=officer, reason="허위")
    with pytest.raises(ValidationError):
        services.certificate_request_extension(
            certificate=certificate, by=application.created_by, reason="a"
        )


# Revocation and expiry -----------------------------------------------------------------


def test_revoke_is_effective_at_once_and_notifies(pps):
    officer = officer_user()
    application, certificate = certified_application(officer=officer)
    entry = _register(application, pps)
    assert entry.fast_track_eligible is True
    services.certificate_revoke(certificate=certificate, by=officer, reason="허위 서류")
    certificate.refresh_from_db()
    entry.refresh_from_db()
    assert (certificate.state, certificate.revocation_reason) == (CS.REVOKED, "허위 서류")
    assert certificate.status == CS.REVOKED
    assert entry.fast_track_eligible is False
    assert Notification.objects.get(event=Event.REVOCATION).recipient == application.created_by
    with pytest.raises(TransitionNotAllowed):
        services.certificate_revoke(certificate=certificate, by=officer, reason="again")


def test_revoke_by_pps_is_denied(pps):
    _, certificate = certified_application()
    with pytest.raises(PermissionDenied):
        services.certificate_revoke(certificate=certificate, by=pps, reason="x")


def test_revoke_without_reason_is_refused():
    _, certificate = certified_application()
    with pytest.raises(ValidationError):
        services.certificate_revoke(certificate=certificate, by=officer_user(), reason="")
    certificate.refresh_from_db()
    assert certificate.state == CS.VALID


def test_expiry_across_the_korean_date_boundary(pps):
    application, certificate = certified_application()
    entry = _register(application, pps)
    today = dt.date(2027, 5, 10)
    Certificate.objects.filter(pk=certificate.pk).update(valid_until=today)
    certificate.refresh_from_db()
    # 23:59 KST on the last day: still valid; 00:00 KST the next day: expired.
    last_minute = dt.datetime(2027, 5, 10, 23, 59, tzinfo=SEOUL)
    midnight = dt.datetime(2027, 5, 11, 0, 0, tzinfo=SEOUL)
    with mock.patch("django.utils.timezone.now", return_value=last_minute):
        assert certificate.status == CS.VALID
        assert entry.fast_track_eligible is True
        assert services.certificates_expire() == []
    with mock.patch("django.utils.timezone.now", return_value=midnight):
        # Shown as expired even before the nightly task runs ...
        assert certificate.status == CS.EXPIRED
        entry.certificate.refresh_from_db()
        assert entry.fast_track_eligible is False
        # ... and the task moves the state, once.
        assert services.certificates_expire() == [certificate.number]
        assert services.certificates_expire() == []
    certificate.refresh_from_db()
    assert (certificate.state, certificate.expired_on) == (CS.EXPIRED, dt.date(2027, 5, 11))


def test_expiry_reminders_90_and_30_days_once_each():
    application, certificate = certified_application()
    valid_until = certificate.valid_until
    day90 = valid_until - dt.timedelta(days=90)
    assert services.certificate_expiry_reminders(today=day90 - dt.timedelta(days=1)) == 0
    assert services.certificate_expiry_reminders(today=day90) == 1
    assert services.certificate_expiry_reminders(today=day90 + dt.timedelta(days=1)) == 0
    day30 = valid_until - dt.timedelta(days=30)
    assert services.certificate_expiry_reminders(today=day30) == 1
    assert services.certificate_expiry_reminders(today=day30) == 0
    keys = sorted(
        Notification.objects.filter(event=Event.EXPIRY_COMING).values_list(
            "idempotency_key", flat=True
        )
    )
    owner = application.created_by.pk
    assert keys == [
        f"expiry_coming:{certificate.number}:{valid_until}:30:{owner}",
        f"expiry_coming:{certificate.number}:{valid_until}:90:{owner}",
    ]


# Catalogue -----------------------------------------------------------------------------


def test_catalogue_register_certified_product(pps):
    application, certificate = certified_application()
    entry = _register(application, pps)
    assert (entry.certificate, entry.pre_registered, entry.fast_track_eligible) == (
        certificate,
        False,
        True,
    )
    assert Notification.objects.filter(event=Event.CATALOGUE_REGISTRATION).count() == 1
    assert AuditEvent.objects.filter(action="catalogue:register").count() == 1


def test_catalogue_duplicate_registration_is_refused_and_changes_nothing(pps):
    application, _ = certified_application()
    _register(application, pps)
    with pytest.raises(ValidationError) as exc:
        _register(application, pps, product_identification_number="24999999")
    assert "already in the catalogue" in exc.value.messages[0]
    assert CatalogueEntry.objects.count() == 1


def test_catalogue_duplicate_product_identification_number_is_refused(pps):
    first, _ = certified_application()
    second, _ = certified_application()
    _register(first, pps)
    with pytest.raises(ValidationError) as exc:
        _register(second, pps)
    assert list(exc.value.error_dict) == ["product_identification_number"]
    assert CatalogueEntry.objects.count() == 1


@pytest.mark.parametrize("number", ["4321150", "432115031", "4321150A", "", "4321-1503"])
def test_catalogue_malformed_classification_number_is_refused(pps, number):
    application, _ = certified_application()
    with pytest.raises(ValidationError) as exc:
        _register(application, pps, classification_number=number)
    assert exc.value.error_dict["classification_number"][0].messages == [
        "A procurement classification number is exactly 8 digits, for example 43211503."
    ]
    assert CatalogueEntry.objects.count() == 0


def test_catalogue_register_by_applicant_is_denied():
    application, _ = certified_application()
    with pytest.raises(PermissionDenied):
        _register(application, application.created_by)


def test_catalogue_register_in_review_is_refused(pps):
    application = application_in(S.IN_REVIEW)
    with pytest.raises(ValidationError):
        _register(application, pps)


def test_catalogue_register_revoked_product_is_refused(pps):
    officer = officer_user()
    application, certificate = certified_application(officer=officer)
    services.certificate_revoke(certificate=certificate, by=officer, reason="x")
    with pytest.raises(ValidationError):
        _register(application, pps)
    assert CatalogueEntry.objects.count() == 0


def test_pilot_purchase_needs_catalogue_entry(pps):
    application, _ = certified_application()
    with pytest.raises(ValidationError):
        services.pilot_purchase_record(
            application=application,
            by=pps,
            public_body="세종시청",
            purchased_on=dt.date(2026, 10, 1),
            quantity=1,
            amount=1,
        )
    _register(application, pps)
    purchase = services.pilot_purchase_record(
        application=application,
        by=pps,
        public_body="세종시청",
        purchased_on=dt.date(2026, 10, 1),
        quantity=3,
        amount=36_000_000,
        feedback="만족",
        rating=4,
    )
    assert (purchase.public_body, purchase.rating) == ("세종시청", 4)


def test_pilot_purchase_by_applicant_is_denied():
    application, _ = certified_application()
    with pytest.raises(PermissionDenied):
        services.pilot_purchase_record(
            application=application,
            by=UserFactory(),
            public_body="x",
            purchased_on=dt.date(2026, 10, 1),
            quantity=1,
            amount=1,
        )


def test_reject_by_pps_is_denied(pps):
    application = application_in(S.AWAITING_DECISION)
    with pytest.raises(PermissionDenied):
        services.application_reject(application=application, by=pps, reason="x")
    application.refresh_from_db()
    assert application.state == S.AWAITING_DECISION


def test_objection_to_a_certification_is_not_allowed():
    officer = officer_user()
    application, _ = certified_application(officer=officer)
    services.results_release(application=application, by=officer)
    with pytest.raises(TransitionNotAllowed):
        services.objection_file(
            application=application,
            by=application.created_by,
            ground=ObjectionGround.MISREADING,
            explanation="x",
        )
    assert Objection.objects.count() == 0


def test_certificate_concurrent_change_raises_and_writes_nothing():
    officer = officer_user()
    application, certificate = certified_application(officer=officer)
    stale = Certificate.objects.get(pk=certificate.pk)
    services.certificate_revoke(certificate=certificate, by=officer, reason="허위")
    # The stale copy still believes the certificate is valid.
    with pytest.raises(ConcurrentTransition):
        services.certificate_revoke(certificate=stale, by=officer, reason="again")
    certificate.refresh_from_db()
    assert certificate.revocation_reason == "허위"


def test_extension_approval_of_a_revoked_certificate_is_not_allowed():
    officer = officer_user()
    application, certificate = certified_application(officer=officer)
    request = services.certificate_request_extension(
        certificate=certificate, by=application.created_by, reason="a"
    )
    services.certificate_revoke(certificate=certificate, by=officer, reason="허위")
    request.refresh_from_db()
    request.certificate.refresh_from_db()
    before = request.certificate.valid_until
    with pytest.raises(TransitionNotAllowed):
        services.certificate_decide_extension(
            extension=request, by=officer, approve=True, reason="ok"
        )
    certificate.refresh_from_db()
    assert (certificate.valid_until, certificate.extensions_used) == (before, 0)
    request.refresh_from_db()
    assert request.state == ExtensionState.PENDING


def test_beat_schedule_runs_the_certificate_tasks_daily(settings):
    tasks = {e["task"] for e in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {
        "procurement.tasks.expire_certificates",
        "procurement.tasks.remind_certificate_expiry",
    } <= tasks


@pytest.mark.parametrize("language", ["en", "ko"])
def test_revocation_email_says_what_and_why_in_the_applicants_language(
    language, mailoutbox, django_capture_on_commit_callbacks
):
    officer = officer_user()
    application, certificate = certified_application(officer=officer)
    application.created_by.language = language
    application.created_by.save(update_fields=["language"])
    application.product_name_en = "Disaster sensor"
    application.save(update_fields=["product_name_en"])
    # The officer works in English; the sentence follows the applicant's language.
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        services.certificate_revoke(certificate=certificate, by=officer, reason="허위 서류")
    mail = [m for m in mailoutbox if certificate.number in m.body]
    assert len(mail) == 1
    assert mail[0].to == [application.created_by.email]
    sentence = {
        "en": f"Certificate {certificate.number} was revoked. Reason: 허위 서류",
        "ko": f"지정서(지정번호 {certificate.number})의 지정이 취소되었습니다. 사유: 허위 서류",
    }[language]
    assert sentence in mail[0].body
    note = Notification.objects.get(recipient=application.created_by, event=Event.REVOCATION)
    assert note.context["message"] == sentence
    assert (
        note.context["product"]
        == {"en": "Disaster sensor", "ko": application.product_name}[language]
    )


def test_registry_accept_objection_decides_the_pending_objection():
    from applications.transitions import TRANSITIONS

    objection = _objection()
    officer = officer_user()
    TRANSITIONS["accept_objection"].run(
        application=objection.application, by=officer, text="오독 인정"
    )
    objection.refresh_from_db()
    assert (objection.decision, objection.decision_reason, objection.decided_by) == (
        ObjectionDecision.ACCEPTED,
        "오독 인정",
        officer,
    )
    assert objection.application.state == S.IN_REVIEW


def test_registry_record_suitability_keeps_the_pps_review(pps):
    from applications.transitions import TRANSITIONS

    application = application_in(S.SUITABILITY_REVIEW)
    TRANSITIONS["record_suitability"].run(application=application, by=pps, text="적합")
    review = SuitabilityReview.objects.get(application=application)
    assert (review.suitable, review.notes, review.reviewer) == (True, "적합", pps)


def test_certificate_rows_keep_the_application_history_a_chain():
    officer = officer_user()
    application, certificate = certified_application(officer=officer)
    services.results_release(application=application, by=officer)
    services.certificate_revoke(certificate=certificate, by=officer, reason="허위")
    events = list(application.history.order_by("id"))
    for earlier, later in zip(events, events[1:], strict=False):
        assert earlier.to_state == later.from_state
    revoke = events[-1]
    assert (revoke.action, revoke.from_state, revoke.to_state) == (
        "certificate:revoke",
        S.CERTIFIED,
        S.CERTIFIED,
    )
    assert revoke.data == {"certificate": certificate.number, "from": "valid", "to": "revoked"}
    certify = application.history.get(action="transition:certify")
    assert certify.data == {
        "certificate": certificate.number,
        "valid_until": str(certificate.valid_until),
    }
