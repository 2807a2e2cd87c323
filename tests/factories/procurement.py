"""Factories and helpers for the procurement stage: applications brought to a state through
the real transition gate, certificates issued by the real service."""

import datetime as dt

import factory

from accounts.enums import Role
from applications.enums import ApplicationState as S
from applications.services import application_submit, application_transition
from panels.models import Consensus
from procurement import services
from procurement.models import CatalogueEntry, PilotPurchase
from tests.factories import ApplicationFactory, UserFactory

# The transitions from a draft to each state, run by the system (by=None) except submit.
PATH = {
    S.SUBMITTED: [],
    S.IN_REVIEW: ["mark_eligible"],
    S.CONSENSUS: ["mark_eligible", "open_consensus"],
    S.SUITABILITY_REVIEW: ["mark_eligible", "open_consensus", "recommend"],
    S.AWAITING_DECISION: ["mark_eligible", "open_consensus", "recommend", "record_suitability"],
}


def application_in(state: str, *, consensus: bool = True, **kwargs):
    """An application moved to `state` through the transition gate."""
    from tests.factories.applicant import make_eligible

    application = ApplicationFactory(**kwargs)
    make_eligible(application)  # submission runs the eligibility pre-check
    application_submit(application=application, by=application.created_by)
    for name in PATH[state]:
        if name == "recommend" and consensus:
            Consensus.objects.create(
                application=application,
                score="84.50",
                opinion="기술 혁신성이 높고 공공 수요가 분명함",
                recommended=True,
            )
        application_transition(application=application, by=None, transition=name)
    application.refresh_from_db()
    return application


def officer_user():
    return UserFactory(roles=[Role.OFFICER], is_staff=True)


def certified_application(*, officer=None, **kwargs):
    """A certified application and its certificate, issued by the real service."""
    application = application_in(S.AWAITING_DECISION, **kwargs)
    certificate = services.application_certify(
        application=application, by=officer or officer_user(), reason="심사 결과 적합"
    )
    application.refresh_from_db()
    return application, certificate


def rejected_released_application(*, officer=None, **kwargs):
    officer = officer or officer_user()
    application = application_in(S.AWAITING_DECISION, **kwargs)
    services.application_reject(application=application, by=officer, reason="시장성 근거 부족")
    services.results_release(application=application, by=officer)
    application.refresh_from_db()
    return application


class CatalogueEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CatalogueEntry

    application = factory.LazyFunction(lambda: certified_application()[0])
    certificate = factory.LazyAttribute(lambda o: o.application.certificate)
    classification_number = "43211503"
    product_identification_number = factory.Sequence(lambda n: f"{24100000 + n}")
    unit_price = 12_000_000
    supplier_contact = "영업팀 02-1234-5678"
    registered_on = factory.LazyFunction(lambda: dt.date(2026, 11, 1))
    registered_by = factory.LazyFunction(lambda: UserFactory(roles=[Role.PPS]))


class PilotPurchaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PilotPurchase

    application = factory.LazyFunction(lambda: CatalogueEntryFactory().application)
    public_body = "세종특별자치시청"
    purchased_on = dt.date(2026, 10, 1)
    quantity = 10
    amount = 120_000_000
    feedback = "설치가 간편하고 오탐이 적음"
    rating = 5
    recorded_by = factory.LazyFunction(lambda: UserFactory(roles=[Role.PPS]))


def add_reviews(application, *, names=("김평가", "이심사", "박검토"), scores=(80, 90, 70)):
    """Submitted expert reviews with a score and comment per criterion."""
    from django.utils import timezone

    from panels.enums import AssignmentState, ReviewState
    from panels.models import Assignment, CriterionScore, Review
    from tests.factories import ExpertProfileFactory

    experts = []
    for i, (name, score) in enumerate(zip(names, scores, strict=True)):
        expert = ExpertProfileFactory(user__name=name, organisation_name=f"비밀연구원{i}")
        experts.append(expert)
        assignment = Assignment.objects.create(
            application=application, expert=expert, state=AssignmentState.ACCEPTED
        )
        review = Review.objects.create(
            assignment=assignment,
            state=ReviewState.SUBMITTED,
            overall_opinion=f"종합의견 {i}",
            weighted_total=score,  # every criterion gets the same score
            submitted_at=timezone.now(),
        )
        for criterion in application.round.criteria.all():
            CriterionScore.objects.create(
                review=review,
                criterion=criterion,
                score=score,
                comment=f"{criterion.code} 의견 {i}",
            )
    return experts
