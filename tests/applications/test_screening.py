"""Officer screening: supplement requests, eligible/ineligible, overrides, the queue and the
supplement deadline task."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone
from django_fsm import ConcurrentTransition, TransitionNotAllowed

from applications import services
from applications.enums import ApplicationState as S
from applications.enums import DocumentKind
from applications.models import Application, EligibilityFlag
from applications.tasks import remind_supplement_deadlines
from audit.models import AuditEvent
from notifications.enums import Event
from notifications.models import Notification
from tests.factories import MembershipFactory, RDProjectFactory, SubFieldFactory, UserFactory
from tests.factories.applicant import (
    SupplementRequestFactory,
    eligible_application,
    supplement_round_trips,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


def in_a_week():
    return timezone.now() + dt.timedelta(days=7)


def test_request_supplement_deadline_defaults_to_the_rounds_supplement_days(submitted, officer):
    services.application_request_supplement(application=submitted, by=officer, reason="x")
    deadline = timezone.localtime(submitted.supplement_requests.get().deadline)
    expected = timezone.localdate() + dt.timedelta(days=submitted.round.supplement_days)
    assert (deadline.date(), deadline.hour) == (expected, 18)


def test_request_supplement_moves_state_creates_request_and_notifies(submitted, officer):
    services.application_request_supplement(
        application=submitted,
        by=officer,
        reason="시험성적서 보완",
        documents_wanted=[DocumentKind.TEST_REPORT],
        deadline=in_a_week(),
    )
    submitted.refresh_from_db()
    assert submitted.state == S.SUPPLEMENT_REQUESTED
    supplement = submitted.supplement_requests.get()
    assert (supplement.message, supplement.documents_wanted) == ("시험성적서 보완", ["test_report"])
    notice = Notification.objects.get(event=Event.SUPPLEMENT_REQUESTED)
    assert notice.recipient == submitted.created_by
    assert notice.context["message"] == "시험성적서 보완"
    assert notice.context["deadline"] == timezone.localtime(supplement.deadline).strftime(
        "%Y-%m-%d %H:%M"
    )
    event = AuditEvent.objects.get(action="transition:request_supplement")
    assert (event.actor, event.comment) == (officer, "시험성적서 보완")


def test_request_supplement_on_a_draft_is_not_allowed(officer):
    app = eligible_application()
    with pytest.raises(TransitionNotAllowed):
        services.application_request_supplement(
            application=app, by=officer, reason="x", documents_wanted=[], deadline=in_a_week()
        )
    assert app.supplement_requests.count() == 0


def test_request_supplement_by_the_applicant_is_denied(submitted):
    with pytest.raises(PermissionDenied):
        services.application_request_supplement(
            application=submitted,
            by=submitted.created_by,
            reason="x",
            documents_wanted=[],
            deadline=in_a_week(),
        )
    assert submitted.supplement_requests.count() == 0


def test_request_supplement_on_a_stale_copy_raises_concurrent_transition(submitted, officer):
    stale = Application.objects.get(pk=submitted.pk)
    services.application_mark_eligible(application=submitted, by=officer)
    with pytest.raises(ConcurrentTransition):
        services.application_request_supplement(
            application=stale, by=officer, reason="x", documents_wanted=[], deadline=in_a_week()
        )
    assert Application.objects.get(pk=submitted.pk).state == S.IN_REVIEW


def test_answer_supplement_returns_to_screening_with_a_new_version(submitted, officer):
    services.application_request_supplement(
        application=submitted, by=officer, reason="x", documents_wanted=[], deadline=in_a_week()
    )
    services.application_answer_supplement(
        application=submitted, by=submitted.created_by, comment="첨부합니다", documents=[]
    )
    submitted.refresh_from_db()
    assert (submitted.state, submitted.version) == (S.SUBMITTED, 2)
    assert submitted.supplement_requests.get().answer_message == "첨부합니다"
    assert submitted.versions.count() == 2


def test_answer_supplement_by_a_stranger_is_denied(submitted, officer):
    services.application_request_supplement(
        application=submitted, by=officer, reason="x", documents_wanted=[], deadline=in_a_week()
    )
    with pytest.raises(PermissionDenied):
        services.application_answer_supplement(
            application=submitted, by=UserFactory(), comment="x", documents=[]
        )


def test_mark_eligible_needs_hard_failures_overridden_first(submitted, officer):
    EligibilityFlag.objects.filter(application=submitted, rule="documents_dated").update(
        passed=False, reason="late"
    )
    with pytest.raises(services.ScreeningBlocked) as exc:
        services.application_mark_eligible(application=submitted, by=officer)
    assert exc.value.messages == [
        "Override or resolve these verdicts first: "
        "Documents issued no later than the round's deadline."
    ]
    services.eligibility_override(
        application=submitted,
        by=officer,
        rule="documents_dated",
        passed=True,
        reason="발급일 오기: 원본 확인",
    )
    services.application_mark_eligible(application=submitted, by=officer)
    submitted.refresh_from_db()
    assert submitted.state == S.IN_REVIEW
    event = AuditEvent.objects.get(action="eligibility:override")
    assert (event.comment, event.data) == (
        "발급일 오기: 원본 확인",
        {"rule": "documents_dated", "automatic": False, "before": False, "after": True},
    )


def test_override_without_a_reason_is_refused(submitted, officer):
    with pytest.raises(services.ScreeningBlocked):
        services.eligibility_override(
            application=submitted, by=officer, rule="participation", passed=False, reason="  "
        )
    assert (
        EligibilityFlag.objects.get(application=submitted, rule="participation").override_passed
        is None
    )


def test_override_by_the_applicant_is_denied(submitted):
    with pytest.raises(PermissionDenied):
        services.eligibility_override(
            application=submitted,
            by=submitted.created_by,
            rule="participation",
            passed=True,
            reason="x",
        )


def test_mark_ineligible_keeps_the_reason_for_the_applicant(client, submitted, officer):
    client.force_login(officer)
    resp = client.post(
        reverse("applications:screening_detail", args=[submitted.pk]),
        {"action": "ineligible", "reason": "연계 과제가 5년 이전에 종료되었습니다."},
    )
    assert resp.status_code == 302
    submitted.refresh_from_db()
    assert (submitted.state, submitted.decision_reason) == (
        S.INELIGIBLE,
        "연계 과제가 5년 이전에 종료되었습니다.",
    )
    client.force_login(submitted.created_by)
    resp = client.get(reverse("applications:detail", args=[submitted.pk]))
    assert "연계 과제가 5년 이전에 종료되었습니다." in resp.content.decode()


def test_override_form_without_reason_shows_the_error(client, submitted, officer):
    client.force_login(officer)
    resp = client.post(
        reverse("applications:screening_detail", args=[submitted.pk]),
        {"action": "override", "rule": "participation", "passed": "0", "reason": ""},
    )
    assert resp.status_code == 200
    assert resp.context["forms"]["override"].errors["reason"] == ["This field is required."]


def test_supplement_deadline_in_the_past_is_refused_beside_the_field(client, submitted, officer):
    client.force_login(officer)
    resp = client.post(
        reverse("applications:screening_detail", args=[submitted.pk]),
        {"action": "supplement", "message": "x", "deadline": timezone.localdate().isoformat()},
    )
    assert resp.context["forms"]["supplement"].errors["deadline"] == [
        "The deadline must be after today."
    ]
    assert resp.context["forms"]["supplement"]["message"].value() == "x"


def test_screening_pages_refuse_applicants(client, submitted):
    client.force_login(submitted.created_by)
    assert client.get(reverse("applications:screening_queue")).status_code == 403
    url = reverse("applications:screening_detail", args=[submitted.pk])
    assert client.get(url).status_code == 403


def test_queue_filters_by_round_subfield_and_flags(client, officer):
    a = eligible_application()
    b = eligible_application(subfield=SubFieldFactory())
    b.rd_projects.add(RDProjectFactory(lead_business_number=""))
    for app in (a, b):
        services.application_submit(application=app, by=app.created_by)
    EligibilityFlag.objects.filter(application=b, rule="participation").update(passed=False)
    client.force_login(officer)
    url = reverse("applications:screening_queue")
    resp = client.get(url, {"subfield": b.subfield_id})
    assert [x.pk for x in resp.context["page"].object_list] == [b.pk]
    resp = client.get(url, {"flagged": "on"})
    assert [(x.pk, x.open_flags) for x in resp.context["page"].object_list] == [(b.pk, 1)]
    resp = client.get(url, {"round": a.round_id})
    assert [x.pk for x in resp.context["page"].object_list] == [a.pk]


def test_queue_query_count_does_not_grow(client, officer, django_assert_num_queries):
    first = eligible_application()
    services.application_submit(application=first, by=first.created_by)
    client.force_login(officer)
    url = reverse("applications:screening_queue")
    client.get(url)  # the first request of a session writes its activity stamp
    with django_assert_num_queries(QUEUE_QUERIES):
        assert client.get(url).status_code == 200
    for _ in range(8):
        app = eligible_application()
        services.application_submit(application=app, by=app.created_by)
    with django_assert_num_queries(QUEUE_QUERIES):
        resp = client.get(url)
    assert len(resp.context["page"].object_list) == 9


def test_screening_detail_query_count_does_not_grow(client, officer, django_assert_num_queries):
    from tests.factories.applicant import DocumentFactory

    app = eligible_application()
    services.application_submit(application=app, by=app.created_by)
    client.force_login(officer)
    url = reverse("applications:screening_detail", args=[app.pk])
    client.get(url)  # the first request of a session writes its activity stamp
    with django_assert_num_queries(SCREENING_DETAIL_QUERIES):
        assert client.get(url).status_code == 200
    for _ in range(6):
        DocumentFactory(application=app)
        app.rd_projects.add(RDProjectFactory())
    supplement_round_trips(app, officer, 4)
    with django_assert_num_queries(SCREENING_DETAIL_QUERIES):
        assert client.get(url).status_code == 200
    assert app.versions.count() == 5


def test_task_reminds_two_days_before_and_flags_overdue_once(officer):
    soon = SupplementRequestFactory(deadline=timezone.now() + dt.timedelta(days=1))
    MembershipFactory(organisation=soon.application.organisation)
    later = SupplementRequestFactory(deadline=timezone.now() + dt.timedelta(days=5))
    late = SupplementRequestFactory(deadline=timezone.now() - dt.timedelta(hours=1))
    answered = SupplementRequestFactory(
        deadline=timezone.now() - dt.timedelta(hours=1), answered_at=timezone.now()
    )
    assert remind_supplement_deadlines() == {"reminded": 1, "flagged": 1}
    assert remind_supplement_deadlines() == {"reminded": 0, "flagged": 0}
    for s in (soon, later, late, answered):
        s.refresh_from_db()
    assert soon.reminded_at is not None and later.reminded_at is None
    assert late.overdue_flagged_at is not None and answered.overdue_flagged_at is None
    overdue = Notification.objects.filter(event=Event.SUPPLEMENT_OVERDUE)
    assert [n.recipient for n in overdue] == [officer]
    reminders = Notification.objects.filter(event=Event.SUPPLEMENT_REQUESTED)
    assert reminders.count() == 2  # both members of the organisation


def test_seed_screening_adds_requests_and_versions_once(officer):
    import io
    import random

    from applications.demo_screening import seed_screening
    from applications.management.commands.seed_demo import DemoContext
    from applications.models import ApplicationVersion, SupplementRequest

    apps = [eligible_application() for _ in range(2)]
    for app in apps:
        services.application_submit(application=app, by=app.created_by)
    ApplicationVersion.objects.all().delete()
    Application.objects.filter(pk__in=[a.pk for a in apps]).update(state=S.SUPPLEMENT_REQUESTED)
    ctx = DemoContext(rng=random.Random(1), stdout=io.StringIO())
    seed_screening(ctx)
    seed_screening(ctx)
    assert ApplicationVersion.objects.count() == 2
    requests = list(SupplementRequest.objects.order_by("application_id"))
    assert [r.is_overdue for r in requests] == [False, True]
    assert requests[1].overdue_flagged_at is not None


QUEUE_QUERIES = 8
SCREENING_DETAIL_QUERIES = 14  # the correction form lists the sub-fields


def test_mark_eligible_needs_the_officers_verdict_on_a_flagged_rule(client, submitted, officer):
    """A failing rule the officer may judge is not passed over in silence: the officer
    records a verdict with its reason first, and the reason stays in the history."""
    EligibilityFlag.objects.filter(application=submitted, rule="certifications").update(
        passed=False, officer_may_judge=True, reason="no certification attached"
    )
    client.force_login(officer)
    page = client.get(reverse("applications:screening_detail", args=[submitted.pk]))
    assert [f.rule for f in page.context["unresolved"]] == ["certifications"]
    assert 'disabled aria-describedby="eligible-blocked"' in page.content.decode()
    assert "First record your own verdict" in page.content.decode()
    with pytest.raises(services.ScreeningBlocked):
        services.application_mark_eligible(application=submitted, by=officer)
    submitted.refresh_from_db()
    assert submitted.state == S.SUBMITTED
    assert not AuditEvent.objects.filter(
        application=submitted, action="transition:mark_eligible"
    ).exists()
    services.eligibility_override(
        application=submitted,
        by=officer,
        rule="certifications",
        passed=True,
        reason="KC 인증 대상이 아닌 소프트웨어 제품",
    )
    services.application_mark_eligible(application=submitted, by=officer)
    submitted.refresh_from_db()
    assert submitted.state == S.IN_REVIEW
    assert AuditEvent.objects.get(action="eligibility:override").comment == (
        "KC 인증 대상이 아닌 소프트웨어 제품"
    )


@pytest.mark.parametrize("close", ["withdraw", "ineligible"])
def test_a_closed_application_gets_no_supplement_reminder_or_overdue_flag(
    close, client, submitted, officer
):
    services.application_request_supplement(
        application=submitted,
        by=officer,
        reason="x",
        documents_wanted=[],
        deadline=timezone.now() + dt.timedelta(days=1),
    )
    submitted.refresh_from_db()
    if close == "withdraw":
        services.application_withdraw(application=submitted, by=submitted.created_by)
    else:
        services.application_mark_ineligible(
            application=submitted, by=officer, reason="요건 미충족"
        )
    request = submitted.supplement_requests.get()
    assert remind_supplement_deadlines() == {"reminded": 0, "flagged": 0}
    request.deadline = timezone.now() - dt.timedelta(hours=1)
    request.save(update_fields=["deadline"])
    assert remind_supplement_deadlines() == {"reminded": 0, "flagged": 0}
    assert services.supplement_flag_overdue(supplement_id=request.pk) is False
    assert not Notification.objects.filter(
        event__in=[Event.SUPPLEMENT_OVERDUE], application=submitted
    ).exists()
    client.force_login(submitted.created_by)
    page = client.get(reverse("applications:detail", args=[submitted.pk]))
    assert page.context["answer_form"] is None
    assert "Closed without an answer" in page.content.decode()


def test_a_rule_judged_not_met_points_to_ineligible_not_to_a_verdict(client, submitted, officer):
    EligibilityFlag.objects.filter(application=submitted, rule="certifications").update(
        passed=False, officer_may_judge=True, reason="no certification attached"
    )
    services.eligibility_override(
        application=submitted, by=officer, rule="certifications", passed=False, reason="KC 필요"
    )
    client.force_login(officer)
    page = client.get(reverse("applications:screening_detail", args=[submitted.pk]))
    text = page.content.decode()
    assert "You judged these rules not met" in text
    assert "First record your own verdict" not in text
    with pytest.raises(services.ScreeningBlocked):
        services.application_mark_eligible(application=submitted, by=officer)
