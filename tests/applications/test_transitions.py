"""Every transition of an application, through its service: the allowed path (exact states
and history row), TransitionNotAllowed from a wrong state, the wrong user, and two officers
acting at once (ConcurrentTransition)."""

import datetime as dt
import inspect

import pytest
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django_fsm import ConcurrentTransition, TransitionNotAllowed

from accounts.enums import Role
from applications import services
from applications.enums import ApplicationState as S
from applications.enums import DocumentKind
from applications.models import Application, ApplicationDocument
from applications.transitions import TRANSITIONS, available_actions
from audit.models import AuditEvent
from tests.factories import (
    ApplicationFactory,
    CommitteeFactory,
    ExpertProfileFactory,
    MembershipFactory,
    RDProjectFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def test_submit_by_owner_moves_to_submitted_and_records_history():
    application = make_application(S.DRAFT)
    applicant = application.created_by
    services.application_submit(application=application, by=applicant)
    application.refresh_from_db()
    assert application.state == S.SUBMITTED
    assert application.reference.startswith("PPIR-")
    event = AuditEvent.objects.get(application=application)
    assert (event.from_state, event.to_state, event.actor) == (S.DRAFT, S.SUBMITTED, applicant)
    assert event.action == "transition:submit"


def test_submit_by_stranger_is_denied_and_writes_nothing(application):
    stranger = UserFactory()
    with pytest.raises(PermissionDenied):
        services.application_submit(application=application, by=stranger)
    application.refresh_from_db()
    assert application.state == S.DRAFT
    assert application.reference is None
    assert AuditEvent.objects.count() == 0


def test_mark_eligible_from_draft_is_not_allowed(application, officer):
    with pytest.raises(TransitionNotAllowed):
        services.application_mark_eligible(application=application, by=officer)
    assert AuditEvent.objects.count() == 0


# One row per (transition, source state): who may take it, which text the service takes.
# actor: "owner" (an approved member of the applicant organisation), "officer", "pps";
# text: what the officer or applicant writes (the registry passes it as reason, comment, ...).
CASES = [
    ("submit", S.DRAFT, S.SUBMITTED, "owner", ""),
    ("request_supplement", S.SUBMITTED, S.SUPPLEMENT_REQUESTED, "officer", "KC 인증서"),
    ("answer_supplement", S.SUPPLEMENT_REQUESTED, S.SUBMITTED, "owner", "첨부함"),
    ("mark_ineligible", S.SUBMITTED, S.INELIGIBLE, "officer", "과제 종료 5년 경과"),
    ("mark_ineligible", S.SUPPLEMENT_REQUESTED, S.INELIGIBLE, "officer", "미제출"),
    ("mark_eligible", S.SUBMITTED, S.IN_REVIEW, "officer", ""),
    ("open_consensus", S.IN_REVIEW, S.CONSENSUS, "officer", ""),
    ("recommend", S.CONSENSUS, S.SUITABILITY_REVIEW, "officer", "추천"),
    ("not_recommend", S.CONSENSUS, S.AWAITING_DECISION, "officer", "기준 미달"),
    ("record_suitability", S.SUITABILITY_REVIEW, S.AWAITING_DECISION, "pps", "적합"),
    ("certify", S.AWAITING_DECISION, S.CERTIFIED, "officer", "지정"),
    ("reject", S.AWAITING_DECISION, S.REJECTED, "officer", "혁신성 부족"),
    ("file_objection", S.REJECTED, S.OBJECTION, "owner", "평가 오류"),
    ("file_objection", S.INELIGIBLE, S.OBJECTION, "owner", "행정 착오"),
    ("accept_objection", S.OBJECTION, S.IN_REVIEW, "officer", "재검토"),
    ("dismiss_objection", S.OBJECTION, S.REJECTED, "officer", "사유 없음"),
    ("withdraw", S.DRAFT, S.WITHDRAWN, "owner", "사업 중단"),
    ("withdraw", S.SUBMITTED, S.WITHDRAWN, "owner", ""),
    ("withdraw", S.SUPPLEMENT_REQUESTED, S.WITHDRAWN, "owner", ""),
    ("withdraw", S.IN_REVIEW, S.WITHDRAWN, "owner", ""),
]
CASE_IDS = [f"{name}-from-{source}" for name, source, *_ in CASES]


def make_application(state: str) -> Application:
    """An application in `state`. A draft is a complete one (a successful project its
    organisation led, a specification and an unexpired certification), so that submitting
    it tests the transition rather than the eligibility pre-check."""
    if state != S.DRAFT:
        reference = f"PPIR-2026-{Application.objects.count() + 1:05d}"
        return ApplicationFactory(state=state, reference=reference)
    application = ApplicationFactory()
    project = RDProjectFactory(
        lead_business_number=application.organisation.business_number,
        end_date=timezone.localdate() - dt.timedelta(days=365),
    )
    application.rd_projects.add(project)
    for kind, expiry in [
        (DocumentKind.SPECIFICATION, None),
        (DocumentKind.CERTIFICATION, timezone.localdate() + dt.timedelta(days=365)),
    ]:
        ApplicationDocument.objects.create(
            application=application,
            kind=kind,
            file=f"documents/test/{kind}",
            original_name=f"{kind}.pdf",
            content_type="application/pdf",
            size=100,
            sha256="0" * 64,
            issue_date=timezone.localdate() - dt.timedelta(days=30),
            expiry_date=expiry,
            uploaded_by=application.created_by,
        )
    return application


def actor_for(kind: str, application: Application):
    if kind == "owner":
        return application.created_by
    if kind == "pps":
        return UserFactory(roles=[Role.PPS])
    return UserFactory(roles=[Role.OFFICER], is_staff=True)


def wrong_actor_for(kind: str, application: Application):
    """Someone who is signed in and plausible, but not allowed: an applicant of another
    organisation for officer and PPS transitions, an officer for the applicant's own."""
    if kind == "owner":
        return UserFactory(roles=[Role.OFFICER], is_staff=True)
    return MembershipFactory().user


def call(name: str, *, application, by, text: str = ""):
    """The transition through its service, called the way admin calls it (the registry)."""
    return TRANSITIONS[name].run(application=application, by=by, text=text)


def test_cases_cover_every_transition_of_the_model():
    field = Application._meta.get_field("state")
    declared = {(t.name, str(t.source)) for t in field.get_all_transitions(Application)}
    assert {(name, str(source)) for name, source, *_ in CASES} == declared


@pytest.mark.parametrize(("name", "source", "target", "actor", "text"), CASES, ids=CASE_IDS)
def test_transition_allowed_path_writes_state_and_history(name, source, target, actor, text):
    application = make_application(source)
    by = actor_for(actor, application)

    call(name, application=application, by=by, text=text)

    application.refresh_from_db()
    assert application.state == target
    event = AuditEvent.objects.get(application=application)
    expected_role = {"owner": Role.APPLICANT, "officer": "officer", "pps": Role.PPS}[actor]
    assert (event.action, event.actor, event.actor_role) == (
        f"transition:{name}",
        by,
        expected_role,
    )
    assert (event.from_state, event.to_state) == (source, target)
    assert event.comment == text


@pytest.mark.parametrize(("name", "source", "target", "actor", "text"), CASES, ids=CASE_IDS)
def test_transition_from_wrong_state_is_not_allowed(name, source, target, actor, text):
    # No transition leaves "certified": it is a wrong state for every one of them.
    application = make_application(S.CERTIFIED)
    by = actor_for(actor, application)

    with pytest.raises(TransitionNotAllowed):
        call(name, application=application, by=by, text=text)

    application.refresh_from_db()
    assert application.state == S.CERTIFIED
    assert AuditEvent.objects.count() == 0


@pytest.mark.parametrize(("name", "source", "target", "actor", "text"), CASES, ids=CASE_IDS)
def test_transition_by_wrong_user_is_denied_and_writes_nothing(name, source, target, actor, text):
    application = make_application(source)
    by = wrong_actor_for(actor, application)

    with pytest.raises(PermissionDenied):
        call(name, application=application, by=by, text=text)

    application.refresh_from_db()
    assert application.state == source
    assert AuditEvent.objects.count() == 0
    assert application.decision_reason == ""


@pytest.mark.parametrize(("name", "source", "target", "actor", "text"), CASES, ids=CASE_IDS)
def test_transition_concurrent_second_save_fails_and_writes_one_row(
    name, source, target, actor, text
):
    application = make_application(source)
    by = actor_for(actor, application)
    first = Application.objects.get(pk=application.pk)
    second = Application.objects.get(pk=application.pk)

    call(name, application=first, by=by, text=text)
    with pytest.raises(ConcurrentTransition), transaction.atomic():
        call(name, application=second, by=by, text=text)

    application.refresh_from_db()
    assert application.state == target
    assert AuditEvent.objects.filter(application=application).count() == 1


def test_committee_chair_may_record_the_consensus(application):
    chair = ExpertProfileFactory()
    CommitteeFactory(subfield=application.subfield, chair=chair)
    app = make_application(S.CONSENSUS)
    app.subfield = application.subfield
    app.save()

    services.application_recommend(application=app, by=chair.user, comment="만장일치")

    app.refresh_from_db()
    assert app.state == S.SUITABILITY_REVIEW
    assert AuditEvent.objects.get(application=app).actor == chair.user


def test_chair_of_another_committee_may_not_record_the_consensus():
    chair = ExpertProfileFactory()
    CommitteeFactory(chair=chair)
    app = make_application(S.CONSENSUS)

    with pytest.raises(PermissionDenied):
        services.application_not_recommend(application=app, by=chair.user)
    assert AuditEvent.objects.count() == 0


@pytest.mark.parametrize(
    ("name", "source"),
    [
        ("request_supplement", S.SUBMITTED),
        ("mark_ineligible", S.SUBMITTED),
        ("reject", S.AWAITING_DECISION),
        ("dismiss_objection", S.OBJECTION),
    ],
)
def test_transition_with_required_reason_refuses_a_blank_one(name, source, officer):
    application = make_application(source)

    with pytest.raises(ValueError, match=r"\w"):
        call(name, application=application, by=officer, text="   ")

    application.refresh_from_db()
    assert application.state == source
    assert AuditEvent.objects.count() == 0


def test_file_objection_with_blank_grounds_is_refused():
    application = make_application(S.REJECTED)
    with pytest.raises(ValueError, match=r"\w"):
        services.application_file_objection(
            application=application, by=application.created_by, reason=""
        )
    assert AuditEvent.objects.count() == 0


def test_system_may_open_consensus_without_a_person():
    application = make_application(S.IN_REVIEW)

    services.application_open_consensus(application=application, by=None)

    event = AuditEvent.objects.get(application=application)
    assert (event.actor, event.actor_role, event.to_state) == (None, "system", S.CONSENSUS)


def test_request_supplement_notifies_the_applicant(officer):
    from notifications.models import Notification

    application = make_application(S.SUBMITTED)
    services.application_request_supplement(
        application=application, by=officer, reason="시험성적서를 다시 내 주십시오."
    )
    notification = Notification.objects.get(application=application)
    assert notification.recipient == application.created_by
    assert notification.event == "supplement_requested"
    assert notification.context["message"] == "시험성적서를 다시 내 주십시오."


# The registry that admin buttons use


def test_registry_has_an_entry_for_every_transition():
    field = Application._meta.get_field("state")
    assert {t.name for t in field.get_all_transitions(Application)} == set(TRANSITIONS)


@pytest.mark.parametrize("name", sorted(TRANSITIONS))
def test_registry_entry_imports_and_takes_the_arguments_it_names(name):
    action = TRANSITIONS[name]
    params = inspect.signature(action.resolve()).parameters
    named = {"application", "by", *action.fixed, *([action.text_arg] if action.text_arg else [])}
    assert named <= set(params)
    assert all(params[p].kind == inspect.Parameter.KEYWORD_ONLY for p in named)
    required = {p.name for p in params.values() if p.default is inspect.Parameter.empty}
    assert required <= named


def test_registry_passes_text_and_fixed_arguments_to_the_service(monkeypatch, officer):
    import dataclasses

    calls = []
    monkeypatch.setattr(
        services,
        "application_recommend",
        lambda **kwargs: calls.append(kwargs),
    )
    action = dataclasses.replace(
        TRANSITIONS["recommend"], text_arg="notes", fixed={"unanimous": True}
    )
    application = make_application(S.CONSENSUS)

    action.run(application=application, by=officer, text="만장일치")

    assert calls == [
        {"application": application, "by": officer, "notes": "만장일치", "unanimous": True}
    ]


def test_registry_bulk_entries_need_no_text_and_are_not_sensitive():
    for action in TRANSITIONS.values():
        if action.bulk:
            assert (action.text_required, action.sensitive) == (False, False)


def test_available_actions_for_officer_on_a_submitted_application(officer):
    application = make_application(S.SUBMITTED)
    names = [name for name, _ in available_actions(application, officer)]
    assert names == ["request_supplement", "mark_eligible", "mark_ineligible"]


def test_available_actions_for_owner_on_a_submitted_application():
    application = make_application(S.SUBMITTED)
    names = [name for name, _ in available_actions(application, application.created_by)]
    assert names == ["withdraw"]


def test_available_actions_for_pps_on_suitability_review(pps_user):
    application = make_application(S.SUITABILITY_REVIEW)
    names = [name for name, _ in available_actions(application, pps_user)]
    assert names == ["record_suitability"]
