import datetime as dt
from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_fsm import TransitionNotAllowed

from applications.enums import ApplicationState as S
from applications.models import Application
from audit.models import AccessLog, AuditEvent
from panels.enums import PanelMeetingKind
from panels.models import Consensus
from panels.selectors import panel_view
from panels.services import (
    CriterionAnswer,
    GateAnswer,
    ReviewClosed,
    consensus_record,
    review_save,
)
from tests.factories import ExpertProfileFactory
from tests.factories.reviews import AssignmentFactory, make_panel, submitted_review

pytestmark = pytest.mark.django_db


@pytest.fixture
def consensus_panel():
    panel = make_panel(state=S.CONSENSUS)
    for a, s in zip(panel.assignments, ([80, 70, 90, 60], [100] * 4, [70] * 4), strict=True):
        submitted_review(a, s)
    return panel


def record(panel, by=None, **kw):
    args = {"score": D("80.5"), "opinion": "Novel and useful.", "recommended": True, **kw}
    return consensus_record(application=panel.application, by=by or panel.chair.user, **args)


def test_chair_records_a_recommendation_and_the_application_moves_on(consensus_panel):
    consensus = record(consensus_panel)
    app = Application.objects.get(pk=consensus_panel.application.pk)
    assert app.state == S.SUITABILITY_REVIEW
    assert (consensus.score, consensus.recommended, consensus.chair) == (
        D("80.50"),
        True,
        consensus_panel.chair,
    )
    actions = list(
        AuditEvent.objects.filter(application=app).order_by("id").values_list("action", flat=True)
    )
    assert actions == ["transition:recommend", "consensus:recorded"]


def test_chair_records_not_recommended_and_the_officer_decides(consensus_panel):
    record(consensus_panel, recommended=False, score=D("55"))
    assert Application.objects.get(pk=consensus_panel.application.pk).state == (S.AWAITING_DECISION)


def test_site_visit_is_recorded_with_the_consensus(consensus_panel):
    consensus = record(
        consensus_panel,
        meeting_kind=PanelMeetingKind.SITE_VISIT,
        meeting_date=dt.date(2026, 3, 15),
        meeting_notes="Saw the sensors in service.",
    )
    consensus.refresh_from_db()
    assert (consensus.meeting_kind, consensus.meeting_date, consensus.interview_notes) == (
        "site_visit",
        dt.date(2026, 3, 15),
        "Saw the sensors in service.",
    )


def test_consensus_before_all_scores_are_in_is_not_allowed():
    panel = make_panel()
    with pytest.raises(TransitionNotAllowed):
        record(panel)
    assert Consensus.objects.count() == 0
    assert Application.objects.get(pk=panel.application.pk).state == S.IN_REVIEW


def test_consensus_by_a_panel_member_is_denied(consensus_panel):
    with pytest.raises(PermissionDenied):
        record(consensus_panel, by=consensus_panel.assignments[0].expert.user)
    assert Consensus.objects.count() == 0


def test_consensus_by_an_officer_is_denied(consensus_panel, officer):
    with pytest.raises(PermissionDenied):
        record(consensus_panel, by=officer)


def test_second_consensus_on_a_stale_copy_is_refused(consensus_panel):
    stale = Application.objects.get(pk=consensus_panel.application.pk)
    record(consensus_panel)
    with pytest.raises(TransitionNotAllowed):
        consensus_record(
            application=stale,
            by=consensus_panel.chair.user,
            score=D(60),
            opinion="Again",
            recommended=False,
        )
    assert Consensus.objects.count() == 1


@pytest.mark.parametrize(
    ("kw", "field"),
    [
        ({"score": D("100.01")}, "score"),
        ({"score": D("-1")}, "score"),
        ({"score": "abc"}, "score"),
        ({"opinion": "  "}, "opinion"),
        ({"meeting_kind": "dinner"}, "meeting_kind"),
    ],
)
def test_consensus_input_is_checked(consensus_panel, kw, field):
    with pytest.raises(ValidationError) as exc:
        record(consensus_panel, **kw)
    assert list(exc.value.message_dict) == [field]
    assert Consensus.objects.count() == 0


# --- the page -------------------------------------------------------------------------------


def test_chair_sees_anonymised_scores_and_the_figures(client, consensus_panel):
    client.force_login(consensus_panel.chair.user)
    response = client.get(reverse("panels:consensus", args=[consensus_panel.application.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Expert A" in html and "Expert C" in html
    for a in consensus_panel.assignments:
        assert a.expert.user.name not in html
    assert "82.00" in html  # mean of 76, 100 and 70
    assert "far from the others" in html  # 100 is 24 points from the median 76
    assert "Calibration-adjusted" not in html
    assert 'name="score"' in html
    assert 'value="82.00"' in html  # the form starts from the panel score


def test_names_are_shown_when_the_round_reveals_them(client, consensus_panel):
    rnd = consensus_panel.application.round
    rnd.reveal_reviewer_names = True
    rnd.save()
    client.force_login(consensus_panel.chair.user)
    html = client.get(reverse("panels:consensus", args=[consensus_panel.application.pk])).content
    assert consensus_panel.assignments[0].expert.user.name in html.decode()


def test_officer_sees_names_and_calibration_but_no_form(client, consensus_panel, officer):
    client.force_login(officer)
    html = client.get(
        reverse("panels:consensus", args=[consensus_panel.application.pk])
    ).content.decode()
    assert consensus_panel.assignments[0].expert.user.name in html
    assert "Calibration-adjusted figure (officers only)" in html
    assert 'name="score"' not in html
    log = AccessLog.objects.get(action="review:view_panel")
    assert (log.user, log.application) == (officer, consensus_panel.application)


def test_consensus_page_is_404_for_others(client, consensus_panel):
    url = reverse("panels:consensus", args=[consensus_panel.application.pk])
    member = consensus_panel.assignments[0].expert.user
    other_chair = make_panel().chair.user
    applicant = consensus_panel.application.created_by
    for user in (member, other_chair, applicant, ExpertProfileFactory().user):
        client.force_login(user)
        assert client.get(url).status_code == 404
        assert client.post(url, {"score": "70"}).status_code == 404


def test_chair_cannot_open_the_page_while_scores_are_coming_in(client):
    panel = make_panel()
    client.force_login(panel.chair.user)
    assert client.get(reverse("panels:consensus", args=[panel.application.pk])).status_code == 404


def test_consensus_form_keeps_input_on_error(client, consensus_panel):
    client.force_login(consensus_panel.chair.user)
    url = reverse("panels:consensus", args=[consensus_panel.application.pk])
    response = client.post(
        url, {"score": "eighty", "recommended": "yes", "opinion": "Kept opinion"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_score_error">Enter the consensus score as a number from 0 to 100.' in html
    assert "Kept opinion" in html
    assert Consensus.objects.count() == 0


def test_consensus_form_records_and_redirects(client, consensus_panel):
    client.force_login(consensus_panel.chair.user)
    url = reverse("panels:consensus", args=[consensus_panel.application.pk])
    response = client.post(
        url,
        {
            "score": "81.25",
            "recommended": "no",
            "opinion": "Not yet ready.",
            "meeting_kind": "interview",
            "meeting_date": "2026-03-15",
        },
    )
    assert response.status_code == 302
    consensus = Consensus.objects.get()
    assert (consensus.score, consensus.recommended, consensus.meeting_kind) == (
        D("81.25"),
        False,
        "interview",
    )
    assert Application.objects.get(pk=consensus_panel.application.pk).state == (S.AWAITING_DECISION)
    # After the decision moved on, the chair can still read it, without a form.
    html = client.get(url).content.decode()
    assert "Not yet ready." in html and 'name="score"' not in html


def test_meeting_kind_needs_a_date(client, consensus_panel):
    client.force_login(consensus_panel.chair.user)
    url = reverse("panels:consensus", args=[consensus_panel.application.pk])
    response = client.post(
        url,
        {"score": "80", "recommended": "yes", "opinion": "Fine", "meeting_kind": "interview"},
    )
    assert response.status_code == 400
    assert "Give the date of the interview or site visit." in response.content.decode()


def test_consensus_page_query_count_does_not_grow_with_the_panel(client, officer):
    def count(n):
        panel = make_panel(state=S.CONSENSUS, n_experts=n)
        for a in panel.assignments:
            submitted_review(a, [70, 70, 70, 70])
        client.force_login(officer)
        with CaptureQueriesContext(connection) as ctx:
            client.get(reverse("panels:consensus", args=[panel.application.pk]))
        return len(ctx.captured_queries)

    assert count(1) == count(7)


# --- re-review after an objection -------------------------------------------------------------


def test_rereview_panel_is_scored_and_aggregated_on_its_own(consensus_panel):

    record(consensus_panel, recommended=False, score=D("60"))
    app = consensus_panel.application
    Application.objects.filter(pk=app.pk).update(state=S.IN_REVIEW)
    app.refresh_from_db()
    new = [
        AssignmentFactory(
            application=app,
            expert=ExpertProfileFactory(subfields=[app.subfield]),
            is_rereview=True,
            pledge_signed_at=app.created_at,
        )
        for _ in range(3)
    ]
    criteria = list(app.round.criteria.all())
    gates = {g.code: GateAnswer(passed=True) for g in app.round.gates.all()}

    def submit(assignment, score):
        return review_save(
            assignment=assignment,
            by=assignment.expert.user,
            gate_answers=gates,
            answers={c.pk: CriterionAnswer(score=score, comment="ok") for c in criteria},
            overall_opinion="Re-reviewed.",
            submit=True,
        )

    # An original evaluator cannot change the old review during the re-review.
    with pytest.raises(ReviewClosed):
        submit(consensus_panel.assignments[0], 10)
    submit(new[0], 90)
    submit(new[1], 80)
    app.refresh_from_db()
    assert app.state == S.IN_REVIEW
    submit(new[2], 70)
    app.refresh_from_db()
    assert app.state == S.CONSENSUS
    view = panel_view(application=app)
    assert [r.total for r in view.rows] == [D("90.00"), D("80.00"), D("70.00")]
    assert view.consensus is None  # the first cycle's consensus is not this one's
    consensus = record(consensus_panel, score=D("80"))
    assert consensus.is_rereview is True
    assert panel_view(application=app).consensus == consensus
