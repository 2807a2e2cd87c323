"""Factories for assignment, invitations and conflicts."""

import factory

from applications.enums import ApplicationState
from panels.enums import AssignmentState, RequestDecision
from panels.models import (
    Assignment,
    AssignmentRun,
    ConflictDeclaration,
    UnsuitableExpertRequest,
)
from tests.factories import ApplicationFactory, ExpertProfileFactory, RoundFactory


class InReviewApplicationFactory(ApplicationFactory):
    """An application that passed screening and waits for experts."""

    state = ApplicationState.IN_REVIEW
    reference = factory.Sequence(lambda n: f"PPIR-2026-{n + 1:05d}")


class AssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assignment

    application = factory.SubFactory(InReviewApplicationFactory)
    expert = factory.SubFactory(ExpertProfileFactory)
    state = AssignmentState.INVITED
    affinity = 0.5


class AssignmentRunFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AssignmentRun

    round = factory.SubFactory(RoundFactory)


class UnsuitableExpertRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = UnsuitableExpertRequest

    application = factory.SubFactory(InReviewApplicationFactory)
    expert_name = "김평가"
    expert_organisation = "한국연구원"
    reason = "경쟁사 자문위원으로 활동 중입니다."
    decision = RequestDecision.PENDING


class ConflictDeclarationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ConflictDeclaration

    expert = factory.SubFactory(ExpertProfileFactory)
    application = factory.SubFactory(InReviewApplicationFactory)
    reason = "공동연구 수행 이력이 있습니다."
