import pytest

from accounts.enums import Role
from tests.factories import (
    CommitteeFactory,
    ExpertProfileFactory,
    RoundFactory,
    SubFieldFactory,
    UserFactory,
)
from tests.factories.panels import InReviewApplicationFactory

TOPICS = {
    "battery": (
        "배터리 수소 연료전지 충전 시스템",
        ["배터리, 수소", "연료전지, 수소", "수소, 에너지"],
    ),
    "drone": ("드론 항공 촬영 영상 시스템", ["드론, 항공", "항공, 촬영"]),
    "medical": ("의료 영상 진단 보조 시스템", ["의료, 진단", "영상, 진단"]),
}


@pytest.fixture(autouse=True)
def _english(settings):
    """Messages are asserted in English (the msgids), whatever catalogues exist; pages
    without a language cookie or header fall back to LANGUAGE_CODE."""
    from django.utils import translation

    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def officer_user(db):
    return UserFactory(roles=[Role.OFFICER], is_staff=True)


@pytest.fixture
def small_world(db):
    """One committee, three applications on distinct topics, seven experts whose keywords
    match exactly one topic each; k = 2, every expert holds at most one review."""
    sf = SubFieldFactory()
    committee = CommitteeFactory(subfield=sf)
    rnd = RoundFactory(reviewers_per_application=2, subfields=[sf])
    apps, experts = {}, {}
    for topic, (text, keyword_sets) in TOPICS.items():
        apps[topic] = InReviewApplicationFactory(
            round=rnd, subfield=sf, product_name=text, product_name_en="", product_description=""
        )
        for i, kw in enumerate(keyword_sets):
            experts[f"{topic}{i}"] = ExpertProfileFactory(
                keywords=kw, max_load=1, subfields=[sf], department=f"부서{topic}{i}"
            )
    return {"round": rnd, "committee": committee, "subfield": sf, "apps": apps, "experts": experts}


@pytest.fixture
def confirmed_world(small_world, officer_user, django_capture_on_commit_callbacks):
    """small_world after a confirmed run: six invitations out, battery2 left free."""
    from panels.services import assignment_run_confirm, assignment_run_launch

    with django_capture_on_commit_callbacks(execute=True):
        run = assignment_run_launch(round=small_world["round"], by=officer_user)
    run.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        assignment_run_confirm(run=run, by=officer_user)
    return {**small_world, "run": run, "officer": officer_user}
