import io
import random

import pytest

from applications.enums import ApplicationState as S
from applications.management.commands.seed_demo import DemoContext
from panels.demo import seed_reviews
from panels.enums import ReviewState
from panels.models import Assignment, Consensus, Review, SubField
from tests.factories import ApplicationFactory, ExpertProfileFactory, RoundFactory, UserFactory
from tests.factories.reviews import make_panel

pytestmark = pytest.mark.django_db


def _ctx():
    return DemoContext(rng=random.Random(1), stdout=io.StringIO())


@pytest.fixture
def demo_world():
    base = make_panel(n_experts=0)
    sf = base.application.subfield
    demo = ExpertProfileFactory(user=UserFactory(email="expert@demo.ppir.kr"), subfields=[sf])
    for _ in range(5):
        ExpertProfileFactory(subfields=[sf])
    rnd = RoundFactory(reviewers_per_application=3)
    apps = {
        state: ApplicationFactory(round=rnd, subfield=sf, state=state, reference=f"D-{i}")
        for i, state in enumerate(
            [S.IN_REVIEW, S.CONSENSUS, S.SUITABILITY_REVIEW, S.AWAITING_DECISION, S.SUBMITTED]
        )
    }
    base.application.delete()
    return {"apps": apps, "demo": demo, "chair": base.chair}


def test_seed_reviews_builds_panels_in_every_stage(demo_world):
    seed_reviews(_ctx())
    apps = demo_world["apps"]
    for state in (S.IN_REVIEW, S.CONSENSUS, S.SUITABILITY_REVIEW, S.AWAITING_DECISION):
        assert apps[state].assignments.count() == 3
    assert apps[S.SUBMITTED].assignments.count() == 0
    assert not Assignment.objects.filter(expert=demo_world["chair"]).exists()
    in_review = Review.objects.filter(assignment__application=apps[S.IN_REVIEW])
    assert in_review.filter(state=ReviewState.SUBMITTED).count() < 3
    for state in (S.CONSENSUS, S.SUITABILITY_REVIEW, S.AWAITING_DECISION):
        reviews = Review.objects.filter(assignment__application=apps[state])
        assert (
            reviews.filter(state=ReviewState.SUBMITTED, weighted_total__isnull=False).count() == 3
        )
    assert Consensus.objects.filter(application=apps[S.CONSENSUS]).count() == 0
    assert Consensus.objects.filter(application=apps[S.SUITABILITY_REVIEW]).get().recommended
    assert Consensus.objects.filter(application=apps[S.AWAITING_DECISION]).count() == 1
    assert Assignment.objects.filter(expert=demo_world["demo"]).count() == 4


def test_seed_reviews_twice_changes_nothing(demo_world):
    seed_reviews(_ctx())
    counts = (Assignment.objects.count(), Review.objects.count(), Consensus.objects.count())
    totals = list(Review.objects.order_by("pk").values_list("weighted_total", flat=True))
    ctx = _ctx()
    seed_reviews(ctx)
    assert (Assignment.objects.count(), Review.objects.count(), Consensus.objects.count()) == counts
    assert list(Review.objects.order_by("pk").values_list("weighted_total", flat=True)) == totals
    assert "0 assignments, 0 reviews, 0 consensus records added; 0 panel moved" in (
        ctx.stdout.getvalue()
    )


def test_seed_reviews_without_applications_says_so():
    ctx = _ctx()
    seed_reviews(ctx)
    assert "nothing to add" in ctx.stdout.getvalue()


def test_seed_reviews_gives_the_demo_chair_a_panel_awaiting_consensus():
    field_one = SubField.objects.create(number=1, name_ko="인공지능·데이터", name_en="AI and data")
    base = make_panel(n_experts=0, subfield=field_one)
    for _ in range(4):
        ExpertProfileFactory(subfields=[field_one])
    rnd = RoundFactory(reviewers_per_application=3)
    first, last = (
        ApplicationFactory(round=rnd, subfield=field_one, state=S.IN_REVIEW, reference=f"F-{i}")
        for i in range(2)
    )
    base.application.delete()
    ctx = _ctx()
    seed_reviews(ctx)
    first.refresh_from_db()
    last.refresh_from_db()
    assert (first.state, last.state) == (S.IN_REVIEW, S.CONSENSUS)
    assert (
        Review.objects.filter(assignment__application=last, state=ReviewState.SUBMITTED).count()
        == 3
    )
    assert "1 panel moved to consensus" in ctx.stdout.getvalue()
    seed_reviews(_ctx())
    first.refresh_from_db()
    assert first.state == S.IN_REVIEW
