"""Reads for expert review, with the joins each page needs so query counts stay flat."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from applications.enums import ApplicationState
from applications.models import Application, ApplicationDocument

from . import scoring
from .enums import REVIEWING_ASSIGNMENT_STATES, ReviewState
from .models import (
    Assignment,
    ConflictDeclaration,
    Consensus,
    CriterionScore,
    PanelClosure,
    Review,
)

# ---------------------------------------------------------------------------------------
# Scoring and consensus (review-scoring work)
# ---------------------------------------------------------------------------------------


def reviewing_assignments(*, user) -> QuerySet[Assignment]:
    """The user's invited or accepted assignments, without any the expert is conflicted on
    (a conflict declaration or recusal for the same application)."""
    declared = ConflictDeclaration.objects.filter(
        expert=OuterRef("expert"), application=OuterRef("application")
    )
    return Assignment.objects.filter(
        expert__user=user, state__in=REVIEWING_ASSIGNMENT_STATES
    ).exclude(Exists(declared))


def days_left(deadline: dt.datetime | None, *, today: dt.date | None = None) -> int | None:
    """Whole days from today to the deadline's date, both in Asia/Seoul; negative if late."""
    if deadline is None:
        return None
    today = today or timezone.localdate()
    return (timezone.localdate(deadline) - today).days


def dashboard_assignments(*, user) -> list[Assignment]:
    """The expert's assignments for the dashboard; each carries `days_left` and `status`."""
    rows = list(
        reviewing_assignments(user=user)
        .select_related("application__subfield", "application__round", "review")
        .order_by("application__round__review_deadline", "application__reference", "pk")
    )
    today = timezone.localdate()
    for a in rows:
        a.days_left = days_left(a.application.round.review_deadline, today=today)
        a.days_overdue = -a.days_left if a.days_left is not None and a.days_left < 0 else 0
        review = getattr(a, "review", None)
        a.review_status = review.state if review else "not_started"
    return rows


def panels_awaiting_consensus(*, user) -> QuerySet[Application]:
    """Applications waiting for the consensus of a committee the user chairs."""
    return (
        Application.objects.filter(
            state=ApplicationState.CONSENSUS, subfield__committee__chair__user=user
        )
        .select_related("subfield", "round")
        .order_by("reference", "pk")
    )


def panels_in_consensus() -> QuerySet[Application]:
    """Every application waiting for its panel's consensus, for programme staff."""
    return (
        Application.objects.filter(state=ApplicationState.CONSENSUS)
        .select_related("subfield", "round")
        .order_by("subfield__number", "reference", "pk")
    )


def panel_closures() -> QuerySet[PanelClosure]:
    return PanelClosure.objects.select_related(
        "round", "committee__subfield", "closed_by"
    ).order_by("-closed_at")


def assignment_for_expert(*, user, application_pk: int) -> Assignment:
    """The user's assignment for this application, or Http404 (not assigned, conflicted,
    declined or recused all look the same from outside)."""
    return get_object_or_404(
        reviewing_assignments(user=user).select_related(
            "application__round", "application__subfield", "expert__user"
        ),
        application_id=application_pk,
    )


def application_content(*, application_pk: int) -> Application:
    """An application with everything an expert reads after the pledge."""
    return (
        Application.objects.select_related("round", "subfield", "organisation")
        .prefetch_related(
            "rd_projects",
            Prefetch("documents", queryset=ApplicationDocument.objects.filter(is_current=True)),
        )
        .get(pk=application_pk)
    )


def review_of(*, assignment: Assignment) -> Review | None:
    return (
        Review.objects.filter(assignment=assignment)
        .prefetch_related(Prefetch("scores", queryset=CriterionScore.objects.all()))
        .first()
    )


# --- consensus page -----------------------------------------------------------------------


@dataclass
class ExpertRow:
    label: str
    name: str
    organisation: str
    total: Decimal | None
    flagged: bool
    submitted: bool
    scores: list[CriterionScore | None]
    gates: list[dict]
    opinion: str
    bias: Decimal | None = None
    adjusted: Decimal | None = None


@dataclass
class PanelView:
    application: Application
    criteria: list
    gates: list
    rows: list[ExpertRow]
    aggregate: scoring.PanelAggregate
    adjusted_score: Decimal | None
    consensus: Consensus | None
    all_submitted: bool
    criterion_means: list[Decimal | None] = field(default_factory=list)


def expert_label(index: int) -> str:
    """Expert A, B, ..., Z, then AA, AB, ... (a panel rarely has more than 15)."""
    letters = ""
    n = index
    while True:
        letters = chr(ord("A") + n % 26) + letters
        n = n // 26 - 1
        if n < 0:
            return letters


def current_panel(application: Application) -> QuerySet[Assignment]:
    """The invited or accepted assignments of the application's current review cycle: after
    an accepted objection, the re-review panel only (the original evaluators are excluded
    from the re-review, and their earlier scores must not mix with the new ones)."""
    active = Assignment.objects.filter(
        application=application, state__in=REVIEWING_ASSIGNMENT_STATES
    )
    if active.filter(is_rereview=True).exists():
        return active.filter(is_rereview=True)
    return active


def _panel_assignments(application: Application) -> list[Assignment]:
    return list(
        current_panel(application)
        .select_related("expert__user", "review")
        .prefetch_related(
            Prefetch(
                "review__scores",
                queryset=CriterionScore.objects.select_related("criterion").order_by(
                    "criterion_id"
                ),
            )
        )
        .order_by("pk")
    )


def biases_for(expert_ids) -> dict[int, Decimal]:
    """Calibration bias of these experts over every application they have scored (one
    query: all submitted totals on those applications)."""
    apps = Review.objects.filter(
        state=ReviewState.SUBMITTED, assignment__expert_id__in=list(expert_ids)
    ).values("assignment__application_id")
    rows = Review.objects.filter(
        state=ReviewState.SUBMITTED,
        weighted_total__isnull=False,
        assignment__application_id__in=apps,
    ).values_list("assignment__expert_id", "assignment__application_id", "weighted_total")
    return scoring.expert_biases(rows)


def panel_view(*, application: Application, with_calibration: bool = False) -> PanelView:
    """Scores, aggregation and flags of one application's panel, experts in a stable order."""
    rnd = application.round
    criteria = list(rnd.criteria.all())
    gates = list(rnd.gates.all())
    assignments = _panel_assignments(application)
    is_rereview = any(a.is_rereview for a in assignments)
    submitted = [
        a
        for a in assignments
        if getattr(a, "review", None) is not None
        and a.review.state == ReviewState.SUBMITTED
        and a.review.weighted_total is not None
    ]
    totals = [a.review.weighted_total for a in submitted]
    agg = scoring.aggregate(totals, trim_min=rnd.trim_min_scores, threshold=rnd.threshold)
    flags = dict(zip([a.pk for a in submitted], agg.flags, strict=True))
    biases = biases_for([a.expert_id for a in submitted]) if with_calibration else {}
    rows = []
    for i, a in enumerate(assignments):
        review = getattr(a, "review", None)
        by_criterion = {s.criterion_id: s for s in review.scores.all()} if review else {}
        is_submitted = a in submitted
        gate_rows = [
            {"gate": g, **((review.gates or {}).get(g.code) or {})} if review else {"gate": g}
            for g in gates
        ]
        bias = biases.get(a.expert_id) if with_calibration else None
        rows.append(
            ExpertRow(
                label=expert_label(i),
                name=a.expert.user.get_full_name(),
                organisation=a.expert.organisation_name,
                total=review.weighted_total if is_submitted else None,
                flagged=flags.get(a.pk, False),
                submitted=is_submitted,
                scores=[by_criterion.get(c.pk) if is_submitted else None for c in criteria],
                gates=gate_rows if is_submitted else [],
                opinion=review.overall_opinion if is_submitted else "",
                bias=bias,
                adjusted=(
                    review.weighted_total - bias if is_submitted and bias is not None else None
                ),
            )
        )
    adjusted = (
        scoring.adjusted_score([(a.expert_id, a.review.weighted_total) for a in submitted], biases)
        if with_calibration and submitted
        else None
    )
    criterion_means = [
        scoring.mean(
            [
                Decimal(r.scores[i].score)
                for r in rows
                if r.submitted and r.scores[i] is not None and r.scores[i].score is not None
            ]
        )
        for i in range(len(criteria))
    ]
    return PanelView(
        application=application,
        criteria=criteria,
        gates=gates,
        rows=rows,
        aggregate=agg,
        adjusted_score=adjusted,
        consensus=application.consensus_records.filter(is_rereview=is_rereview)
        .select_related("chair__user")
        .first(),
        all_submitted=bool(assignments) and len(submitted) == len(assignments),
        criterion_means=criterion_means,
    )


def consensus_application(*, pk: int) -> Application:
    return get_object_or_404(
        Application.objects.select_related("round", "subfield", "subfield__committee"), pk=pk
    )


# --- mileage ------------------------------------------------------------------------------


@dataclass
class ExpertMileage:
    expert_id: int
    name: str
    organisation: str
    assigned: int = 0
    submitted: int = 0
    on_time: int = 0
    overdue_now: int = 0
    days_late: list[int] = field(default_factory=list)
    on_time_rate: Decimal | None = None
    average_days_late: Decimal | None = None
    bias: Decimal | None = None


def expert_mileage() -> list[ExpertMileage]:
    """Each expert's timeliness and calibration (the 2025 "mileage").

    On-time rate: reviews submitted on or before the round's review deadline, as a
    percentage of submitted reviews with a deadline. Average days late: over those same
    reviews, the calendar days (Asia/Seoul) after the deadline, 0 when on time."""
    assignments = (
        Assignment.objects.filter(state__in=REVIEWING_ASSIGNMENT_STATES)
        .select_related("expert__user", "application__round", "review")
        .order_by("expert__user__name", "expert_id", "pk")
    )
    now = timezone.now()
    by_expert: dict[int, ExpertMileage] = {}
    totals = []
    for a in assignments:
        m = by_expert.get(a.expert_id)
        if m is None:
            m = by_expert[a.expert_id] = ExpertMileage(
                expert_id=a.expert_id,
                name=a.expert.user.get_full_name(),
                organisation=a.expert.organisation_name,
            )
        m.assigned += 1
        deadline = a.application.round.review_deadline
        review = getattr(a, "review", None)
        if review is not None and review.state == ReviewState.SUBMITTED:
            m.submitted += 1
            if review.weighted_total is not None:
                totals.append((a.expert_id, a.application_id, review.weighted_total))
            if deadline is not None and review.submitted_at is not None:
                late = max(
                    0,
                    (timezone.localdate(review.submitted_at) - timezone.localdate(deadline)).days,
                )
                m.days_late.append(late)
                if review.submitted_at <= deadline:
                    m.on_time += 1
        elif deadline is not None and deadline < now:
            m.overdue_now += 1
    biases = _all_biases(totals)
    for m in by_expert.values():
        if m.days_late:
            m.on_time_rate = scoring.mean([Decimal(m.on_time * 100) / len(m.days_late)])
            m.average_days_late = scoring.mean([Decimal(d) for d in m.days_late])
        m.bias = biases.get(m.expert_id)
    return list(by_expert.values())


def _all_biases(totals) -> dict:
    return scoring.expert_biases(totals)


# --- results for the applicant and PPS ------------------------------------------------------


def result_summary(*, application: Application) -> dict:
    """What the applicant and the procurement engineer may read of the review: average
    score per criterion, the experts' comments without names, the consensus, and the panel
    members (names and organisations) only once the decision is made."""
    view = panel_view(application=application)
    criteria = []
    for i, c in enumerate(view.criteria):
        comments = [
            r.scores[i].comment
            for r in view.rows
            if r.submitted and r.scores[i] is not None and r.scores[i].comment
        ]
        criteria.append(
            {
                "code": c.code,
                "label": c.display_label,
                "weight": c.weight,
                "max_score": c.max_score,
                "average": view.criterion_means[i],
                "comments": comments,
            }
        )
    consensus = view.consensus
    decided = application.decided_at is not None
    return {
        "criteria": criteria,
        "opinions": [r.opinion for r in view.rows if r.submitted and r.opinion],
        "panel_score": view.aggregate.panel_score,
        "consensus_score": consensus.score if consensus else None,
        "consensus_opinion": consensus.opinion if consensus else "",
        "recommended": consensus.recommended if consensus else None,
        "panel_members": (
            # Sorted by name so the order does not tie a name to the comments above.
            sorted(
                ({"name": r.name, "organisation": r.organisation} for r in view.rows),
                key=lambda m: (m["name"], m["organisation"]),
            )
            if decided
            else []
        ),
    }
