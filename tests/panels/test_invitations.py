"""Experts answer invitations in the browser; a decline, recusal or lapse re-runs the slot."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.enums import Role
from audit.models import AuditEvent
from panels.enums import AssignmentState
from panels.models import Assignment, ConflictDeclaration
from panels.services import (
    conflict_declare,
    invitation_accept,
    invitation_decline,
    invitations_expire,
)
from panels.tasks import expire_invitations
from tests.factories import ExpertProfileFactory, UserFactory
from tests.factories.panels import AssignmentFactory

pytestmark = pytest.mark.django_db


def _invitation(world, app_topic, expert_name):
    return Assignment.objects.get(
        application=world["apps"][app_topic], expert=world["experts"][expert_name]
    )


def _active_experts(app):
    return {
        a.expert_id
        for a in app.assignments.filter(
            state__in=[AssignmentState.INVITED, AssignmentState.ACCEPTED]
        )
    }


def test_accept_own_invitation(confirmed_world):
    a = _invitation(confirmed_world, "drone", "drone0")
    invitation_accept(assignment=a, by=a.expert.user)
    a.refresh_from_db()
    assert a.state == AssignmentState.ACCEPTED
    assert a.responded_at is not None
    assert (
        AuditEvent.objects.filter(action="assignment:accept", application=a.application).count()
        == 1
    )


def test_accept_someone_elses_invitation_is_refused(confirmed_world):
    a = _invitation(confirmed_world, "drone", "drone0")
    with pytest.raises(PermissionDenied):
        invitation_accept(assignment=a, by=confirmed_world["experts"]["drone1"].user)


def test_accept_twice_is_refused(confirmed_world):
    a = _invitation(confirmed_world, "drone", "drone0")
    invitation_accept(assignment=a, by=a.expert.user)
    with pytest.raises(ValidationError):
        invitation_accept(assignment=a, by=a.expert.user)


def test_accept_after_the_deadline_is_refused(confirmed_world):
    a = _invitation(confirmed_world, "drone", "drone0")
    Assignment.objects.filter(pk=a.pk).update(respond_by=timezone.now() - dt.timedelta(minutes=1))
    a.refresh_from_db()
    with pytest.raises(ValidationError):
        invitation_accept(assignment=a, by=a.expert.user)


def test_decline_needs_a_reason(confirmed_world):
    a = _invitation(confirmed_world, "battery", "battery0")
    with pytest.raises(ValidationError):
        invitation_decline(assignment=a, by=a.expert.user, reason="  ")
    a.refresh_from_db()
    assert a.state == AssignmentState.INVITED


def test_decline_reruns_only_the_open_slot(confirmed_world, django_capture_on_commit_callbacks):
    world = confirmed_world
    a = _invitation(world, "battery", "battery0")
    others_before = {
        app.pk: _active_experts(app) for k, app in world["apps"].items() if k != "battery"
    }
    with django_capture_on_commit_callbacks(execute=True):
        invitation_decline(assignment=a, by=a.expert.user, reason="해외 출장 중입니다.")
    a.refresh_from_db()
    assert a.state == AssignmentState.DECLINED
    assert a.decline_reason == "해외 출장 중입니다."
    battery = world["apps"]["battery"]
    # battery1 kept its place; the one free expert (battery2) is invited at once.
    assert _active_experts(battery) == {
        world["experts"]["battery1"].pk,
        world["experts"]["battery2"].pk,
    }
    new = Assignment.objects.get(application=battery, expert=world["experts"]["battery2"])
    assert new.state == AssignmentState.INVITED
    assert new.respond_by is not None
    for app in (world["apps"]["drone"], world["apps"]["medical"]):
        assert _active_experts(app) == others_before[app.pk]


def test_decline_without_a_free_expert_leaves_the_slot_reported(
    confirmed_world, django_capture_on_commit_callbacks
):
    world = confirmed_world
    world["experts"]["battery2"].is_active = False
    world["experts"]["battery2"].save()
    a = _invitation(world, "drone", "drone0")
    with django_capture_on_commit_callbacks(execute=True):
        invitation_decline(assignment=a, by=a.expert.user, reason="일정이 맞지 않습니다.")
    run = world["apps"]["drone"].assignment_runs.get()
    assert run.report["totals"]["infeasible"] == 1
    assert run.report["committees"][0]["infeasible"][0]["reason"] == "loads_full"
    assert _active_experts(world["apps"]["drone"]) == {world["experts"]["drone1"].pk}


@pytest.mark.parametrize("is_recusal", [False, True])
def test_conflict_declaration_recuses_and_reruns(
    confirmed_world, django_capture_on_commit_callbacks, is_recusal
):
    world = confirmed_world
    a = _invitation(world, "battery", "battery1")
    invitation_accept(assignment=a, by=a.expert.user)
    with django_capture_on_commit_callbacks(execute=True):
        conflict_declare(
            assignment=a, by=a.expert.user, reason="신청기업 자문위원입니다.", is_recusal=is_recusal
        )
    a.refresh_from_db()
    assert a.state == AssignmentState.RECUSED
    declaration = ConflictDeclaration.objects.get(expert=a.expert, application=a.application)
    assert declaration.is_recusal is is_recusal
    assert _active_experts(world["apps"]["battery"]) == {
        world["experts"]["battery0"].pk,
        world["experts"]["battery2"].pk,
    }


def test_invitations_past_their_deadline_lapse_and_rerun(
    confirmed_world, django_capture_on_commit_callbacks
):
    world = confirmed_world
    a = _invitation(world, "battery", "battery0")
    Assignment.objects.filter(pk=a.pk).update(respond_by=timezone.now() - dt.timedelta(hours=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert expire_invitations.delay().get() == 1
    a.refresh_from_db()
    assert a.state == AssignmentState.EXPIRED
    assert world["experts"]["battery2"].pk in _active_experts(world["apps"]["battery"])
    # Safe to run twice: nothing is left to lapse.
    assert invitations_expire() == 0


def test_beat_schedule_has_the_expiry_task(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["panels.expire_invitations"]
    assert entry["task"] == "panels.tasks.expire_invitations"


# --- Pages -----------------------------------------------------------------------------


def test_invitation_list_shows_only_my_invitations(client, confirmed_world):
    me = confirmed_world["experts"]["drone0"]
    client.force_login(me.user)
    response = client.get(reverse("panels:invitation_list"))
    assert response.status_code == 200
    assert [a.pk for a in response.context["open"]] == [
        _invitation(confirmed_world, "drone", "drone0").pk
    ]


@pytest.mark.parametrize("n", [1, 6])
def test_invitation_list_query_count_is_flat(client, django_assert_num_queries, n):
    expert = ExpertProfileFactory()
    for _ in range(n):
        AssignmentFactory(expert=expert, respond_by=timezone.now() + dt.timedelta(days=3))
    client.force_login(expert.user)
    # session, user, role check, unread notifications, the list
    with django_assert_num_queries(5):
        response = client.get(reverse("panels:invitation_list"))
    assert len(response.context["open"]) == n


def test_invitation_list_needs_the_expert_role(client):
    client.force_login(UserFactory(roles=[Role.APPLICANT]))
    assert client.get(reverse("panels:invitation_list")).status_code == 403


@pytest.mark.parametrize(
    "action", ["invitation_detail", "invitation_decline", "invitation_conflict"]
)
def test_someone_elses_invitation_is_404(client, confirmed_world, action):
    a = _invitation(confirmed_world, "drone", "drone0")
    client.force_login(confirmed_world["experts"]["drone1"].user)
    assert client.get(reverse(f"panels:{action}", args=[a.pk])).status_code == 404


def test_someone_elses_invitation_cannot_be_accepted_by_post(client, confirmed_world):
    a = _invitation(confirmed_world, "drone", "drone0")
    client.force_login(confirmed_world["experts"]["drone1"].user)
    assert client.post(reverse("panels:invitation_accept", args=[a.pk])).status_code == 404
    a.refresh_from_db()
    assert a.state == AssignmentState.INVITED


def test_a_proposal_not_yet_sent_is_404(client):
    a = AssignmentFactory(state=AssignmentState.PROPOSED)
    client.force_login(a.expert.user)
    assert client.get(reverse("panels:invitation_detail", args=[a.pk])).status_code == 404


def test_accept_in_the_browser(client, confirmed_world):
    a = _invitation(confirmed_world, "drone", "drone0")
    client.force_login(a.expert.user)
    detail = client.get(reverse("panels:invitation_detail", args=[a.pk]))
    assert detail.status_code == 200
    assert a.application.product_name in detail.content.decode()
    response = client.post(reverse("panels:invitation_accept", args=[a.pk]))
    assert response.status_code == 302
    a.refresh_from_db()
    assert a.state == AssignmentState.ACCEPTED


def test_decline_in_the_browser_without_reason_keeps_the_form(client, confirmed_world):
    a = _invitation(confirmed_world, "drone", "drone0")
    client.force_login(a.expert.user)
    response = client.post(reverse("panels:invitation_decline", args=[a.pk]), {"reason": ""})
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["reason"]
    a.refresh_from_db()
    assert a.state == AssignmentState.INVITED


def test_decline_in_the_browser(client, confirmed_world, django_capture_on_commit_callbacks):
    a = _invitation(confirmed_world, "drone", "drone0")
    client.force_login(a.expert.user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("panels:invitation_decline", args=[a.pk]), {"reason": "학회 일정"}
        )
    assert response.status_code == 302
    a.refresh_from_db()
    assert a.state == AssignmentState.DECLINED


def test_conflict_in_the_browser(client, confirmed_world, django_capture_on_commit_callbacks):
    a = _invitation(confirmed_world, "drone", "drone0")
    client.force_login(a.expert.user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("panels:invitation_conflict", args=[a.pk]),
            {"kind": "recusal", "reason": "최근 공동 연구"},
        )
    assert response.status_code == 302
    assert ConflictDeclaration.objects.get(expert=a.expert).is_recusal is True


def test_a_slot_rerun_never_overfills_the_application(confirmed_world, monkeypatch):
    from panels import assignment
    from panels.enums import AssignmentRunState
    from panels.models import AssignmentRun

    world = confirmed_world
    a = _invitation(world, "battery", "battery0")
    Assignment.objects.filter(pk=a.pk).update(state=AssignmentState.DECLINED)
    app = world["apps"]["battery"]
    first = AssignmentRun.objects.create(round=world["round"], application=app)
    second = AssignmentRun.objects.create(round=world["round"], application=app)
    # The second run reads the scope before the first writes, as a second worker would.
    stale = assignment.load_problem(AssignmentRun.objects.get(pk=second.pk))
    assignment.execute_run(run_id=first.pk)
    monkeypatch.setattr(assignment, "load_problem", lambda run, progress=None: stale)
    assignment.execute_run(run_id=second.pk)
    second.refresh_from_db()
    assert second.state == AssignmentRunState.PROPOSED
    assert Assignment.objects.filter(run=second).count() == 0
    assert Assignment.objects.filter(run=first).count() == 1
    assert (
        app.assignments.filter(
            state__in=[AssignmentState.PROPOSED, AssignmentState.INVITED, AssignmentState.ACCEPTED]
        ).count()
        == 2
    )
