"""Each eligibility rule, true and false, on real rows (prefetched as the wizard reads them)."""

import datetime as dt

import pytest
from django.utils import timezone

from applications import eligibility, selectors
from applications.enums import ApplicationState, DocumentKind, ResultGrade
from applications.models import Application
from tests.factories import (
    ApplicationFactory,
    ProjectParticipantFactory,
    RDProjectFactory,
    RoundFactory,
)
from tests.factories.applicant import DocumentFactory, eligible_application

pytestmark = pytest.mark.django_db


def fresh(app):
    return selectors.application_with_content(pk=app.pk)


def deadline_of(app):
    return timezone.localtime(app.round.closes_at).date()


def test_every_rule_passes_for_an_eligible_application():
    results = eligibility.check(fresh(eligible_application()))
    assert [(r.code, r.passed) for r in results] == [
        ("project_successful", True),
        ("participation", True),
        ("not_designated", True),
        ("certifications", True),
        ("documents_dated", True),
    ]
    assert eligibility.blocking(results) == []


def test_project_rule_fails_without_a_linked_project_and_blocks():
    result = eligibility.rule_project_successful(fresh(ApplicationFactory()))
    assert (result.passed, result.officer_may_judge, result.incomplete) == (False, False, True)
    assert result.reason == "No R&D project is linked yet."
    assert result.blocks_submission is True


def test_project_rule_fails_for_a_failed_grade():
    app = ApplicationFactory()
    app.rd_projects.add(RDProjectFactory(result_grade=ResultGrade.FAILED))
    assert eligibility.rule_project_successful(fresh(app)).passed is False


def test_project_rule_fails_for_a_project_ended_more_than_five_years_before_deadline():
    app = ApplicationFactory()
    too_old = deadline_of(app).replace(year=deadline_of(app).year - 5) - dt.timedelta(days=1)
    app.rd_projects.add(RDProjectFactory(start_date=dt.date(2010, 1, 1), end_date=too_old))
    result = eligibility.rule_project_successful(fresh(app))
    assert result.passed is False
    assert "None of the linked projects ended with a successful grade" in result.reason


def test_project_rule_passes_on_the_five_year_boundary():
    app = ApplicationFactory()
    boundary = deadline_of(app).replace(year=deadline_of(app).year - 5)
    project = RDProjectFactory(start_date=dt.date(2010, 1, 1), end_date=boundary)
    app.rd_projects.add(project)
    result = eligibility.rule_project_successful(fresh(app))
    assert (result.passed, result.evidence) == (True, [project.ntis_number])


def test_project_rule_fails_for_a_project_ending_after_the_deadline():
    app = ApplicationFactory()
    app.rd_projects.add(RDProjectFactory(end_date=deadline_of(app) + dt.timedelta(days=1)))
    assert eligibility.rule_project_successful(fresh(app)).passed is False


def test_participation_passes_as_listed_participant():
    app = ApplicationFactory()
    project = RDProjectFactory()
    ProjectParticipantFactory(project=project, business_number=app.organisation.business_number)
    app.rd_projects.add(project)
    result = eligibility.rule_participation(fresh(app))
    assert (result.passed, result.evidence) == (True, [project.ntis_number])


def test_participation_passes_with_a_licence_document():
    app = ApplicationFactory()
    app.rd_projects.add(RDProjectFactory())
    DocumentFactory(application=app, kind=DocumentKind.LICENCE, original_name="licence.pdf")
    result = eligibility.rule_participation(fresh(app))
    assert (result.passed, result.evidence) == (True, ["licence.pdf"])


def test_participation_fails_but_is_for_the_officer_to_judge():
    app = ApplicationFactory()
    app.rd_projects.add(RDProjectFactory(lead_business_number="2208162517"))
    result = eligibility.rule_participation(fresh(app))
    assert (result.passed, result.officer_may_judge, result.flagged) == (False, True, True)
    assert result.blocks_submission is False


def test_not_designated_fails_without_the_declaration():
    app = ApplicationFactory(declared_not_designated=False)
    result = eligibility.rule_not_designated(fresh(app))
    assert (result.passed, result.blocks_submission) == (False, True)


def test_not_designated_fails_when_the_same_product_was_certified_before():
    app = ApplicationFactory(product_name="스마트 센서")
    earlier = ApplicationFactory(
        organisation=app.organisation, product_name="스마트 센서", reference="PPIR-2024-00007"
    )
    Application.objects.filter(pk=earlier.pk).update(state=ApplicationState.CERTIFIED)
    result = eligibility.rule_not_designated(fresh(app))
    assert (result.passed, result.evidence) == (False, ["PPIR-2024-00007"])
    assert result.reason == "A product of the same name was already certified: PPIR-2024-00007."


def test_not_designated_passes_when_declared_and_no_earlier_certification():
    assert eligibility.rule_not_designated(fresh(ApplicationFactory())).passed is True


def test_certifications_missing_is_flagged_for_the_officer():
    result = eligibility.rule_certifications(fresh(ApplicationFactory()))
    assert (result.passed, result.officer_may_judge) == (False, True)


def test_certifications_expired_before_the_deadline_blocks():
    app = ApplicationFactory()
    DocumentFactory(
        application=app,
        kind=DocumentKind.CERTIFICATION,
        original_name="KC.pdf",
        expiry_date=deadline_of(app) - dt.timedelta(days=1),
    )
    result = eligibility.rule_certifications(fresh(app))
    assert (result.passed, result.officer_may_judge, result.evidence) == (False, False, ["KC.pdf"])


def test_certifications_valid_through_the_deadline_pass():
    app = ApplicationFactory()
    DocumentFactory(application=app, kind=DocumentKind.CERTIFICATION, expiry_date=deadline_of(app))
    assert eligibility.rule_certifications(fresh(app)).passed is True


def test_documents_issued_after_the_deadline_block():
    rnd = RoundFactory(
        opens_at=timezone.now() - dt.timedelta(days=30),
        closes_at=timezone.now() - dt.timedelta(days=5),
    )
    app = ApplicationFactory(round=rnd)
    DocumentFactory(application=app, original_name="late.pdf", issue_date=timezone.localdate())
    result = eligibility.rule_documents_dated(fresh(app))
    assert (result.passed, result.evidence) == (False, ["late.pdf"])


def test_documents_issued_on_the_deadline_pass():
    app = ApplicationFactory()
    DocumentFactory(application=app, issue_date=deadline_of(app))
    assert eligibility.rule_documents_dated(fresh(app)).passed is True
