"""The assignment demo step works on what earlier steps made, and runs twice safely."""

import io
import random

import pytest

from accounts.enums import Role
from applications.enums import ApplicationState
from applications.management.commands.seed_demo import DEMO_STEPS, DemoContext
from panels.demo_assignment import seed_assignments
from panels.enums import AssignmentRunState, AssignmentState
from panels.models import Assignment, AssignmentRun, UnsuitableExpertRequest
from tests.factories import CommitteeFactory, ExpertProfileFactory, SubFieldFactory, UserFactory
from tests.factories.panels import InReviewApplicationFactory

pytestmark = pytest.mark.django_db


def test_step_is_listed_before_the_reviews():
    assert DEMO_STEPS.index("panels.demo_assignment.seed_assignments") == (
        DEMO_STEPS.index("panels.demo.seed_reviews") - 1
    )


def test_seed_assignments(small_world, django_capture_on_commit_callbacks):
    officer = UserFactory(roles=[Role.OFFICER], email="officer@demo.kr")
    demo_expert = ExpertProfileFactory(
        user=UserFactory(roles=[Role.EXPERT], email="expert@demo.kr"),
        subfields=[small_world["subfield"]],
        keywords="수소, 연료전지",
        max_load=5,
    )
    # A second committee whose run stays a proposal.
    other_sf = SubFieldFactory()
    CommitteeFactory(subfield=other_sf)
    InReviewApplicationFactory(round=small_world["round"], subfield=other_sf)
    for _ in range(3):
        ExpertProfileFactory(subfields=[other_sf])
    finished = InReviewApplicationFactory(
        round=small_world["round"],
        subfield=small_world["subfield"],
        state=ApplicationState.CONSENSUS,
    )
    ctx = DemoContext(
        rng=random.Random(1),
        stdout=io.StringIO(),
        objects={"demo_accounts": [("officer", officer.email), ("expert", demo_expert.user.email)]},
    )
    with django_capture_on_commit_callbacks(execute=True):
        seed_assignments(ctx)
    assert finished.assignments.filter(state=AssignmentState.ACCEPTED).count() == 2
    assert AssignmentRun.objects.filter(state=AssignmentRunState.PROPOSED).count() == 1
    assert Assignment.objects.filter(expert=demo_expert).exclude(state="replaced").count() >= 1
    assert Assignment.objects.filter(state=AssignmentState.DECLINED).count() == 1
    assert UnsuitableExpertRequest.objects.count() == 1
    before = sorted(Assignment.objects.values_list("pk", "state"))
    with django_capture_on_commit_callbacks(execute=True):
        seed_assignments(ctx)
    assert sorted(Assignment.objects.values_list("pk", "state")) == before
