"""Each conflict rule true and false; one query whatever the size."""

import pytest

from applications.enums import ConflictScope
from panels.conflicts import conflict_map, conflict_rows, conflicts_for_pair
from panels.enums import RequestDecision
from tests.factories import (
    ExpertProfileFactory,
    OrganisationFactory,
    ProjectParticipantFactory,
    RDProjectFactory,
    RoundFactory,
)
from tests.factories.panels import (
    ConflictDeclarationFactory,
    InReviewApplicationFactory,
    UnsuitableExpertRequestFactory,
)

pytestmark = pytest.mark.django_db


def _app(scope=ConflictScope.ORGANISATION, **kwargs):
    return InReviewApplicationFactory(round=RoundFactory(conflict_scope=scope), **kwargs)


def _with_department(app, department):
    """The applicant's own participation in a linked project, with its department."""
    project = RDProjectFactory()
    ProjectParticipantFactory(
        project=project,
        business_number=app.organisation.business_number,
        organisation_name=app.organisation.name,
        department=department,
    )
    app.rd_projects.add(project)
    return project


def test_same_organisation_by_registered_organisation():
    app = _app()
    expert = ExpertProfileFactory(organisation=app.organisation)
    assert conflicts_for_pair(expert=expert, application=app) == ["same_organisation"]


def test_same_organisation_by_business_number_with_dashes():
    app = _app()
    brn = app.organisation.business_number
    expert = ExpertProfileFactory(business_number=f"{brn[:3]}-{brn[3:5]}-{brn[5:]}")
    assert conflicts_for_pair(expert=expert, application=app) == ["same_organisation"]


def test_other_organisation_is_no_conflict():
    app = _app()
    expert = ExpertProfileFactory(organisation=OrganisationFactory())
    assert conflicts_for_pair(expert=expert, application=app) == []


def test_department_rule_same_department_conflicts():
    app = _app(ConflictScope.DEPARTMENT)
    _with_department(app, "연구개발부")
    expert = ExpertProfileFactory(organisation=app.organisation, department=" 연구개발부 ")
    assert conflicts_for_pair(expert=expert, application=app) == ["same_department"]


def test_department_rule_other_department_is_no_conflict():
    app = _app(ConflictScope.DEPARTMENT)
    _with_department(app, "연구개발부")
    expert = ExpertProfileFactory(organisation=app.organisation, department="품질관리팀")
    assert conflicts_for_pair(expert=expert, application=app) == []


def test_department_rule_unknown_applicant_department_falls_back_to_organisation():
    app = _app(ConflictScope.DEPARTMENT)
    expert = ExpertProfileFactory(organisation=app.organisation, department="품질관리팀")
    assert conflicts_for_pair(expert=expert, application=app) == ["same_department"]


def test_department_rule_blank_expert_department_conflicts():
    app = _app(ConflictScope.DEPARTMENT)
    _with_department(app, "연구개발부")
    expert = ExpertProfileFactory(organisation=app.organisation, department="")
    assert conflicts_for_pair(expert=expert, application=app) == ["same_department"]


def test_department_rule_other_organisation_same_department_is_no_conflict():
    app = _app(ConflictScope.DEPARTMENT)
    _with_department(app, "연구개발부")
    expert = ExpertProfileFactory(organisation=OrganisationFactory(), department="연구개발부")
    assert conflicts_for_pair(expert=expert, application=app) == []


def test_project_participant_conflicts():
    app = _app()
    project = RDProjectFactory()
    app.rd_projects.add(project)
    expert = ExpertProfileFactory(researcher_number="12345678")
    ProjectParticipantFactory(project=project, researcher_number="12345678")
    assert conflicts_for_pair(expert=expert, application=app) == ["project_participant"]


def test_participant_of_an_unlinked_project_is_no_conflict():
    app = _app()
    app.rd_projects.add(RDProjectFactory())
    expert = ExpertProfileFactory(researcher_number="12345678")
    ProjectParticipantFactory(project=RDProjectFactory(), researcher_number="12345678")
    assert conflicts_for_pair(expert=expert, application=app) == []


def test_blank_researcher_numbers_never_match():
    app = _app()
    project = RDProjectFactory()
    app.rd_projects.add(project)
    expert = ExpertProfileFactory(researcher_number="")
    ProjectParticipantFactory(project=project, researcher_number="")
    assert conflicts_for_pair(expert=expert, application=app) == []


@pytest.mark.parametrize(
    ("decision", "expected"),
    [
        (RequestDecision.ACCEPTED, ["named_unsuitable"]),
        (RequestDecision.PENDING, []),
        (RequestDecision.REFUSED, []),
    ],
)
def test_named_unsuitable_only_when_accepted(decision, expected):
    app = _app()
    expert = ExpertProfileFactory()
    UnsuitableExpertRequestFactory(application=app, matched_expert=expert, decision=decision)
    assert conflicts_for_pair(expert=expert, application=app) == expected


@pytest.mark.parametrize(("is_recusal", "rule"), [(False, "declared"), (True, "recused")])
def test_declaration_and_recusal(is_recusal, rule):
    app = _app()
    expert = ExpertProfileFactory()
    ConflictDeclarationFactory(application=app, expert=expert, is_recusal=is_recusal)
    assert conflicts_for_pair(expert=expert, application=app) == [rule]
    other = _app()
    assert conflicts_for_pair(expert=expert, application=other) == []


def test_several_rules_on_one_pair_are_all_recorded():
    app = _app()
    project = RDProjectFactory()
    app.rd_projects.add(project)
    expert = ExpertProfileFactory(organisation=app.organisation, researcher_number="99999999")
    ProjectParticipantFactory(project=project, researcher_number="99999999")
    ConflictDeclarationFactory(application=app, expert=expert)
    assert conflicts_for_pair(expert=expert, application=app) == [
        "declared",
        "project_participant",
        "same_organisation",
    ]


def _world(n):
    rnd = RoundFactory(conflict_scope=ConflictScope.DEPARTMENT)
    apps, experts = [], []
    for _ in range(n):
        app = InReviewApplicationFactory(round=rnd)
        project = _with_department(app, "연구개발부")
        ex = ExpertProfileFactory(organisation=app.organisation)
        ProjectParticipantFactory(project=project, researcher_number=ex.researcher_number)
        UnsuitableExpertRequestFactory(
            application=app, matched_expert=ex, decision=RequestDecision.ACCEPTED
        )
        ConflictDeclarationFactory(application=app, expert=ExpertProfileFactory())
        apps.append(app)
        experts.append(ex)
    return apps, experts


@pytest.mark.parametrize("n", [1, 8])
def test_conflicts_are_one_query_whatever_the_size(n, django_assert_num_queries):
    apps, experts = _world(n)
    with django_assert_num_queries(1):
        rows = conflict_rows(application_ids=[a.pk for a in apps])
    # Each world row: same department + participant + unsuitable, plus one declaration.
    assert len(rows) == 4 * n
    mapped = conflict_map(application_ids=[a.pk for a in apps])
    assert mapped[(experts[0].pk, apps[0].pk)] == [
        "named_unsuitable",
        "project_participant",
        "same_department",
    ]


def test_no_applications_no_query(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert conflict_rows(application_ids=[]) == []
