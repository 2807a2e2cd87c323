"""Reads for the procurement pages, with the joins each page needs so query counts stay flat.
Nothing here returns an expert's identity to PPS staff: the suitability queue carries the
panel's consensus (score, opinion) only. Applicants get the per-criterion averages, the
comments without names and, after the decision, the list of the panel's members."""

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from applications.enums import ApplicationState as S
from applications.enums import DocumentKind
from applications.models import Application, ApplicationDocument
from applications.selectors import applications_for_applicant
from panels.models import Consensus

from .enums import CertificateState, ExtensionState, ObjectionDecision
from .models import (
    CatalogueEntry,
    Certificate,
    ExtensionRequest,
    Objection,
    PilotPurchase,
    seoul_today,
)

CS = CertificateState


def _with_summary(qs: QuerySet[Application]) -> QuerySet[Application]:
    return qs.select_related("round", "subfield", "organisation").prefetch_related(
        Prefetch(
            "documents",
            queryset=ApplicationDocument.objects.filter(
                kind=DocumentKind.CERTIFICATION, is_current=True
            ).order_by("expiry_date"),
            to_attr="certifications",
        ),
        Prefetch(
            "consensus_records",
            queryset=Consensus.objects.only(
                "id", "application_id", "score", "opinion", "recommended", "recorded_at"
            ).order_by("-recorded_at", "-id"),
            to_attr="consensus_list",
        ),
        Prefetch("suitability_reviews", to_attr="suitability_list"),
        "catalogue_entry",
    )


def suitability_queue() -> QuerySet[Application]:
    """Recommended applications waiting for PPS's suitability review, oldest first."""
    return _with_summary(Application.objects.filter(state=S.SUITABILITY_REVIEW)).order_by(
        "submitted_at", "pk"
    )


def suitability_application(*, pk: int) -> Application:
    return get_object_or_404(
        _with_summary(Application.objects.filter(state=S.SUITABILITY_REVIEW)), pk=pk
    )


def decision_queue() -> QuerySet[Application]:
    return _with_summary(Application.objects.filter(state=S.AWAITING_DECISION)).order_by(
        "submitted_at", "pk"
    )


def decided_unreleased() -> QuerySet[Application]:
    return (
        Application.objects.filter(
            state__in=(S.CERTIFIED, S.REJECTED), result_released_at__isnull=True
        )
        .select_related("round", "subfield", "organisation")
        .order_by("decided_at", "pk")
    )


def application_for_officer(*, pk: int) -> Application:
    return get_object_or_404(_with_summary(Application.objects.all()), pk=pk)


def certificates_recent(limit: int = 20) -> QuerySet[Certificate]:
    return Certificate.objects.select_related("application__organisation").order_by(
        "-created_at", "-pk"
    )[:limit]


def pending_objections() -> QuerySet[Objection]:
    return (
        Objection.objects.filter(decision=ObjectionDecision.PENDING)
        .select_related("application__organisation", "application__round")
        .order_by("filed_at")
    )


def pending_extensions() -> QuerySet[ExtensionRequest]:
    return (
        ExtensionRequest.objects.filter(state=ExtensionState.PENDING)
        .select_related("certificate__application__organisation")
        .order_by("requested_at")
    )


def certified_awaiting_registration(today: dt.date | None = None) -> QuerySet[Certificate]:
    """Valid certificates whose product is not yet in the catalogue."""
    return (
        Certificate.objects.with_status(CS.VALID, today)
        .filter(application__catalogue_entry__isnull=True)
        .select_related("application__organisation", "application__subfield")
        .order_by("issued_on", "pk")
    )


def catalogue_entries(*, q: str = "", fast_track: str = "", today=None) -> QuerySet:
    qs = CatalogueEntry.objects.select_related(
        "application__organisation", "application__subfield", "certificate"
    ).order_by("-registered_on", "-pk")
    if q:
        qs = qs.filter(
            Q(application__product_name__icontains=q)
            | Q(application__product_name_en__icontains=q)
            | Q(application__organisation__name__icontains=q)
            | Q(product_identification_number__icontains=q)
            | Q(classification_number__icontains=q)
        )
    valid_q = Q(certificate__state=CS.VALID, certificate__valid_until__gte=today or seoul_today())
    if fast_track == "yes":
        qs = qs.filter(valid_q)
    elif fast_track == "no":
        qs = qs.exclude(valid_q)
    return qs


def catalogue_entry(*, pk: int) -> CatalogueEntry:
    return get_object_or_404(
        CatalogueEntry.objects.select_related(
            "application__organisation", "application__subfield", "certificate", "registered_by"
        ),
        pk=pk,
    )


def pilot_purchases_of(application) -> QuerySet[PilotPurchase]:
    return PilotPurchase.objects.filter(application=application).order_by("-purchased_on", "-pk")


def public_register(*, q: str = "", subfield=None, status: str = "", today=None):
    """Certified products for the public: no personal data, only the product, the company,
    the sub-field and the certificate's dates and status."""
    qs = Certificate.objects.select_related(
        "application__organisation", "application__subfield"
    ).order_by("-issued_on", "-number")
    if q:
        qs = qs.filter(
            Q(application__product_name__icontains=q)
            | Q(application__product_name_en__icontains=q)
            | Q(application__organisation__name__icontains=q)
            | Q(application__organisation__name_en__icontains=q)
            | Q(number__iexact=q)
        )
    if subfield:
        qs = qs.filter(application__subfield=subfield)
    if status in CS.values:
        qs = qs.with_status(status, today)
    return qs


CERTIFICATE_NUMBER_SHAPE = re.compile(r"^PPIR-C-\d{4}-\d{4,}$", re.IGNORECASE)


def certificate_by_number(number: str) -> Certificate | None:
    """The certificate with this number; None for anything not shaped like one (PostgreSQL
    refuses NUL characters in a query, so such input never reaches the database)."""
    number = (number or "").strip()
    if not CERTIFICATE_NUMBER_SHAPE.fullmatch(number):
        return None
    return (
        Certificate.objects.select_related("application__organisation", "application__subfield")
        .filter(number__iexact=(number or "").strip())
        .first()
    )


def certificate_for_download(*, pk: int) -> Certificate:
    return get_object_or_404(Certificate.objects.select_related("application__organisation"), pk=pk)


# Applicant's side ----------------------------------------------------------------------


def applicant_decisions(*, user) -> QuerySet[Application]:
    """The applicant's applications that reached a decision or an objection."""
    return (
        applications_for_applicant(user=user)
        .filter(state__in=(S.CERTIFIED, S.REJECTED, S.INELIGIBLE, S.OBJECTION, S.AWAITING_DECISION))
        .select_related("certificate")
    )


def applicant_application(*, user, pk: int) -> Application:
    return get_object_or_404(
        applications_for_applicant(user=user).prefetch_related(
            Prefetch("objections", queryset=Objection.objects.order_by("-filed_at"))
        ),
        pk=pk,
    )


def applicant_certificate(*, user, pk: int) -> Certificate:
    return get_object_or_404(
        Certificate.objects.select_related("application__organisation").filter(
            application__in=applications_for_applicant(user=user)
        ),
        pk=pk,
    )


@dataclass
class CriterionResult:
    label: str
    weight: Decimal
    max_score: int
    average: Decimal | None
    comments: list[str] = field(default_factory=list)


@dataclass
class ResultSummary:
    criteria: list[CriterionResult]
    opinions: list[str]
    members: list[tuple[str, str]]
    review_count: int


def result_summary(*, application: Application) -> ResultSummary:
    """Per-criterion average scores (trimmed as the round says) and the comments without
    names, from the submitted reviews of the latest review cycle (the re-review after an
    accepted objection replaces the first); the panel's members (name, organisation) in
    alphabetical order, which the 2024 rules release only after the decision.

    The scoring work owns the scores: once panels.selectors.result_summary exists on main
    it answers instead, with the same fields."""
    try:
        from panels import selectors as panel_selectors
    except ImportError:  # the scoring work may not have landed its selectors yet
        panel_selectors = None
    if hasattr(panel_selectors, "result_summary"):
        data = panel_selectors.result_summary(application=application)
        return ResultSummary(
            criteria=[
                CriterionResult(
                    label=c["label"],
                    weight=c["weight"],
                    max_score=c["max_score"],
                    average=_two_places(c["average"]),
                    comments=list(c["comments"]),
                )
                for c in data["criteria"]
            ],
            opinions=list(data.get("opinions", [])),
            members=[(m["name"], m["organisation"]) for m in data.get("panel_members", [])],
            review_count=len(data.get("opinions", [])),
        )
    return _result_summary(application)


def _two_places(value) -> Decimal | None:
    if value is None:
        return None
    return Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _average(scores: list[int], trim_min: int) -> Decimal | None:
    """The mean, dropping the highest and the lowest score once there are at least
    `trim_min` of them (the round's rule, as Korean evaluations usually do)."""
    if not scores:
        return None
    if trim_min and len(scores) >= max(trim_min, 3):
        scores = sorted(scores)[1:-1]
    return (Decimal(sum(scores)) / len(scores)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _result_summary(application: Application) -> ResultSummary:
    from panels.enums import ReviewState
    from panels.models import Review

    reviews = list(
        Review.objects.filter(assignment__application=application, state=ReviewState.SUBMITTED)
        .select_related("assignment__expert__user")
        .prefetch_related("scores")
        .order_by("pk")
    )
    if any(rv.assignment.is_rereview for rv in reviews):
        reviews = [rv for rv in reviews if rv.assignment.is_rereview]
    criteria = []
    for criterion in application.round.criteria.all():
        scores, comments = [], []
        for rv in reviews:
            for cs in rv.scores.all():
                if cs.criterion_id == criterion.pk:
                    if cs.score is not None:
                        scores.append(cs.score)
                    if cs.comment.strip():
                        comments.append(cs.comment.strip())
        average = _average(scores, application.round.trim_min_scores)
        criteria.append(
            CriterionResult(
                label=criterion.display_label,
                weight=criterion.weight,
                max_score=criterion.max_score,
                average=average,
                comments=comments,
            )
        )
    opinions = [rv.overall_opinion.strip() for rv in reviews if rv.overall_opinion.strip()]
    members = []
    if application.decided_at is not None:
        members = sorted(
            {
                (rv.assignment.expert.user.get_full_name(), rv.assignment.expert.organisation_name)
                for rv in reviews
            }
        )
    return ResultSummary(
        criteria=criteria, opinions=opinions, members=members, review_count=len(reviews)
    )


def register_counts(today=None) -> dict:
    today = today or seoul_today()
    return {s: Certificate.objects.with_status(s, today).count() for s in CS.values}
