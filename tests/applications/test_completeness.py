"""A draft is submitted only with every question the wizard requires answered, whichever step
links the applicant followed; a round that closes while the first step is open loses nothing
typed; a supplement answer can replace a document, and the eligibility check then reads the
new one."""

import datetime as dt
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from applications import selectors, services
from applications.enums import ApplicationState as S
from applications.enums import DocumentKind
from applications.models import ApplicationDocument, Round
from tests.factories import MembershipFactory
from tests.factories.applicant import DocumentFactory, eligible_application, pdf_upload

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


# Submission needs every required answer.


@pytest.mark.parametrize(
    ("fields", "missing"),
    [
        ({"subfield": None}, "sub-field"),
        ({"declared_truthful": False}, "the information given is true"),
        ({"intended_use": ""}, "intended use"),
        ({"trl": None}, "technology readiness level"),
    ],
)
def test_a_draft_with_a_required_answer_missing_is_not_submitted(fields, missing):
    app = eligible_application(**fields)
    with pytest.raises(services.SubmissionBlocked) as refused:
        services.application_submit(application=app, by=app.created_by)
    assert refused.value.messages == [f"Answer every required question: {missing}."]
    app.refresh_from_db()
    assert (app.state, app.reference, app.versions.count()) == (S.DRAFT, None, 0)


def test_a_complete_draft_has_no_gaps():
    assert selectors.submission_gaps(eligible_application()) == []


def test_review_page_names_the_skipped_step_and_holds_the_button(client):
    app = eligible_application(subfield=None)
    client.force_login(app.created_by)
    resp = client.get(reverse("applications:review", args=[app.pk]))
    gap = resp.context["gaps"]
    assert [(g["step"], g["fields"]) for g in gap] == [("round", ["sub-field"])]
    page = resp.content.decode()
    assert "still to answer: sub-field." in page
    assert f'href="{reverse("applications:step", args=[app.pk, "round"])}"' in page
    assert 'disabled aria-disabled="true">Submit the application' in page


def test_submitting_with_a_skipped_step_says_why_on_the_review_page(client):
    app = eligible_application(subfield=None)
    client.force_login(app.created_by)
    resp = client.post(reverse("applications:submit", args=[app.pk]), follow=True)
    assert resp.redirect_chain == [(reverse("applications:review", args=[app.pk]), 302)]
    assert [str(m) for m in resp.context["messages"]] == [
        "The application was not submitted. Answer every required question: sub-field."
    ]
    app.refresh_from_db()
    assert app.state == S.DRAFT


# The first step when the round closes while the page is open.


def test_first_step_posted_after_the_round_closed_keeps_what_was_typed(client):
    member = MembershipFactory()
    client.force_login(member.user)
    Round.objects.update(closes_at=timezone.now() - dt.timedelta(minutes=1))
    resp = client.post(
        reverse("applications:new"),
        {
            "product_name": "스마트 재난감지 센서",
            "product_description": "공공시설 재난 조기감지용 IoT 센서",
            "trl": "8",
            "intended_buyers": "지방자치단체",
            "intended_use": "시설물 안전 감시",
            "indicative_price": "12000000",
        },
    )
    assert resp.status_code == 200
    form = resp.context["form"]
    assert form.non_field_errors() == [
        "No round is open for applications now, so the draft could not be saved. "
        "Your answers are still below: copy them before leaving this page."
    ]
    page = resp.content.decode()
    assert 'value="스마트 재난감지 센서"' in page
    assert "시설물 안전 감시</textarea>" in page
    assert not member.organisation.applications.exists()


# A supplement answer replaces a document.


def _expired_certificate_in_supplement(officer):
    """A submitted application whose certificate the officer finds expired (its expiry was
    misread at submission), with a supplement asked for."""
    app = eligible_application()
    services.application_submit(application=app, by=app.created_by)
    old = app.documents.get(kind=DocumentKind.CERTIFICATION)
    old.expiry_date = app.round.closes_at.date() - dt.timedelta(days=30)
    old.save(update_fields=["expiry_date"])
    services.application_request_supplement(
        application=app,
        by=officer,
        reason="인증서 유효기간이 지났습니다. 갱신된 인증서를 제출해 주십시오.",
        documents_wanted=[DocumentKind.CERTIFICATION],
        deadline=timezone.now() + dt.timedelta(days=5),
    )
    return app, old


def _answer(client, app, replaces):
    today = timezone.localdate()
    data = {
        "message": "갱신된 인증서를 첨부합니다.",
        "doc-TOTAL_FORMS": "1",
        "doc-INITIAL_FORMS": "0",
        "doc-0-kind": DocumentKind.CERTIFICATION,
        "doc-0-file": pdf_upload("KC-갱신.pdf", b"%PDF-1.4\nrenewed\n%%EOF\n"),
        "doc-0-issue_date": (today - dt.timedelta(days=1)).isoformat(),
        "doc-0-expiry_date": (today + dt.timedelta(days=700)).isoformat(),
    }
    if replaces:
        data["replaces"] = [str(d.pk) for d in replaces]
    return client.post(reverse("applications:detail", args=[app.pk]), data)


def test_answer_replacing_the_expired_certificate_passes_the_rule(client, officer):
    app, old = _expired_certificate_in_supplement(officer)
    client.force_login(app.created_by)
    form_page = client.get(reverse("applications:detail", args=[app.pk]))
    assert (old.pk, f"Certification (e.g. KC mark) · {old.original_name}") in form_page.context[
        "answer_form"
    ].fields["replaces"].choices

    resp = _answer(client, app, replaces=[old])
    assert resp.status_code == 302
    app.refresh_from_db()
    old.refresh_from_db()
    assert (app.state, old.is_current) == (S.SUBMITTED, False)
    flag = app.eligibility_flags.get(rule="certifications")
    assert (flag.passed, flag.reason) == (True, "1 certification(s) attached and valid.")
    older, newer = (v.snapshot for v in app.versions.order_by("number"))
    diff = selectors.version_diff(older, newer)
    assert [d["original_name"] for d in diff["documents_removed"]] == [old.original_name]
    assert [d["original_name"] for d in diff["documents_added"]] == ["KC-갱신.pdf"]
    assert app.history.get(action="transition:answer_supplement").data["replaced"] == [old.pk]
    # The old file stays on record, marked as replaced.
    page = client.get(reverse("applications:detail", args=[app.pk])).content.decode()
    assert "Replaced</span>" in page and old.original_name in page


def test_answer_without_replacing_leaves_the_expired_certificate_counting(client, officer):
    app, old = _expired_certificate_in_supplement(officer)
    client.force_login(app.created_by)
    assert _answer(client, app, replaces=[]).status_code == 302
    old.refresh_from_db()
    assert old.is_current
    assert not app.eligibility_flags.get(rule="certifications").passed


def test_another_applications_document_cannot_be_replaced(officer):
    app, _old = _expired_certificate_in_supplement(officer)
    foreign = DocumentFactory()
    with pytest.raises(ValidationError) as refused:
        services.application_answer_supplement(
            application=app, by=app.created_by, comment="x", replaces=[foreign]
        )
    assert refused.value.messages == ["Only this application's current documents can be replaced."]
    app.refresh_from_db()
    foreign.refresh_from_db()
    assert (app.state, app.version, foreign.is_current) == (S.SUPPLEMENT_REQUESTED, 1, True)
    assert not ApplicationDocument.objects.filter(is_current=False).exists()


def test_a_document_id_not_offered_is_refused_beside_the_field(client, officer):
    app, _old = _expired_certificate_in_supplement(officer)
    foreign = DocumentFactory()
    client.force_login(app.created_by)
    resp = _answer(client, app, replaces=[foreign])
    assert resp.status_code == 200
    assert resp.context["answer_form"].errors["replaces"] == [
        f"Select a valid choice. {foreign.pk} is not one of the available choices."
    ]
    assert resp.context["answer_form"]["message"].value() == "갱신된 인증서를 첨부합니다."
    app.refresh_from_db()
    assert app.state == S.SUPPLEMENT_REQUESTED


def test_replacing_without_a_new_document_of_that_kind_is_refused_beside_the_field(client, officer):
    app, old = _expired_certificate_in_supplement(officer)
    client.force_login(app.created_by)
    resp = client.post(
        reverse("applications:detail", args=[app.pk]),
        {
            "message": "인증서를 뺍니다.",
            "doc-TOTAL_FORMS": "0",
            "doc-INITIAL_FORMS": "0",
            "replaces": [str(old.pk)],
        },
    )
    assert resp.status_code == 200
    assert resp.context["answer_form"].errors["replaces"] == [
        "Upload the new document of the same kind for each document it replaces: "
        f"{old.original_name}."
    ]
    old.refresh_from_db()
    app.refresh_from_db()
    assert (old.is_current, app.state) == (True, S.SUPPLEMENT_REQUESTED)
    with pytest.raises(ValidationError):
        services.application_answer_supplement(
            application=app, by=app.created_by, comment="x", replaces=[old]
        )


# Another organisation's member cannot answer.


def test_another_organisations_member_posting_an_answer_gets_404(client, officer):
    app, old = _expired_certificate_in_supplement(officer)
    client.force_login(MembershipFactory().user)
    assert _answer(client, app, replaces=[old]).status_code == 404
    app.refresh_from_db()
    old.refresh_from_db()
    assert (app.state, app.version, old.is_current) == (S.SUPPLEMENT_REQUESTED, 1, True)
    assert app.documents.count() == 2


# An officer's logged correction of submitted content.


def test_officer_corrects_the_subfield_with_a_reason_the_applicant_reads(submitted, officer):
    from tests.factories import SubFieldFactory

    app = submitted
    before = app.subfield
    right = SubFieldFactory()
    services.application_correct(
        application=app,
        by=officer,
        fields={"subfield": right, "trl": app.trl, "product_name": app.product_name},
        reason="제품 용도상 스마트시티 분과가 맞습니다.",
    )
    app.refresh_from_db()
    assert (app.subfield_id, app.version, app.state) == (right.pk, 2, S.SUBMITTED)
    event = app.history.get(action="application:correct")
    assert event.data["changes"] == {"subfield": [before.pk, right.pk]}
    assert event.comment == "제품 용도상 스마트시티 분과가 맞습니다."
    older, newer = (v.snapshot for v in app.versions.order_by("number"))
    assert [f["name"] for f in selectors.version_diff(older, newer)["fields"]] == ["subfield"]
    assert app.eligibility_flags.filter(version=2).count() == 5
    seen = selectors.history_for(application=app, staff=False)
    assert [(e["label"], e["comment"]) for e in seen][-1] == (
        "Corrected by the programme office",
        "제품 용도상 스마트시티 분과가 맞습니다.",
    )


@pytest.mark.parametrize(
    ("fields", "reason", "message"),
    [
        ({"trl": 5}, " ", "Write the reason for the correction."),
        ({"trl": 8}, "x", "Nothing was changed: the values are the ones submitted."),
        (
            {"declared_truthful": False},
            "x",
            "Nothing was changed: the values are the ones submitted.",
        ),
    ],
)
def test_a_correction_without_reason_or_change_is_refused(
    submitted, officer, fields, reason, message
):
    from applications.services import ScreeningBlocked

    with pytest.raises(ScreeningBlocked) as refused:
        services.application_correct(
            application=submitted, by=officer, fields=fields, reason=reason
        )
    assert refused.value.messages == [message]
    submitted.refresh_from_db()
    assert (submitted.version, submitted.trl, submitted.declared_truthful) == (1, 8, True)


def test_the_applicant_cannot_correct_a_submitted_application(submitted):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.application_correct(
            application=submitted, by=submitted.created_by, fields={"trl": 9}, reason="x"
        )
    submitted.refresh_from_db()
    assert submitted.trl == 8


def test_a_correction_after_screening_is_refused(submitted, officer):
    from applications.services import ScreeningBlocked

    services.application_mark_eligible(application=submitted, by=officer)
    with pytest.raises(ScreeningBlocked):
        services.application_correct(
            application=submitted, by=officer, fields={"trl": 9}, reason="x"
        )
    submitted.refresh_from_db()
    assert (submitted.trl, submitted.state) == (8, S.IN_REVIEW)


def test_screening_page_correction_without_reason_says_so_beside_the_field(
    client, submitted, officer
):
    client.force_login(officer)
    url = reverse("applications:screening_detail", args=[submitted.pk])
    data = {
        "action": "correct",
        "product_name": "고친 제품명",
        "product_name_en": submitted.product_name_en,
        "indicative_price": str(submitted.indicative_price),
        "trl": "8",
        "subfield": str(submitted.subfield_id),
        "reason": "",
        "read_version": "1",
    }
    resp = client.post(url, data)
    assert resp.status_code == 200
    assert resp.context["forms"]["correct"].errors["reason"] == ["This field is required."]
    # Each label points at its own field: no id is used twice on the page.
    ids = re.findall(r'\bid="([^"]+)"', resp.content.decode())
    assert sorted({i for i in ids if ids.count(i) > 1}) == []
    assert 'for="id_correct_reason"' in resp.content.decode()
    assert 'value="고친 제품명"' in resp.content.decode()
    submitted.refresh_from_db()
    assert submitted.product_name != "고친 제품명"

    resp = client.post(url, {**data, "reason": "오탈자 수정"}, follow=True)
    assert [str(m) for m in resp.context["messages"]] == [
        "Corrected: a new version is stored and the eligibility check re-run."
    ]
    submitted.refresh_from_db()
    assert (submitted.product_name, submitted.version) == ("고친 제품명", 2)
    event = submitted.history.get(action="application:correct")
    assert list(event.data["changes"]) == ["product_name"]
    assert (event.from_state, event.to_state) == (S.SUBMITTED, S.SUBMITTED)

    # A second officer's page, read before that correction, cannot undo it.
    resp = client.post(url, {**data, "product_name": "다른 제품명", "reason": "x"}, follow=True)
    assert [str(m) for m in resp.context["messages"]] == [CONCURRENT]
    submitted.refresh_from_db()
    assert (submitted.product_name, submitted.version) == ("고친 제품명", 2)


CONCURRENT = (
    "Someone else changed this application at the same moment. "
    "Reload the page to see its current status."
)


def test_a_transition_on_a_copy_read_before_a_correction_is_refused(submitted, officer):
    from django_fsm import ConcurrentTransition

    from applications.models import Application

    stale = Application.objects.get(pk=submitted.pk)
    services.application_correct(
        application=submitted, by=officer, fields={"trl": 9}, reason="TRL 9 확인"
    )
    with pytest.raises(ConcurrentTransition):
        services.application_mark_eligible(application=stale, by=officer)
    submitted.refresh_from_db()
    assert (submitted.state, submitted.trl) == (S.SUBMITTED, 9)
    services.application_mark_eligible(application=submitted, by=officer)
    submitted.refresh_from_db()
    assert (submitted.state, submitted.trl) == (S.IN_REVIEW, 9)


def test_a_correction_while_a_supplement_is_open_survives_the_answer(submitted, officer):
    services.application_request_supplement(application=submitted, by=officer, reason="x")
    services.application_correct(
        application=submitted, by=officer, fields={"trl": 9}, reason="TRL 9 확인"
    )
    services.application_answer_supplement(
        application=submitted, by=submitted.created_by, comment="답변"
    )
    submitted.refresh_from_db()
    assert (submitted.state, submitted.trl, submitted.version) == (S.SUBMITTED, 9, 3)
    assert [v.snapshot["fields"]["trl"] for v in submitted.versions.order_by("number")] == [
        8,
        9,
        9,
    ]


def test_a_subfield_the_round_does_not_cover_is_neither_offered_nor_accepted(submitted, officer):
    from applications.forms import CorrectionForm
    from applications.services import ScreeningBlocked
    from tests.factories import SubFieldFactory

    submitted.round.subfields.set([submitted.subfield])
    outside = SubFieldFactory()
    offered = CorrectionForm(application=submitted).fields["subfield"].queryset
    assert list(offered) == [submitted.subfield]
    with pytest.raises(ScreeningBlocked) as refused:
        services.application_correct(
            application=submitted, by=officer, fields={"subfield": outside}, reason="x"
        )
    assert refused.value.messages == ["Choose a sub-field that the round covers."]
    submitted.refresh_from_db()
    assert (submitted.subfield_id, submitted.version) != (outside.pk, 2)


def test_a_correction_is_cleaned_by_the_model_field(submitted, officer):
    from django.core.exceptions import ValidationError as DjangoValidationError

    with pytest.raises(DjangoValidationError):
        services.application_correct(
            application=submitted, by=officer, fields={"trl": 12}, reason="x"
        )
    services.application_correct(application=submitted, by=officer, fields={"trl": "9"}, reason="x")
    submitted.refresh_from_db()
    assert submitted.trl == 9
    assert submitted.history.get(action="application:correct").data["changes"] == {"trl": [8, 9]}
