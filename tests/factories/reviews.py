"""Factories for expert review: assignments, reviews and scores, and a ready-made panel."""

import datetime as dt
import itertools
from dataclasses import dataclass

import factory
from django.utils import timezone

from accounts.enums import Role
from applications.enums import ApplicationState
from panels.enums import AssignmentState, ReviewState
from panels.models import Assignment, Committee, CriterionScore, ExpertProfile, Review

from . import ApplicationFactory, ExpertProfileFactory, RoundFactory, SubFieldFactory, UserFactory

_references = itertools.count(1)


class AssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assignment

    application = factory.SubFactory(ApplicationFactory, state=ApplicationState.IN_REVIEW)
    expert = factory.SubFactory(ExpertProfileFactory)
    state = AssignmentState.ACCEPTED
    invited_at = factory.LazyFunction(timezone.now)
    pledge_signed_at = None


class ReviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Review

    assignment = factory.SubFactory(AssignmentFactory)
    state = ReviewState.DRAFT


def submitted_review(assignment: Assignment, scores: list[int], **extra) -> Review:
    """A submitted review with these scores, in criterion order, and its weighted total."""
    from panels import scoring

    criteria = list(assignment.application.round.criteria.all())
    total = scoring.weighted_total(
        scoring.CriterionValue(score=s, max_score=c.max_score, weight=c.weight)
        for s, c in zip(scores, criteria, strict=True)
    )
    gates = assignment.application.round.gates.all()
    review = Review.objects.create(
        assignment=assignment,
        state=ReviewState.SUBMITTED,
        weighted_total=total,
        submitted_at=extra.pop("submitted_at", timezone.now()),
        gates={g.code: {"passed": True, "comment": ""} for g in gates},
        overall_opinion=extra.pop("overall_opinion", "Sound and useful."),
    )
    for s, c in zip(scores, criteria, strict=True):
        CriterionScore.objects.create(review=review, criterion=c, score=s, comment=f"{c.code} {s}")
    return review


@dataclass
class Panel:
    application: object
    committee: Committee
    chair: ExpertProfile
    assignments: list[Assignment]

    @property
    def experts(self) -> list[ExpertProfile]:
        return [a.expert for a in self.assignments]


def make_panel(
    *,
    n_experts: int = 3,
    state: str = ApplicationState.IN_REVIEW,
    pledge: bool = True,
    round=None,
    subfield=None,
    review_deadline: dt.datetime | None = None,
) -> Panel:
    """An application in review with a committee, its chair and n accepted experts."""
    subfield = subfield or SubFieldFactory()
    committee, _ = Committee.objects.get_or_create(subfield=subfield)
    if committee.chair is None:
        committee.chair = ExpertProfileFactory(
            user=UserFactory(roles=[Role.EXPERT]), subfields=[subfield]
        )
        committee.save()
    if round is None:
        round = RoundFactory(
            reviewers_per_application=n_experts,
            review_deadline=review_deadline or timezone.now() + dt.timedelta(days=10),
        )
    application = ApplicationFactory(
        round=round,
        subfield=subfield,
        state=state,
        reference=f"PPIR-2026-{next(_references):05d}",
    )
    assignments = [
        AssignmentFactory(
            application=application,
            expert=ExpertProfileFactory(subfields=[subfield]),
            pledge_signed_at=timezone.now() if pledge else None,
        )
        for _ in range(n_experts)
    ]
    return Panel(
        application=application, committee=committee, chair=committee.chair, assignments=assignments
    )
