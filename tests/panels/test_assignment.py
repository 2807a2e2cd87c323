"""The assignment task end to end on the database: exact proposals, reports, confirmation."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from applications.enums import ApplicationState
from audit.models import AuditEvent
from notifications.enums import Event
from notifications.models import Notification
from panels.assignment import execute_run
from panels.enums import AssignmentRunState, AssignmentState
from panels.models import Assignment, AssignmentRun
from panels.services import (
    assignment_run_confirm,
    assignment_run_discard,
    assignment_run_for_application,
    assignment_run_launch,
)
from tests.factories import ExpertProfileFactory, UserFactory
from tests.factories.panels import (
    AssignmentFactory,
    ConflictDeclarationFactory,
    InReviewApplicationFactory,
)

pytestmark = pytest.mark.django_db


def _pairs(run):
    return {
        (a.application_id, a.expert_id)
        for a in Assignment.objects.filter(run=run, state=AssignmentState.PROPOSED)
    }


def _launch(world, officer_user, django_capture_on_commit_callbacks, **kwargs):
    with django_capture_on_commit_callbacks(execute=True):
        run = assignment_run_launch(round=world["round"], by=officer_user, **kwargs)
    run.refresh_from_db()
    return run


def test_run_assigns_each_application_its_matching_experts(
    small_world, officer_user, django_capture_on_commit_callbacks
):
    run = _launch(small_world, officer_user, django_capture_on_commit_callbacks)
    apps, ex = small_world["apps"], small_world["experts"]
    assert run.state == AssignmentRunState.PROPOSED
    assert run.progress == 100
    # The battery application has three matching experts; the two sharing most tokens win.
    assert _pairs(run) == {
        (apps["battery"].pk, ex["battery0"].pk),
        (apps["battery"].pk, ex["battery1"].pk),
        (apps["drone"].pk, ex["drone0"].pk),
        (apps["drone"].pk, ex["drone1"].pk),
        (apps["medical"].pk, ex["medical0"].pk),
        (apps["medical"].pk, ex["medical1"].pk),
    }
    totals = run.report["totals"]
    assert totals["applications"] == 3
    assert totals["staffed"] == 3
    assert totals["infeasible"] == 0
    assert totals["assigned"] == 6
    (committee,) = run.report["committees"]
    assert committee["members"] == 7
    assert committee["infeasible"] == []
    assert committee["total_affinity"] == pytest.approx(totals["total_affinity"])


def test_run_never_proposes_a_conflicted_pair(
    small_world, officer_user, django_capture_on_commit_callbacks
):
    apps, ex = small_world["apps"], small_world["experts"]
    ConflictDeclarationFactory(expert=ex["battery1"], application=apps["battery"])
    run = _launch(small_world, officer_user, django_capture_on_commit_callbacks)
    battery = {e for a, e in _pairs(run) if a == apps["battery"].pk}
    assert battery == {ex["battery0"].pk, ex["battery2"].pk}


def test_run_reports_an_unstaffable_application_and_assigns_the_others(
    small_world, officer_user, django_capture_on_commit_callbacks
):
    apps, ex = small_world["apps"], small_world["experts"]
    # Six of the seven members are conflicted on the drone application.
    ConflictDeclarationFactory(expert=ex["drone0"], application=apps["drone"])
    for name in ("battery0", "battery1", "battery2", "medical0", "medical1"):
        ConflictDeclarationFactory(expert=ex[name], application=apps["drone"])
    run = _launch(small_world, officer_user, django_capture_on_commit_callbacks)
    (committee,) = run.report["committees"]
    (info,) = committee["infeasible"]
    assert info["application_id"] == apps["drone"].pk
    assert info["reason"] == "too_few_experts"
    assert info["needed"] == 2
    assert info["eligible_experts"] == 1
    assert info["conflicted"] == 6
    assert info["members"] == 7
    assert {a for a, _ in _pairs(run)} == {apps["battery"].pk, apps["medical"].pk}
    assert committee["staffed"] == 2


def test_run_reports_loads_full_and_loads_too_low(
    small_world, officer_user, django_capture_on_commit_callbacks
):
    apps, ex = small_world["apps"], small_world["experts"]
    other = InReviewApplicationFactory(round=small_world["round"], subfield=small_world["subfield"])
    # Five experts already hold their one review in the round: only medical0 and medical1
    # are free; medical0 is conflicted on the drone application.
    for name in ("battery0", "battery1", "battery2", "drone0", "drone1"):
        AssignmentFactory(application=other, expert=ex[name], state=AssignmentState.ACCEPTED)
    ConflictDeclarationFactory(expert=ex["medical0"], application=apps["drone"])
    run = _launch(small_world, officer_user, django_capture_on_commit_callbacks)
    (committee,) = run.report["committees"]
    info = {i["application_id"]: i for i in committee["infeasible"]}
    assert committee["already_staffed"] == 1
    assert info[apps["drone"].pk]["reason"] == "loads_full"
    assert info[apps["drone"].pk]["eligible_experts"] == 6
    assert info[apps["drone"].pk]["experts_with_free_load"] == 1
    # Battery and medical compete for the same two free experts: the better match wins.
    assert info[apps["battery"].pk]["reason"] == "loads_too_low"
    assert info[apps["battery"].pk]["free_load"] == 2
    assert _pairs(run) == {
        (apps["medical"].pk, ex["medical0"].pk),
        (apps["medical"].pk, ex["medical1"].pk),
    }


def test_run_for_one_committee_only(small_world, officer_user, django_capture_on_commit_callbacks):
    from tests.factories import CommitteeFactory, SubFieldFactory

    other_sf = SubFieldFactory()
    other_app = InReviewApplicationFactory(round=small_world["round"], subfield=other_sf)
    CommitteeFactory(subfield=other_sf)
    run = _launch(
        small_world,
        officer_user,
        django_capture_on_commit_callbacks,
        committee=small_world["committee"],
    )
    assert other_app.pk not in {a for a, _ in _pairs(run)}
    assert len(run.report["committees"]) == 1


def test_run_query_count_does_not_grow_with_size(small_world, officer_user):
    def queries_for_run():
        run = AssignmentRun.objects.create(round=small_world["round"], launched_by=officer_user)
        with CaptureQueriesContext(connection) as ctx:
            execute_run(run_id=run.pk)
        run.refresh_from_db()
        assert run.state == AssignmentRunState.PROPOSED
        return len(ctx.captured_queries)

    first = queries_for_run()
    for _ in range(4):
        InReviewApplicationFactory(round=small_world["round"], subfield=small_world["subfield"])
        ExpertProfileFactory(subfields=[small_world["subfield"]], keywords="드론")
    # The second run replaces the first proposal (one more delete/update), then stays flat.
    second = queries_for_run()
    for _ in range(4):
        InReviewApplicationFactory(round=small_world["round"], subfield=small_world["subfield"])
        ExpertProfileFactory(subfields=[small_world["subfield"]], keywords="드론")
    third = queries_for_run()
    assert second == third
    assert first <= second


def test_new_run_replaces_an_open_proposal(
    small_world, officer_user, django_capture_on_commit_callbacks
):
    first = _launch(small_world, officer_user, django_capture_on_commit_callbacks)
    second = _launch(small_world, officer_user, django_capture_on_commit_callbacks)
    first.refresh_from_db()
    assert first.state == AssignmentRunState.DISCARDED
    assert Assignment.objects.filter(run=first).count() == 0
    assert len(_pairs(second)) == 6


def test_execute_run_twice_does_nothing_the_second_time(small_world, officer_user):
    run = AssignmentRun.objects.create(round=small_world["round"], launched_by=officer_user)
    execute_run(run_id=run.pk)
    execute_run(run_id=run.pk)
    assert Assignment.objects.filter(run=run).count() == 6


def test_launch_needs_programme_staff(small_world):
    with pytest.raises(PermissionDenied):
        assignment_run_launch(round=small_world["round"], by=UserFactory())


def test_confirm_invites_with_deadline_and_notifies_each_expert_once(
    small_world, officer_user, django_capture_on_commit_callbacks
):
    run = _launch(small_world, officer_user, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        count = assignment_run_confirm(run=run, by=officer_user)
    assert count == 6
    rows = Assignment.objects.filter(run=run)
    assert {a.state for a in rows} == {AssignmentState.INVITED}
    assert all(a.respond_by is not None and a.invited_at is not None for a in rows)
    assert (rows[0].respond_by - rows[0].invited_at).days == 5
    invitations = Notification.objects.filter(event=Event.REVIEW_INVITATION)
    assert sorted(n.recipient_id for n in invitations) == sorted(a.expert.user_id for a in rows)
    run.refresh_from_db()
    assert run.state == AssignmentRunState.CONFIRMED
    assert run.decided_by == officer_user
    assert AuditEvent.objects.filter(action="assignment:invite").count() == 3
    with pytest.raises(ValidationError):
        assignment_run_confirm(run=run, by=officer_user)


def test_confirm_needs_programme_staff(
    small_world, officer_user, django_capture_on_commit_callbacks
):
    run = _launch(small_world, officer_user, django_capture_on_commit_callbacks)
    with pytest.raises(PermissionDenied):
        assignment_run_confirm(run=run, by=UserFactory())


def test_discard_deletes_the_proposal(
    small_world, officer_user, django_capture_on_commit_callbacks
):
    run = _launch(small_world, officer_user, django_capture_on_commit_callbacks)
    assignment_run_discard(run=run, by=officer_user)
    run.refresh_from_db()
    assert run.state == AssignmentRunState.DISCARDED
    assert Assignment.objects.filter(run=run).count() == 0


def test_rereview_excludes_every_earlier_reviewer(
    small_world, officer_user, django_capture_on_commit_callbacks
):
    apps, ex = small_world["apps"], small_world["experts"]
    app = apps["battery"]
    for name in ("battery0", "battery1"):
        AssignmentFactory(application=app, expert=ex[name], state=AssignmentState.ACCEPTED)
    # Earlier loads belong to the first cycle; give the other experts room.
    for e in ex.values():
        e.max_load = 3
        e.save()
    with django_capture_on_commit_callbacks(execute=True):
        run = assignment_run_for_application(application=app, by=officer_user, rereview=True)
    run.refresh_from_db()
    new = Assignment.objects.filter(run=run)
    assert len(new) == 2
    assert all(a.is_rereview for a in new)
    assert ex["battery2"].pk in {a.expert_id for a in new}
    assert not {ex["battery0"].pk, ex["battery1"].pk} & {a.expert_id for a in new}


def test_failed_run_records_the_error(small_world, officer_user, monkeypatch):
    from panels import solver

    def broken(**kwargs):
        raise solver.SolverError("boom")

    monkeypatch.setattr(solver, "solve", broken)
    run = AssignmentRun.objects.create(round=small_world["round"], launched_by=officer_user)
    execute_run(run_id=run.pk)
    run.refresh_from_db()
    assert run.state == AssignmentRunState.FAILED
    assert run.error == "SolverError: boom"
    assert Assignment.objects.filter(run=run).count() == 0


def test_applications_outside_review_are_not_assigned(
    small_world, officer_user, django_capture_on_commit_callbacks
):
    InReviewApplicationFactory(
        round=small_world["round"],
        subfield=small_world["subfield"],
        state=ApplicationState.SUBMITTED,
    )
    run = _launch(small_world, officer_user, django_capture_on_commit_callbacks)
    assert run.report["totals"]["applications"] == 3


# --- Officer pages -----------------------------------------------------------------------


def test_assignment_pages_need_programme_staff(client, small_world):
    from django.urls import reverse

    from accounts.enums import Role

    client.force_login(UserFactory(roles=[Role.EXPERT]))
    assert client.get(reverse("panels:assignment_home")).status_code == 403
    run = AssignmentRun.objects.create(round=small_world["round"])
    assert client.get(reverse("panels:assignment_run", args=[run.pk])).status_code == 403
    assert client.post(reverse("panels:assignment_run_confirm", args=[run.pk])).status_code == 403


def test_launch_in_the_browser_shows_the_proposal(
    client, small_world, officer_user, django_capture_on_commit_callbacks
):
    from django.urls import reverse

    client.force_login(officer_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("panels:assignment_home"), {"round": small_world["round"].pk, "committee": ""}
        )
    run = AssignmentRun.objects.get()
    assert response["Location"] == reverse("panels:assignment_run", args=[run.pk])
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert [len(g["assignments"]) for g in page.context["proposal"]] == [2, 2, 2]
    progress = client.get(reverse("panels:assignment_run_progress", args=[run.pk]))
    assert progress["HX-Refresh"] == "true"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("panels:assignment_run_confirm", args=[run.pk]))
    run.refresh_from_db()
    assert run.state == AssignmentRunState.CONFIRMED


def test_launch_without_a_round_keeps_the_form(client, officer_user):
    from django.urls import reverse

    client.force_login(officer_user)
    response = client.post(reverse("panels:assignment_home"), {"round": "", "committee": ""})
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["round"]
    assert AssignmentRun.objects.count() == 0


def test_progress_poll_keeps_polling_while_running(client, small_world, officer_user):
    from django.urls import reverse

    run = AssignmentRun.objects.create(
        round=small_world["round"],
        state=AssignmentRunState.RUNNING,
        progress=45,
        progress_message="affinity",
    )
    client.force_login(officer_user)
    response = client.get(reverse("panels:assignment_run_progress", args=[run.pk]))
    assert "HX-Refresh" not in response
    assert 'value="45"' in response.content.decode()
    assert "matching expertise" in response.content.decode()


@pytest.mark.parametrize("extra", [0, 5])
def test_run_page_query_count_is_flat(
    client, small_world, officer_user, django_assert_num_queries, extra
):
    from django.urls import reverse

    for _ in range(extra):
        InReviewApplicationFactory(round=small_world["round"], subfield=small_world["subfield"])
        ExpertProfileFactory(subfields=[small_world["subfield"]], keywords="드론", max_load=3)
    run = AssignmentRun.objects.create(round=small_world["round"], launched_by=officer_user)
    execute_run(run_id=run.pk)
    client.force_login(officer_user)
    with django_assert_num_queries(7):
        response = client.get(reverse("panels:assignment_run", args=[run.pk]))
    assert len(response.context["proposal"]) == 3 + extra


def test_a_run_stopped_while_computing_writes_nothing(small_world, officer_user, monkeypatch):
    from panels import assignment

    run = AssignmentRun.objects.create(round=small_world["round"], launched_by=officer_user)
    real = assignment.load_problem

    def stop_midway(r, progress=None):
        problem = real(r, progress=progress)
        assignment_run_discard(run=AssignmentRun.objects.get(pk=r.pk), by=officer_user)
        return problem

    monkeypatch.setattr(assignment, "load_problem", stop_midway)
    execute_run(run_id=run.pk)
    run.refresh_from_db()
    assert run.state == AssignmentRunState.DISCARDED
    assert Assignment.objects.filter(run=run).count() == 0


def test_launch_with_the_broker_down_leaves_the_run_queued_and_requeues_later(
    small_world, officer_user, django_capture_on_commit_callbacks, monkeypatch
):
    import datetime as dt

    from panels import tasks
    from panels.assignment_services import requeue_stale_runs

    def down(**kwargs):
        raise ConnectionError("broker down")

    monkeypatch.setattr(tasks.run_assignment, "delay", down)
    with django_capture_on_commit_callbacks(execute=True):
        run = assignment_run_launch(round=small_world["round"], by=officer_user)
    run.refresh_from_db()
    assert run.state == AssignmentRunState.QUEUED
    monkeypatch.undo()
    assert requeue_stale_runs() == 0  # too recent
    AssignmentRun.objects.filter(pk=run.pk).update(
        created_at=run.created_at - dt.timedelta(minutes=10)
    )
    assert requeue_stale_runs() == 1
    run.refresh_from_db()
    assert run.state == AssignmentRunState.PROPOSED


# --- Affinity -----------------------------------------------------------------------------


def test_tokens_are_latin_words_and_hangul_bigrams():
    from panels.affinity import tokens

    assert tokens("영상분석 AI, 물 x") == ["ai", "영상", "상분", "분석", "물"]


def test_affinity_identical_disjoint_and_partial():
    import numpy as np

    from panels.affinity import affinity_matrix

    m = affinity_matrix(
        ["수소 연료전지", "드론 항공", "", "수소 드론"],
        ["수소 연료전지", "드론 항공"],
    )
    assert m.shape == (4, 2)
    assert m[0, 0] == pytest.approx(1.0)
    assert m[0, 1] == 0.0
    assert m[1, 1] == pytest.approx(1.0)
    assert m[2].tolist() == [0.0, 0.0]
    assert 0.0 < m[3, 0] < 1.0 and 0.0 < m[3, 1] < 1.0
    assert ((m >= 0) & (m <= 1)).all()
    assert np.argmax(m[:, 0]) == 0


def test_affinity_rewards_rare_shared_tokens_over_common_ones():
    from panels.affinity import affinity_matrix

    apps = ["스마트 시스템 배터리", "스마트 시스템 드론", "스마트 시스템 센서"]
    m = affinity_matrix(["스마트 시스템", "배터리"], apps)
    # "배터리" appears in one application only: it matches that one more strongly than the
    # words every application uses match any of them.
    assert m[1, 0] > m[0, 0]
