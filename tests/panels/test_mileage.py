import datetime as dt
from decimal import Decimal as D

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.enums import Role
from applications.enums import ApplicationState as S
from panels.models import PanelClosure
from panels.selectors import expert_mileage, result_summary
from panels.services import consensus_record
from tests.factories import UserFactory
from tests.factories.reviews import make_panel, submitted_review

pytestmark = pytest.mark.django_db

DEADLINE = timezone.make_aware(dt.datetime(2026, 3, 10, 18, 0))


def _two_panels():
    """Two applications, the same three experts; expert A is late once by 2 days."""
    first = make_panel(review_deadline=DEADLINE)
    second = make_panel(subfield=first.application.subfield, round=first.application.round)
    for assignment, expert in zip(second.assignments, first.experts, strict=True):
        assignment.expert = expert
        assignment.save()
    on_time = DEADLINE - dt.timedelta(days=1)
    late = DEADLINE + dt.timedelta(days=2)
    a1, b1, c1 = first.assignments
    a2, b2, c2 = second.assignments
    submitted_review(a1, [80] * 4, submitted_at=on_time)
    submitted_review(b1, [70] * 4, submitted_at=on_time)
    submitted_review(c1, [75] * 4, submitted_at=DEADLINE)
    submitted_review(a2, [70] * 4, submitted_at=late)
    submitted_review(b2, [60] * 4, submitted_at=on_time)
    # c2 is not submitted and the deadline has passed.
    return first, second


def test_mileage_timeliness_and_bias_are_exact():
    first, _ = _two_panels()
    rows = {m.expert_id: m for m in expert_mileage()}
    a, b, c = (rows[e.pk] for e in first.experts)
    assert (a.assigned, a.submitted, a.on_time, a.on_time_rate, a.average_days_late) == (
        2,
        2,
        1,
        D("50.00"),
        D("1.00"),
    )
    assert (b.on_time_rate, b.average_days_late, b.overdue_now) == (D("100.00"), D("0.00"), 0)
    assert (c.submitted, c.on_time_rate, c.overdue_now) == (1, D("100.00"), 1)
    # Panel 1 mean 75 (80, 70, 75); panel 2 mean 65 (70, 60).
    assert (a.bias, b.bias, c.bias) == (D("5.00"), D("-5.00"), D("0.00"))


def test_mileage_page_for_officers(client, officer):
    first, _ = _two_panels()
    client.force_login(officer)
    response = client.get(reverse("panels:expert_mileage"))
    assert response.status_code == 200
    html = response.content.decode()
    assert first.experts[0].user.name in html
    assert "50.00" in html and "-5.00" in html


def test_mileage_page_for_the_panel_secretariat(client):
    client.force_login(UserFactory(roles=[Role.PANEL_SECRETARIAT]))
    assert client.get(reverse("panels:expert_mileage")).status_code == 200


def test_mileage_page_is_404_for_experts_and_applicants(client):
    panel = make_panel()
    for user in (panel.assignments[0].expert.user, panel.application.created_by):
        client.force_login(user)
        assert client.get(reverse("panels:expert_mileage")).status_code == 404


def test_mileage_page_query_count_is_flat(client, officer):
    def queries():
        client.force_login(officer)
        with CaptureQueriesContext(connection) as ctx:
            client.get(reverse("panels:expert_mileage"))
        return len(ctx.captured_queries)

    make_panel(n_experts=1)
    one = queries()
    _two_panels()
    make_panel(n_experts=5)
    assert queries() == one


# --- results for the procurement engineer and the applicant ------------------------------


def _decided_panel():
    panel = make_panel(state=S.CONSENSUS)
    a, b, c = panel.assignments
    submitted_review(a, [80, 70, 90, 60], overall_opinion="Strong.")
    submitted_review(b, [90, 80, 70, 60], overall_opinion="Useful.")
    submitted_review(c, [70, 60, 80, 90], overall_opinion="Promising.")
    consensus_record(
        application=panel.application,
        by=panel.chair.user,
        score=D("77.5"),
        opinion="Recommended by the panel.",
        recommended=True,
    )
    return panel


def test_result_summary_before_the_decision_has_no_names():
    panel = _decided_panel()
    panel.application.refresh_from_db()
    summary = result_summary(application=panel.application)
    assert [(c["code"], c["average"]) for c in summary["criteria"]] == [
        ("novelty", D("80.00")),
        ("impact", D("70.00")),
        ("procurement", D("80.00")),
        ("market", D("70.00")),
    ]
    assert summary["criteria"][0]["comments"] == ["novelty 80", "novelty 90", "novelty 70"]
    assert summary["opinions"] == ["Strong.", "Useful.", "Promising."]
    assert (summary["consensus_score"], summary["consensus_opinion"], summary["recommended"]) == (
        D("77.50"),
        "Recommended by the panel.",
        True,
    )
    assert summary["panel_members"] == []
    text = repr(summary)
    for a in panel.assignments:
        assert a.expert.user.name not in text


def test_result_summary_after_the_decision_lists_the_panel_sorted_by_name():
    panel = _decided_panel()
    type(panel.application).objects.filter(pk=panel.application.pk).update(
        decided_at=timezone.now()
    )
    panel.application.refresh_from_db()
    members = result_summary(application=panel.application)["panel_members"]
    expected = sorted(
        (a.expert.user.get_full_name(), a.expert.organisation_name) for a in panel.assignments
    )
    assert [(m["name"], m["organisation"]) for m in members] == expected


def test_staff_overview_lists_every_panel_awaiting_consensus(client, officer):
    waiting = make_panel(state=S.CONSENSUS)
    reviewing = make_panel()
    client.force_login(officer)
    html = client.get(reverse("panels:expert_mileage")).content.decode()
    assert reverse("panels:consensus", args=[waiting.application.pk]) in html
    assert reverse("panels:consensus", args=[reviewing.application.pk]) not in html


def test_staff_close_a_committee_panel_from_the_overview(client, officer):
    panel = make_panel()
    client.force_login(officer)
    response = client.post(
        reverse("panels:panel_close"),
        {"round": panel.application.round.pk, "committee": panel.committee.pk},
    )
    assert response.status_code == 302
    closure = PanelClosure.objects.get()
    assert (closure.round, closure.committee, closure.closed_by) == (
        panel.application.round,
        panel.committee,
        officer,
    )
    html = client.get(reverse("panels:expert_mileage")).content.decode()
    assert "closed" in html and str(panel.committee) in html


def test_closing_a_panel_needs_a_round(client, officer):
    client.force_login(officer)
    response = client.post(reverse("panels:panel_close"), {"round": ""})
    assert response.status_code == 400
    assert "Choose the round." in response.content.decode()
    assert PanelClosure.objects.count() == 0


def test_experts_cannot_close_a_panel(client):
    panel = make_panel()
    client.force_login(panel.assignments[0].expert.user)
    response = client.post(reverse("panels:panel_close"), {"round": panel.application.round.pk})
    assert response.status_code == 404
    assert PanelClosure.objects.count() == 0
