"""The demo seed: idempotent, every state present, the required amounts, working logins."""

import io
from collections import Counter

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command

from accounts.models import Organisation, User
from applications.enums import ApplicationState
from applications.models import Application, ProjectParticipant, RDProject, Round
from applications.validators import business_number_is_valid, validate_ntis_number
from audit.models import AuditEvent
from panels.models import Committee, ExpertProfile, SubField

DEMO_LOGINS = {
    "applicant@demo.ppir.kr",
    "officer@demo.ppir.kr",
    "secretariat@demo.ppir.kr",
    "expert@demo.ppir.kr",
    "chair@demo.ppir.kr",
    "pps@demo.ppir.kr",
    "admin@demo.ppir.kr",
}


def counts() -> dict[str, int]:
    return {m._meta.label: m._default_manager.count() for m in apps.get_models()}


@pytest.fixture(scope="module")
def seeded_once(django_db_setup, django_db_blocker):
    """Seed once for the module (seeding takes seconds); tests only read, each inside its own
    rolled-back transaction, and the tables are emptied afterwards for the other tests."""
    out = io.StringIO()
    with django_db_blocker.unblock():
        call_command("seed_demo", stdout=out)
    yield out.getvalue()
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0)


@pytest.fixture
def seeded(seeded_once, db):
    return seeded_once


def test_seed_twice_changes_nothing(seeded):
    before = counts()
    states_before = sorted(Application.objects.values_list("product_name", "state"))
    call_command("seed_demo", stdout=io.StringIO())
    assert counts() == before
    assert sorted(Application.objects.values_list("product_name", "state")) == states_before


def test_seed_prints_every_demo_login_and_the_password(seeded):
    for email in DEMO_LOGINS:
        assert email in seeded
    assert "password: ppir-demo-2026!" in seeded


def test_seed_has_the_required_amounts(seeded):
    assert SubField.objects.count() == 24
    assert Committee.objects.filter(chair__isnull=False).count() == 24
    assert ExpertProfile.objects.count() >= 200
    assert RDProject.objects.count() >= 1000
    assert Organisation.objects.count() >= 30
    assert Application.objects.count() >= 60
    assert set(Application.objects.values_list("state", flat=True)) == set(ApplicationState)
    assert min(Counter(Application.objects.values_list("state", flat=True)).values()) >= 2


def test_seed_subfields_match_the_programme(seeded):
    names = list(SubField.objects.values_list("number", "name_ko", "name_en"))
    assert names[0] == (1, "인공지능·데이터", "Artificial intelligence and data")
    assert names[23] == (24, "스마트시티·공공서비스", "Smart cities and AI-based public services")


def test_seed_rounds_one_closed_one_open_with_the_rubric(seeded):
    rounds = list(Round.objects.order_by("opens_at"))
    assert [r.state_at() for r in rounds] == ["closed", "open"]
    for rnd in rounds:
        assert rnd.subfields.count() == 24
        assert (rnd.reviewers_per_application, rnd.threshold) == (3, 70)
        assert [g.code for g in rnd.gates.all()] == [
            "fit",
            "innovative",
            "readiness",
            "safety",
            "regulation",
        ]
        assert [(c.code, c.weight) for c in rnd.criteria.all()] == [
            ("novelty", 30),
            ("impact", 25),
            ("procurement", 25),
            ("market", 20),
        ]


def test_seed_logins_work_for_every_role(seeded):
    from allauth.account.models import EmailAddress

    users = {u.email: u for u in User.objects.filter(email__in=DEMO_LOGINS)}
    assert set(users) == DEMO_LOGINS
    for user in users.values():
        assert user.check_password("ppir-demo-2026!")
        assert user.language == "ko"
        assert EmailAddress.objects.get(user=user).verified
    assert users["officer@demo.ppir.kr"].roles == ["officer"]
    assert users["officer@demo.ppir.kr"].is_staff
    assert users["secretariat@demo.ppir.kr"].roles == ["panel_secretariat"]
    assert users["admin@demo.ppir.kr"].is_superuser
    chair = users["chair@demo.ppir.kr"].expert_profile
    assert Committee.objects.get(subfield__number=1).chair == chair
    assert list(
        users["expert@demo.ppir.kr"].expert_profile.subfields.values_list("number", flat=True)
    ) == [1]


def test_seed_demo_applicant_owns_applications_in_several_states(seeded):
    applicant = User.objects.get(email="applicant@demo.ppir.kr")
    states = set(
        Application.objects.filter(organisation__memberships__user=applicant).values_list(
            "state", flat=True
        )
    )
    assert states >= {
        "draft",
        "submitted",
        "supplement_requested",
        "in_review",
        "certified",
        "rejected",
    }


def test_seed_history_is_consistent_with_each_state(seeded):
    for application in Application.objects.exclude(state="draft"):
        events = list(application.history.order_by("id"))
        assert events[0].from_state == "draft"
        assert events[-1].to_state == application.state
        for earlier, later in zip(events, events[1:], strict=False):
            assert earlier.to_state == later.from_state
    assert AuditEvent.objects.filter(application__state="draft").count() == 0


def test_seed_data_is_valid_and_conflicts_exist(seeded):
    for bn in Organisation.objects.values_list("business_number", flat=True):
        assert business_number_is_valid(bn)
    for number in RDProject.objects.values_list("ntis_number", flat=True)[:1200]:
        validate_ntis_number(number)
    numbers = set(RDProject.objects.values_list("ntis_number", flat=True))
    assert any(n.startswith("1711") for n in numbers)
    assert any(n.startswith("RS-") for n in numbers)
    for application in Application.objects.prefetch_related("rd_projects", "documents"):
        assert application.documents.count() == 2
        assert application.rd_projects.count() >= 1
        for project in application.rd_projects.all():
            assert project.participants.filter(
                business_number=application.organisation.business_number
            ).exists()
    expert_numbers = set(ExpertProfile.objects.values_list("researcher_number", flat=True))
    linked_participants = ProjectParticipant.objects.filter(
        project__applications__isnull=False, researcher_number__in=expert_numbers
    )
    assert linked_participants.count() >= 10


def test_seed_refuses_under_production(settings, db):
    settings.PPIR_ENVIRONMENT = "production"
    with pytest.raises(CommandError, match="refuses"):
        call_command("seed_demo")
