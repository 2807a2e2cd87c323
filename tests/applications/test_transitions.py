import pytest
from django.core.exceptions import PermissionDenied
from django_fsm import TransitionNotAllowed

from applications import services
from applications.enums import ApplicationState as S
from audit.models import AuditEvent
from tests.factories import UserFactory
from tests.factories.applicant import eligible_application

pytestmark = pytest.mark.django_db


def test_submit_by_owner_moves_to_submitted_and_records_history():
    # Submission runs the eligibility pre-check, so the draft must pass it.
    application = eligible_application()
    applicant = application.created_by
    services.application_submit(application=application, by=applicant)
    application.refresh_from_db()
    assert application.state == S.SUBMITTED
    assert application.reference.startswith("PPIR-")
    event = AuditEvent.objects.get(application=application)
    assert (event.from_state, event.to_state, event.actor) == (S.DRAFT, S.SUBMITTED, applicant)
    assert event.action == "transition:submit"


def test_submit_by_stranger_is_denied_and_writes_nothing(application):
    stranger = UserFactory()
    with pytest.raises(PermissionDenied):
        services.application_submit(application=application, by=stranger)
    application.refresh_from_db()
    assert application.state == S.DRAFT
    assert application.reference is None
    assert AuditEvent.objects.count() == 0


def test_mark_eligible_from_draft_is_not_allowed(application, officer):
    with pytest.raises(TransitionNotAllowed):
        services.application_mark_eligible(application=application, by=officer)
    assert AuditEvent.objects.count() == 0
