"""Demo data for this app; see applications/management/commands/seed_demo.py."""


def seed_committees(ctx) -> None:
    """Filled in by this app's demo work; must stay idempotent."""


# ---------------------------------------------------------------------------------------
# Scoring and consensus (review-scoring work)
# ---------------------------------------------------------------------------------------

DEMO_EXPERT_EMAIL = "expert@demo.ppir.kr"

CRITERION_COMMENTS = {
    "high": [
        "근거 자료가 충실하고 기존 제품 대비 개선 효과가 분명함.",
        "공공기관 실증 결과가 우수하며 성능 지표가 명확히 제시됨.",
        "핵심 기술의 독창성이 높고 특허로 뒷받침됨.",
    ],
    "mid": [
        "기술적 장점은 인정되나 실증 자료가 일부 부족함.",
        "효과는 기대되나 정량적 근거 보완이 필요함.",
        "적용 분야는 적절하나 유지보수 계획이 구체적이지 않음.",
    ],
    "low": [
        "기존 제품과의 차별성이 뚜렷하지 않음.",
        "성능 시험 결과가 제출되지 않아 판단이 어려움.",
        "공공 수요처와 활용 방안이 불분명함.",
    ],
}
OPINIONS = [
    "공공기관 현장 적용 가능성이 높고 조달 혁신 효과가 기대됨.",
    "핵심 기술의 완성도는 높으나 시장 확산 계획 보완이 필요함.",
    "실증 실적이 있어 신뢰할 수 있으나 가격 경쟁력 검토가 필요함.",
    "제품의 혁신성은 있으나 공공 수요처가 제한적임.",
    "시험성적서와 인증이 갖추어져 있어 즉시 도입이 가능한 수준임.",
]


def _panel_members(application, k, demo_expert, taken_ids):
    """Active members of the application's committee, the chair excluded (the chair leads
    the consensus), the demo expert first for its fields, conflicted experts never."""
    from .enums import REVIEWING_ASSIGNMENT_STATES
    from .models import ConflictDeclaration, ExpertProfile

    committee = getattr(application.subfield, "committee", None)
    chair_id = committee.chair_id if committee else None
    declared = ConflictDeclaration.objects.filter(application=application).values("expert_id")
    candidates = list(
        ExpertProfile.objects.filter(subfields=application.subfield_id, is_active=True)
        .exclude(pk__in=declared)
        .exclude(pk__in=taken_ids)
        .exclude(pk=chair_id)
        .order_by("pk")
    )
    demo_has_room = demo_expert is not None and (
        demo_expert.assignments.filter(state__in=REVIEWING_ASSIGNMENT_STATES).count()
        < demo_expert.max_load
    )
    head = []
    if demo_expert in candidates:
        candidates.remove(demo_expert)
        if demo_has_room:
            head = [demo_expert]
    # Rotate the rest of the pool by the application so panels differ.
    if candidates:
        shift = application.pk % len(candidates)
        candidates = candidates[shift:] + candidates[:shift]
    return (head + candidates)[:k]


def _write_review(assignment, *, rng, quality, submitted, when):
    from . import scoring
    from .enums import ReviewState
    from .models import CriterionScore, Review

    rnd = assignment.application.round
    criteria = list(rnd.criteria.all())
    gates = list(rnd.gates.all())
    review = Review.objects.create(
        assignment=assignment,
        state=ReviewState.SUBMITTED if submitted else ReviewState.DRAFT,
        gates={g.code: {"passed": True, "comment": ""} for g in gates},
        overall_opinion=rng.choice(OPINIONS) if submitted else "",
        submitted_at=when if submitted else None,
    )
    values = []
    for i, c in enumerate(criteria):
        if not submitted and i >= 2:
            # A draft: the expert has scored the first criteria only.
            CriterionScore.objects.create(review=review, criterion=c)
            continue
        pct = max(0, min(100, quality + rng.randint(-8, 8)))
        score = round(c.max_score * pct / 100)
        tone = "high" if pct >= 80 else "mid" if pct >= 60 else "low"
        CriterionScore.objects.create(
            review=review, criterion=c, score=score, comment=rng.choice(CRITERION_COMMENTS[tone])
        )
        values.append(scoring.CriterionValue(score=score, max_score=c.max_score, weight=c.weight))
    if submitted and len(values) == len(criteria):
        review.weighted_total = scoring.weighted_total(values)
        review.save(update_fields=["weighted_total"])
    return review


def seed_reviews(ctx) -> None:
    """Reviews for the demo applications (idempotent: only missing rows are written).

    - every application in review or later gets its panel (the assignment step's rows if
      present, otherwise accepted assignments from its committee, the chair excepted);
    - IN_REVIEW: reviews in progress (some submitted, some drafts, some not started); the
      demo expert has one of each where there are enough applications;
    - CONSENSUS and later: every review submitted (one panel has a score far from the rest);
    - SUITABILITY_REVIEW and later: the chair's consensus row."""
    import datetime as dt
    import random
    from decimal import Decimal

    from django.utils import timezone

    from applications.enums import ApplicationState as S
    from applications.models import Application

    from . import scoring
    from .enums import REVIEWING_ASSIGNMENT_STATES, AssignmentState, ReviewState
    from .models import Assignment, Consensus, ExpertProfile, Review

    consensus_states = (S.SUITABILITY_REVIEW, S.AWAITING_DECISION, S.CERTIFIED, S.REJECTED)
    complete_states = (S.CONSENSUS, *consensus_states, S.OBJECTION)
    applications = list(
        Application.objects.filter(
            state__in=(S.IN_REVIEW, *complete_states), subfield__isnull=False
        )
        .select_related("round", "subfield__committee__chair")
        .order_by("pk")
    )
    if not applications:
        ctx.say("seed_reviews: no demo application in review yet; nothing to add.")
        return
    demo_expert = ExpertProfile.objects.filter(user__email=DEMO_EXPERT_EMAIL).first()
    now = timezone.now()
    demo_in_review = 0
    made = {"assignments": 0, "reviews": 0, "consensus": 0, "opened": 0}
    # The demo chair needs a panel awaiting consensus: when the applications step left none in
    # committee 1, the last of its applications in review gets all its reviews and moves on
    # the way it would in use (the system opens the consensus).
    chair_field_apps = [a for a in applications if a.subfield.number == 1]
    finish = None
    if not any(a.state == S.CONSENSUS for a in chair_field_apps):
        in_review = [a for a in chair_field_apps if a.state == S.IN_REVIEW]
        if (
            len(in_review) >= 2
            and not Review.objects.filter(assignment__application=in_review[-1]).exists()
        ):
            finish = in_review[-1]

    for application in applications:
        # Seeded per application so a second run draws the same and the shared ctx.rng
        # (used by later steps) is left alone.
        rng = random.Random(application.pk * 7919 + 20260126)
        rnd = application.round
        k = rnd.reviewers_per_application
        panel = list(
            application.assignments.filter(state__in=REVIEWING_ASSIGNMENT_STATES)
            .select_related("expert")
            .order_by("pk")
        )
        if len(panel) < k:
            taken = [a.expert_id for a in application.assignments.all()]
            for expert in _panel_members(application, k - len(panel), demo_expert, taken):
                invited = now - dt.timedelta(days=12)
                assignment, created = Assignment.objects.get_or_create(
                    application=application,
                    expert=expert,
                    defaults={
                        "state": AssignmentState.ACCEPTED,
                        "invited_at": invited,
                        "respond_by": invited + dt.timedelta(days=5),
                        "responded_at": invited + dt.timedelta(days=1),
                        "affinity": round(rng.uniform(0.3, 0.9), 3),
                    },
                )
                made["assignments"] += created
                panel.append(assignment)
        if not panel:
            continue
        deadline = rnd.review_deadline or now
        quality = rng.randint(55, 92)
        complete = application.state in complete_states or application == finish
        for i, assignment in enumerate(panel):
            is_demo = demo_expert is not None and assignment.expert_id == demo_expert.pk
            if complete:
                plan = "submitted"
            elif is_demo:
                plan = ("pledge_only", "draft", "submitted", "none")[demo_in_review % 4]
                demo_in_review += 1
            else:
                # Never the whole panel: an IN_REVIEW application still waits for someone.
                plan = ("submitted", "draft", "none")[(i + application.pk) % 3]
                if i == len(panel) - 1:
                    plan = "none"
            if plan != "none" and assignment.pledge_signed_at is None:
                assignment.pledge_signed_at = assignment.responded_at or now
                assignment.save(update_fields=["pledge_signed_at"])
            if (
                plan in ("none", "pledge_only")
                or Review.objects.filter(assignment=assignment).exists()
            ):
                continue
            submitted = plan == "submitted"
            late = rng.random() < 0.2
            when = deadline + dt.timedelta(days=rng.randint(1, 3)) if late else deadline
            when = min(when - dt.timedelta(hours=rng.randint(1, 72)), now)
            # One expert on the first complete panel scores far from the others.
            q = quality - 25 if complete and i == 0 and application.pk % 3 == 0 else quality
            _write_review(assignment, rng=rng, quality=q, submitted=submitted, when=when)
            made["reviews"] += 1

        if application == finish:
            from applications.services import application_open_consensus

            application_open_consensus(application=application, by=None)
            made["opened"] += 1
        if application.state in consensus_states and not application.consensus_records.exists():
            totals = list(
                Review.objects.filter(
                    assignment__in=panel,
                    state=ReviewState.SUBMITTED,
                    weighted_total__isnull=False,
                ).values_list("weighted_total", flat=True)
            )
            agg = scoring.aggregate(totals, trim_min=rnd.trim_min_scores, threshold=rnd.threshold)
            score = agg.panel_score if agg.panel_score is not None else Decimal("70.00")
            recommended = application.state in (S.SUITABILITY_REVIEW, S.CERTIFIED) or (
                application.state == S.AWAITING_DECISION and bool(agg.recommended)
            )
            committee = getattr(application.subfield, "committee", None)
            Consensus.objects.create(
                application=application,
                chair=committee.chair if committee else None,
                score=score,
                opinion=(
                    "위원 전원이 혁신성과 공공 활용 가능성을 인정하여 지정을 추천함."
                    if recommended
                    else "시장 기여도와 실증 근거가 부족하여 추천하지 않음."
                ),
                recommended=recommended,
            )
            made["consensus"] += 1
    ctx.say(
        "seed_reviews: {assignments} assignments, {reviews} reviews, {consensus} consensus "
        "records added; {opened} panel moved to consensus.".format(**made)
    )
