"""Demo data of reviewer assignment (a step of seed_demo, before panels.demo.seed_reviews).

Works on whatever the earlier steps made: rounds, committees, experts and applications in
review or later. It runs the real assignment engine and services, so the demo shows what
the system does:

- applications past expert review get their experts as accepted assignments (with the
  pledge signed), so the scoring step can add reviews;
- applications in review get a confirmed assignment run per committee, the demo expert and
  a committee chair swapped in by an officer where they fit (audited, with a reason), a
  few invitations accepted, some pending, one declined (its slot re-run);
- one committee's run is left as a proposal for the officer to inspect;
- one applicant request naming an unsuitable expert waits for an officer's decision, and
  one expert has declared a conflict.

Idempotent: a second run finds its demo runs and changes nothing."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count
from django.utils import timezone

from accounts.enums import Role
from accounts.models import User
from applications.enums import ApplicationState
from applications.models import Application

from .affinity import affinity_matrix
from .assignment import execute_run
from .conflicts import conflict_map
from .enums import ACTIVE_ASSIGNMENT_STATES, AssignmentRunState, AssignmentState
from .models import (
    Assignment,
    AssignmentRun,
    Committee,
    ConflictDeclaration,
    ExpertProfile,
    UnsuitableExpertRequest,
)

DEMO_REASON = "demo"
AFTER_REVIEW = (
    ApplicationState.CONSENSUS,
    ApplicationState.SUITABILITY_REVIEW,
    ApplicationState.AWAITING_DECISION,
    ApplicationState.CERTIFIED,
    ApplicationState.REJECTED,
    ApplicationState.OBJECTION,
)


def _demo_user(ctx, role_word: str):
    for role, email in ctx.objects.get("demo_accounts", []):
        if role_word in str(role).lower():
            user = User.objects.filter(email=email).first()
            if user is not None:
                return user
    return None


def _officer(ctx):
    user = _demo_user(ctx, "officer")
    if user is None:
        user = User.objects.filter(groups__name=Role.OFFICER).order_by("pk").first()
    return user


def _text(app: Application) -> str:
    parts = [app.product_name, app.product_name_en, app.product_description]
    for p in app.rd_projects.all():
        parts += [p.title, p.title_en]
    return " ".join(parts)


def _staff_finished(apps: list[Application]) -> int:
    """Accepted assignments, best unconflicted matches, for applications past review."""
    made = 0
    conflicts = conflict_map(application_ids=[a.pk for a in apps])
    load: dict[int, int] = dict(
        Assignment.objects.filter(state__in=ACTIVE_ASSIGNMENT_STATES)
        .values("expert_id")
        .annotate(n=Count("pk"))
        .values_list("expert_id", "n")
    )
    for app in apps:
        k = app.round.reviewers_per_application
        if app.assignments.filter(state__in=ACTIVE_ASSIGNMENT_STATES).exists():
            continue
        pool = [
            e
            for e in ExpertProfile.objects.filter(subfields=app.subfield_id, is_active=True)
            if (e.pk, app.pk) not in conflicts and load.get(e.pk, 0) < e.max_load
        ]
        if not pool:
            continue
        scores = affinity_matrix([e.keywords for e in pool], [_text(app)])[:, 0]
        best = sorted(range(len(pool)), key=lambda i: (-scores[i], pool[i].pk))[:k]
        signed = app.submitted_at or timezone.now() - dt.timedelta(days=20)
        for i in best:
            e = pool[i]
            Assignment.objects.create(
                application=app,
                expert=e,
                state=AssignmentState.ACCEPTED,
                affinity=round(float(scores[i]), 6),
                invited_at=signed,
                respond_by=signed + dt.timedelta(days=5),
                responded_at=signed + dt.timedelta(days=1),
                pledge_signed_at=signed + dt.timedelta(days=1),
                is_rereview=False,
            )
            load[e.pk] = load.get(e.pk, 0) + 1
            made += 1
    return made


def _swap_in(profile, officer, *, limit: int, note: str) -> int:
    """Give `profile` up to `limit` invited places by an officer's override (audited)."""
    from .services import assignment_override_swap

    if profile is None or officer is None:
        return 0
    done = 0
    candidates = (
        Assignment.objects.filter(
            state=AssignmentState.INVITED,
            application__state=ApplicationState.IN_REVIEW,
            application__subfield__in=profile.subfields.all(),
        )
        .exclude(expert=profile)
        .exclude(application__assignments__expert=profile)
        .select_related("application")
        .order_by("affinity", "pk")
    )
    for a in candidates:
        if done >= limit:
            break
        try:
            assignment_override_swap(assignment=a, expert=profile, by=officer, reason=note)
        except Exception:  # noqa: BLE001, S112 - a refused swap (conflict, load) is skipped
            continue
        done += 1
    return done


def seed_assignments(ctx) -> None:
    """Assignments, invitations, one open proposal and the conflict records of the demo."""
    from .services import (
        assignment_run_confirm,
        conflict_declare,
        invitation_accept,
        invitation_decline,
    )

    if AssignmentRun.objects.filter(reason=DEMO_REASON).exists():
        ctx.say("Assignments: already seeded.")
        return
    officer = _officer(ctx)

    finished = list(
        Application.objects.filter(state__in=AFTER_REVIEW, subfield__isnull=False)
        .select_related("round")
        .prefetch_related("rd_projects")
        .order_by("pk")
    )
    accepted_later = _staff_finished(finished)

    in_review = Application.objects.filter(state=ApplicationState.IN_REVIEW)
    pairs = (
        in_review.filter(subfield__committee__isnull=False)
        .values_list("round_id", "subfield__committee")
        .distinct()
        .order_by("round_id", "subfield__committee")
    )
    expert_profile = getattr(_demo_user(ctx, "expert"), "expert_profile", None)
    chair_user = _demo_user(ctx, "chair")
    chair_profile = getattr(chair_user, "expert_profile", None)
    keep_subfields = set()
    for p in (expert_profile, chair_profile):
        if p is not None:
            keep_subfields |= set(p.subfields.values_list("pk", flat=True))

    runs = []
    for round_id, committee_id in pairs:
        run = AssignmentRun.objects.create(
            round_id=round_id, committee_id=committee_id, launched_by=officer, reason=DEMO_REASON
        )
        runs.append(execute_run(run_id=run.pk))
    # Leave one committee's proposal open for the officer (not the demo expert's or chair's).
    open_run = next(
        (
            r
            for r in reversed(runs)
            if r.state == AssignmentRunState.PROPOSED
            and r.committee.subfield_id not in keep_subfields
            and r.assignments.exists()
        ),
        None,
    )
    invited = 0
    for run in runs:
        if run is not open_run and run.state == AssignmentRunState.PROPOSED:
            invited += assignment_run_confirm(run=run, by=officer)

    swapped = _swap_in(
        expert_profile, officer, limit=3, note="Demo: expert with matching field experience"
    )
    swapped += _swap_in(chair_profile, officer, limit=1, note="Demo: the chair reviews as well")

    # Some answers: most experts accept, the demo expert leaves one pending, one declines.
    open_invitations = list(
        Assignment.objects.filter(state=AssignmentState.INVITED)
        .select_related("expert__user")
        .order_by("pk")
    )
    demo_ids = {p.pk for p in (expert_profile, chair_profile) if p is not None}
    declined = False
    pending_left = 0
    demo_seen = 0
    for i, a in enumerate(open_invitations):
        if a.expert_id in demo_ids:
            demo_seen += 1
            if demo_seen == 1:
                invitation_accept(assignment=a, by=a.expert.user)
            continue
        if not declined and i % 5 == 1:
            invitation_decline(
                assignment=a,
                by=a.expert.user,
                reason="해당 기간 해외 학회 참석으로 평가가 어렵습니다.",
            )
            declined = True
        elif i % 4 == 3:
            pending_left += 1
        else:
            invitation_accept(assignment=a, by=a.expert.user)

    # One declared conflict and one applicant request waiting for an officer.
    declared = (
        Assignment.objects.filter(
            state=AssignmentState.ACCEPTED, application__state=ApplicationState.IN_REVIEW
        )
        .exclude(expert_id__in=demo_ids)
        .select_related("expert__user")
        .order_by("-pk")
        .first()
    )
    if declared is not None and not ConflictDeclaration.objects.exists():
        conflict_declare(
            assignment=declared,
            by=declared.expert.user,
            reason="신청기업 대표와 최근 3년 내 공동연구를 수행했습니다.",
            is_recusal=False,
        )
    target = in_review.order_by("pk").first()
    if target is not None and not UnsuitableExpertRequest.objects.exists():
        member = (
            ExpertProfile.objects.filter(subfields=target.subfield_id)
            .exclude(pk__in=demo_ids)
            .select_related("user")
            .order_by("pk")
            .first()
        )
        if member is not None:
            UnsuitableExpertRequest.objects.create(
                application=target,
                expert_name=member.user.name,
                expert_organisation=member.organisation_name,
                reason="해당 위원은 경쟁 제품을 개발한 기업의 자문위원입니다.",
            )
    committees = Committee.objects.count()
    ctx.say(
        f"Assignments: {accepted_later} accepted for finished reviews, {invited} invitations "
        f"in {len(runs)} committee run(s) of {committees} committees, {swapped} override(s), "
        f"{pending_left} left pending, one proposal open: {bool(open_run)}."
    )
