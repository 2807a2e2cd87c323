"""Two people acting on the same thing at the same moment, on PostgreSQL, with threads that
each hold their own database connection. Run with `-s` to see the figures."""

import threading

import pytest
from django.db import connection
from django.db.models import Count
from django.utils import translation
from django_fsm import ConcurrentTransition, TransitionNotAllowed

from accounts.enums import Role
from applications import services
from applications.enums import ApplicationState
from applications.models import Application
from applications.services import refusal_message
from audit.models import AuditEvent
from panels.models import CriterionScore, Review
from panels.services import CriterionAnswer, GateAnswer, review_save
from tests.factories import UserFactory
from tests.factories.applicant import eligible_application
from tests.factories.reviews import make_panel

from .outbox_kit import require_postgresql

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

ROUNDS = 20
CONCURRENT_MESSAGE = (
    "Someone else changed this application at the same moment. "
    "Reload the page to see its current status."
)


def _race(*actions):
    """Run the actions at the same moment, each in its own thread and connection."""
    barrier = threading.Barrier(len(actions))
    outcomes: list = [None] * len(actions)

    def run(i, action):
        # A thread starts in the default language (Korean); the assertions quote English.
        translation.activate("en")
        try:
            prepared = action.prepare()
            barrier.wait(timeout=10)
            outcomes[i] = ("won", action.go(prepared))
        except (ConcurrentTransition, TransitionNotAllowed) as exc:
            # what the officer reads: the admin transition buttons' own sentences
            outcomes[i] = (type(exc).__name__, refusal_message(exc))
        except Exception as exc:  # noqa: BLE001 - reported in the assertion below
            outcomes[i] = ("error", repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, a)) for i, a in enumerate(actions)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return outcomes


class Decide:
    def __init__(self, pk, officer, service, **kwargs):
        self.pk, self.officer, self.service, self.kwargs = pk, officer, service, kwargs

    def prepare(self):
        return Application.objects.get(pk=self.pk)  # both officers read the same state

    def go(self, application):
        return self.service(application=application, by=self.officer, **self.kwargs)


def test_two_officers_deciding_at_once_one_wins_with_one_history_row():
    require_postgresql()
    first = UserFactory(roles=[Role.OFFICER], is_staff=True)
    second = UserFactory(roles=[Role.OFFICER], is_staff=True)
    tally = {"won": 0, "ConcurrentTransition": 0, "TransitionNotAllowed": 0}
    for _round in range(ROUNDS):
        application = eligible_application()
        services.application_submit(application=application, by=application.created_by)
        outcomes = _race(
            Decide(application.pk, first, services.application_mark_eligible),
            Decide(
                application.pk,
                second,
                services.application_mark_ineligible,
                reason="The linked project ended more than five years ago.",
            ),
        )
        kinds = sorted(kind for kind, _ in outcomes)
        assert kinds[1] == "won" and kinds[0] in ("ConcurrentTransition", "TransitionNotAllowed"), (
            outcomes
        )
        for kind, message in outcomes:
            tally[kind] += 1
            if kind == "ConcurrentTransition":
                assert message == CONCURRENT_MESSAGE
            elif kind == "TransitionNotAllowed":
                assert message.startswith("This action is not possible while the application is")
        decisions = AuditEvent.objects.filter(
            application=application,
            action__in=["transition:mark_eligible", "transition:mark_ineligible"],
        )
        assert decisions.count() == 1
        application.refresh_from_db()
        assert application.state == decisions.get().to_state
        assert application.state in (ApplicationState.IN_REVIEW, ApplicationState.INELIGIBLE)
    print(
        f"\n[concurrency c] two officers at once: rounds={ROUNDS} winners={tally['won']} "
        f"refused-ConcurrentTransition={tally['ConcurrentTransition']} "
        f"refused-TransitionNotAllowed={tally['TransitionNotAllowed']} "
        f"transition-records-per-round=1"
    )
    assert tally["won"] == ROUNDS


class SaveScore:
    """The expert's own score save, through the scoring service (panels.services.review_save)."""

    def __init__(self, assignment, score):
        self.assignment, self.score = assignment, score

    def prepare(self):
        return None

    def go(self, _):
        application = self.assignment.application
        return review_save(
            assignment=self.assignment,
            by=self.assignment.expert.user,
            gate_answers={g.code: GateAnswer(passed=True) for g in application.round.gates.all()},
            answers={
                c.pk: CriterionAnswer(score=self.score, comment="ok")
                for c in application.round.criteria.all()
            },
            overall_opinion="Sound.",
        ).pk


def test_two_saves_of_one_experts_score_at_once_leave_one_row():
    require_postgresql()
    rows_per_criterion = set()
    for i in range(ROUNDS):
        assignment = make_panel().assignments[0]
        first, second = 70 + i % 10, 80 + i % 10
        outcomes = _race(SaveScore(assignment, first), SaveScore(assignment, second))
        assert [kind for kind, _ in outcomes] == ["won", "won"], outcomes
        assert Review.objects.filter(assignment=assignment).count() == 1
        scores = CriterionScore.objects.filter(review__assignment=assignment)
        criteria = assignment.application.round.criteria.count()
        per_criterion = dict(
            scores.values("criterion").annotate(n=Count("id")).values_list("criterion", "n")
        )
        assert len(per_criterion) == criteria
        assert set(per_criterion.values()) == {1}
        # the later save wins as a whole: no mixture of the two
        assert set(scores.values_list("score", flat=True)) in ({first}, {second})
        rows_per_criterion |= set(per_criterion.values())
    print(
        f"\n[concurrency d] two saves of one expert's score at once (review_save): "
        f"rounds={ROUNDS} reviews-per-assignment=1 score-rows-per-criterion={rows_per_criterion}"
    )
