import threading
from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.urls import reverse

from applications.enums import ApplicationState as S
from audit.models import AuditEvent
from notifications.enums import Event
from notifications.models import Notification
from panels.enums import ReviewState
from panels.models import CriterionScore, PanelClosure, Review
from panels.services import (
    CriterionAnswer,
    GateAnswer,
    ReviewClosed,
    panel_close,
    review_save,
)
from tests.factories.reviews import make_panel, submitted_review

pytestmark = pytest.mark.django_db


@pytest.fixture
def panel(db):
    """An application in review with 3 accepted experts who signed the pledge."""
    return make_panel()


@pytest.fixture
def assignment(panel):
    return panel.assignments[0]


def answers_for(application, scores, comment="ok"):
    criteria = list(application.round.criteria.all())
    return {
        c.pk: CriterionAnswer(score=s, comment=comment if s is not None else "")
        for c, s in zip(criteria, scores, strict=True)
    }


def all_pass(application):
    return {g.code: GateAnswer(passed=True) for g in application.round.gates.all()}


def save(assignment, scores, *, submit=False, gates=None, opinion="Good.", by=None):
    application = assignment.application
    return review_save(
        assignment=assignment,
        by=by or assignment.expert.user,
        gate_answers=gates if gates is not None else all_pass(application),
        answers=answers_for(application, scores),
        overall_opinion=opinion,
        submit=submit,
    )


def post_data(application, scores, *, action="draft", gates="pass", opinion="Good."):
    data = {"action": action, "overall_opinion": opinion}
    for g in application.round.gates.all():
        data[f"gate_{g.code}"] = gates
        data[f"gate_{g.code}_comment"] = ""
    for c, s in zip(application.round.criteria.all(), scores, strict=True):
        data[f"score_{c.pk}"] = s
        data[f"comment_{c.pk}"] = f"comment {c.code}"
    return data


def test_draft_save_keeps_partial_scores_without_a_total(assignment):
    review = save(assignment, [80, None, 90, None])
    assert review.state == ReviewState.DRAFT
    assert review.weighted_total is None
    assert list(review.scores.order_by("criterion__order").values_list("score", flat=True)) == [
        80,
        None,
        90,
        None,
    ]
    assert AuditEvent.objects.filter(action__startswith="review:").count() == 0


def test_submit_stores_the_exact_weighted_total_and_audits(assignment):
    review = save(assignment, [80, 70, 90, 60], submit=True)
    assert (review.state, review.weighted_total) == (ReviewState.SUBMITTED, D("76.00"))
    event = AuditEvent.objects.get(action="review:submitted")
    assert (event.actor, event.application, event.data) == (
        assignment.expert.user,
        assignment.application,
        {"weighted_total": "76.00"},
    )


def test_submit_with_missing_scores_is_refused_and_writes_nothing(assignment):
    with pytest.raises(ValidationError) as exc:
        save(assignment, [80, None, 90, 60], submit=True, opinion="")
    criteria = list(assignment.application.round.criteria.all())
    assert exc.value.message_dict == {
        f"score_{criteria[1].pk}": ["Give a score from 0 to 100."],
        f"comment_{criteria[1].pk}": ["Write a comment for this criterion."],
        "overall_opinion": ["Write your overall opinion."],
    }
    assert Review.objects.count() == 0


def test_out_of_range_score_is_refused_even_for_a_draft(assignment):
    with pytest.raises(ValidationError) as exc:
        save(assignment, [101, None, None, None])
    criterion = assignment.application.round.criteria.first()
    assert exc.value.message_dict == {
        f"score_{criterion.pk}": ["The score must be between 0 and 100."]
    }


def test_failed_gate_without_a_comment_is_refused_on_submit(assignment):
    gates = all_pass(assignment.application)
    gates["fit"] = GateAnswer(passed=False, comment=" ")
    with pytest.raises(ValidationError) as exc:
        save(assignment, [80, 70, 90, 60], submit=True, gates=gates)
    assert exc.value.message_dict == {
        "gate_fit_comment": ["Explain why the application fails this gate."]
    }
    gates["fit"] = GateAnswer(passed=False, comment="Outside the field.")
    review = save(assignment, [80, 70, 90, 60], submit=True, gates=gates)
    assert review.gates["fit"] == {"passed": False, "comment": "Outside the field."}


def test_saving_twice_keeps_one_review_and_one_score_per_criterion(assignment):
    save(assignment, [10, 20, None, None])
    save(assignment, [80, 70, 90, 60])
    assert Review.objects.filter(assignment=assignment).count() == 1
    assert CriterionScore.objects.filter(review__assignment=assignment).count() == 4


def test_edit_after_submission_is_audited_with_old_and_new_values(assignment):
    save(assignment, [80, 70, 90, 60], submit=True)
    review = save(assignment, [85, 70, 90, 60], submit=True, opinion="Better.")
    assert review.weighted_total == D("77.50")
    event = AuditEvent.objects.get(action="review:changed_after_submission")
    criterion = assignment.application.round.criteria.first()
    assert event.data == {
        "overall_opinion": {"old": "Good.", "new": "Better."},
        f"criterion:{criterion.pk}": {"old": [80, "ok"], "new": [85, "ok"]},
    }


def test_a_submitted_review_cannot_be_emptied_by_a_draft_save(assignment):
    save(assignment, [80, 70, 90, 60], submit=True)
    with pytest.raises(ValidationError):
        save(assignment, [None, 70, 90, 60], submit=False)
    assert Review.objects.get().weighted_total == D("76.00")


def test_saving_without_the_pledge_is_denied(panel):
    assignment = panel.assignments[0]
    assignment.pledge_signed_at = None
    assignment.save()
    with pytest.raises(PermissionDenied):
        save(assignment, [80, 70, 90, 60])


def test_another_expert_cannot_save_this_review(panel):
    with pytest.raises(PermissionDenied):
        save(panel.assignments[0], [80, 70, 90, 60], by=panel.assignments[1].expert.user)
    assert Review.objects.count() == 0


def test_closed_panel_refuses_changes(panel, officer):
    a = panel.assignments[0]
    save(a, [80, 70, 90, 60], submit=True)
    panel_close(round=panel.application.round, committee=panel.committee, by=officer)
    with pytest.raises(ReviewClosed):
        save(a, [90, 70, 90, 60], submit=True)
    assert Review.objects.get().weighted_total == D("76.00")
    assert AuditEvent.objects.filter(action="panel:closed").count() == 1


def test_panel_close_by_an_expert_is_denied(panel):
    with pytest.raises(PermissionDenied):
        panel_close(round=panel.application.round, by=panel.assignments[0].expert.user)
    assert PanelClosure.objects.count() == 0


def test_no_changes_once_the_application_left_review(panel):
    a = panel.assignments[0]
    type(panel.application).objects.filter(pk=panel.application.pk).update(state=S.CONSENSUS)
    with pytest.raises(ReviewClosed):
        save(a, [80, 70, 90, 60])


def test_last_submission_opens_the_consensus_and_notifies_the_chair(panel):
    a, b, c = panel.assignments
    save(a, [80, 70, 90, 60], submit=True)
    save(b, [70, 70, 70, 70], submit=True)
    panel.application.refresh_from_db()
    assert panel.application.state == S.IN_REVIEW
    save(c, [60, 60, 60, 60], submit=True)
    panel.application.refresh_from_db()
    assert panel.application.state == S.CONSENSUS
    event = AuditEvent.objects.get(action="transition:open_consensus")
    assert (event.actor, event.actor_role, event.from_state, event.to_state) == (
        None,
        "system",
        S.IN_REVIEW,
        S.CONSENSUS,
    )
    note = Notification.objects.get(event=Event.CONSENSUS_NEEDED)
    assert note.recipient == panel.chair.user


def test_short_panel_does_not_open_the_consensus(panel):
    # One slot is open (e.g. a decline not yet replaced): three reviews are needed.
    a, b, c = panel.assignments
    c.state = "declined"
    c.save()
    save(a, [80, 70, 90, 60], submit=True)
    save(b, [70, 70, 70, 70], submit=True)
    panel.application.refresh_from_db()
    assert panel.application.state == S.IN_REVIEW


# --- the form in the browser ---------------------------------------------------------------


def test_form_shows_the_rubric_with_guidance(client, assignment):
    application = assignment.application
    gate = application.round.gates.first()
    gate.guidance = "Does the product belong to this sub-field?"
    gate.save()
    client.force_login(assignment.expert.user)
    response = client.get(reverse("panels:review_score", args=[application.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Does the product belong to this sub-field?" in html
    criterion = application.round.criteria.first()
    assert f'<label class="form-label" for="id_score_{criterion.pk}">' in html


def test_form_refuses_a_non_numeric_score_and_keeps_what_was_typed(client, assignment):
    application = assignment.application
    client.force_login(assignment.expert.user)
    data = post_data(application, ["eighty", 70, 90, 60], opinion="Typed opinion")
    response = client.post(reverse("panels:review_score", args=[application.pk]), data)
    assert response.status_code == 400
    html = response.content.decode()
    criterion = application.round.criteria.first()
    assert f'id="id_score_{criterion.pk}_error">Enter a whole number from 0 to 100.' in html
    assert 'value="eighty"' in html
    assert "Typed opinion" in html
    assert Review.objects.count() == 0


def test_form_refuses_missing_scores_on_submit(client, assignment):
    application = assignment.application
    client.force_login(assignment.expert.user)
    data = post_data(application, [80, "", 90, 60], action="submit")
    response = client.post(reverse("panels:review_score", args=[application.pk]), data)
    assert response.status_code == 400
    criterion = list(application.round.criteria.all())[1]
    assert f'id="id_score_{criterion.pk}_error">Give a score from 0 to 100.' in (
        response.content.decode()
    )
    assert Review.objects.count() == 0


def test_form_saves_a_draft_then_submits(client, assignment):
    application = assignment.application
    client.force_login(assignment.expert.user)
    url = reverse("panels:review_score", args=[application.pk])
    response = client.post(url, post_data(application, [80, "", "", ""]))
    assert response.status_code == 302
    assert Review.objects.get().state == ReviewState.DRAFT
    response = client.post(url, post_data(application, [80, 70, 90, 60], action="submit"))
    assert response.status_code == 302
    assert response.url == reverse("panels:dashboard")
    review = Review.objects.get()
    assert (review.state, review.weighted_total) == (ReviewState.SUBMITTED, D("76.00"))


def test_form_of_a_closed_panel_does_not_save(client, panel, officer):
    a = panel.assignments[0]
    submitted_review(a, [80, 70, 90, 60])
    panel_close(round=panel.application.round, by=officer)
    client.force_login(a.expert.user)
    url = reverse("panels:review_score", args=[panel.application.pk])
    assert "fieldset disabled" in client.get(url).content.decode()
    response = client.post(url, post_data(panel.application, [10, 10, 10, 10], action="submit"))
    assert response.status_code == 302
    assert Review.objects.get().weighted_total == D("76.00")


# --- two saves at once ----------------------------------------------------------------------


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
def test_concurrent_saves_make_one_review_on_postgresql(panel):
    if connection.vendor != "postgresql":
        pytest.fail("This test needs PostgreSQL (DATABASE_URL).")
    assignment = panel.assignments[0]
    barrier = threading.Barrier(2)
    errors = []

    def worker(scores):
        from django.db import connection as conn

        try:
            barrier.wait()
            save(assignment, scores)
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)
        finally:
            conn.close()

    threads = [threading.Thread(target=worker, args=(s,)) for s in ([10] * 4, [20] * 4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert Review.objects.filter(assignment=assignment).count() == 1
    assert CriterionScore.objects.filter(review__assignment=assignment).count() == 4
    assert set(CriterionScore.objects.values_list("score", flat=True)) in ({10}, {20})
