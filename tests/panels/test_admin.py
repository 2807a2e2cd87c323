"""Manual override in admin: refusals with clear messages, the recorded reason, re-auth;
officer decisions on unsuitable experts."""

import time

import pytest
from allauth.account.internal.flows.login import (
    _AUTHENTICATION_METHODS_USER_SESSION_KEY,
    AUTHENTICATION_METHODS_SESSION_KEY,
)
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from accounts.enums import Role
from audit.models import AuditEvent
from panels.enums import AssignmentState, RequestDecision
from panels.models import Assignment
from panels.services import (
    assignment_override_add,
    assignment_override_swap,
    unsuitable_request_decide,
)
from tests.factories import ExpertProfileFactory, UserFactory
from tests.factories.panels import (
    ConflictDeclarationFactory,
    UnsuitableExpertRequestFactory,
)

pytestmark = pytest.mark.django_db


def _recently_authenticated(client, user):
    client.force_login(user)
    session = client.session
    session[_AUTHENTICATION_METHODS_USER_SESSION_KEY] = str(user.pk)
    session[AUTHENTICATION_METHODS_SESSION_KEY] = [
        {"method": "password", "at": time.time(), "email": user.email, "reauthenticated": True}
    ]
    session.save()


def _swap_target(world):
    """The drone0 invitation and the free battery2 expert (no conflict, load free)."""
    a = Assignment.objects.get(
        application=world["apps"]["drone"], expert=world["experts"]["drone0"]
    )
    return a, world["experts"]["battery2"]


def test_swap_replaces_and_records_the_reason(confirmed_world, django_capture_on_commit_callbacks):
    old, expert = _swap_target(confirmed_world)
    with django_capture_on_commit_callbacks(execute=True):
        new = assignment_override_swap(
            assignment=old, expert=expert, by=confirmed_world["officer"], reason="전문성 보강"
        )
    old.refresh_from_db()
    assert old.state == AssignmentState.REPLACED
    assert new.state == AssignmentState.INVITED
    assert new.expert == expert
    event = AuditEvent.objects.get(action="assignment:override_swap")
    assert event.comment == "전문성 보강"
    assert event.application == old.application
    assert event.data == {"replaced_expert": old.expert_id, "expert": expert.pk}


def test_swap_refused_when_the_expert_is_conflicted(confirmed_world):
    old, expert = _swap_target(confirmed_world)
    ConflictDeclarationFactory(expert=expert, application=old.application)
    with pytest.raises(ValidationError) as err:
        assignment_override_swap(
            assignment=old, expert=expert, by=confirmed_world["officer"], reason="x"
        )
    assert err.value.message_dict["expert"] == [
        "This expert has a conflict of interest: Declared by the expert."
    ]
    old.refresh_from_db()
    assert old.state == AssignmentState.INVITED


def test_swap_refused_when_the_expert_is_at_maximum_load(confirmed_world):
    old, _ = _swap_target(confirmed_world)
    busy = confirmed_world["experts"]["medical0"]  # holds its one review already
    with pytest.raises(ValidationError) as err:
        assignment_override_swap(
            assignment=old, expert=busy, by=confirmed_world["officer"], reason="x"
        )
    assert err.value.message_dict["expert"] == [
        "This expert already holds 1 reviews in this round (maximum 1)."
    ]


def test_swap_refused_without_reason(confirmed_world):
    old, expert = _swap_target(confirmed_world)
    with pytest.raises(ValidationError) as err:
        assignment_override_swap(
            assignment=old, expert=expert, by=confirmed_world["officer"], reason=" "
        )
    assert list(err.value.message_dict) == ["reason"]


def test_swap_refused_for_an_expert_outside_the_committee(confirmed_world):
    old, _ = _swap_target(confirmed_world)
    outsider = ExpertProfileFactory()
    with pytest.raises(ValidationError) as err:
        assignment_override_swap(
            assignment=old, expert=outsider, by=confirmed_world["officer"], reason="x"
        )
    assert err.value.message_dict["expert"] == [
        "This expert is not a member of the application's committee."
    ]


def test_swap_needs_an_officer(confirmed_world):
    old, expert = _swap_target(confirmed_world)
    with pytest.raises(PermissionDenied):
        assignment_override_swap(
            assignment=old, expert=expert, by=UserFactory(roles=[Role.EXPERT]), reason="x"
        )


def test_add_refused_when_the_application_is_full(confirmed_world):
    app = confirmed_world["apps"]["battery"]
    with pytest.raises(ValidationError) as err:
        assignment_override_add(
            application=app,
            expert=confirmed_world["experts"]["battery2"],
            by=confirmed_world["officer"],
            reason="x",
        )
    assert err.value.message_dict["expert"] == [
        "The application already has its 2 experts: replace one instead."
    ]


def test_add_fills_an_open_place(confirmed_world, django_capture_on_commit_callbacks):
    app = confirmed_world["apps"]["battery"]
    Assignment.objects.filter(
        application=app, expert=confirmed_world["experts"]["battery0"]
    ).update(state=AssignmentState.DECLINED)
    with django_capture_on_commit_callbacks(execute=True):
        a = assignment_override_add(
            application=app,
            expert=confirmed_world["experts"]["battery2"],
            by=confirmed_world["officer"],
            reason="수동 배정",
        )
    assert a.state == AssignmentState.INVITED
    assert a.affinity > 0
    assert AuditEvent.objects.get(action="assignment:override_add").comment == "수동 배정"


# --- Admin pages -----------------------------------------------------------------------


def test_swap_page_asks_to_confirm_identity_first(client, confirmed_world):
    old, _ = _swap_target(confirmed_world)
    client.force_login(confirmed_world["officer"])
    response = client.get(reverse("admin:panels_assignment_swap", args=[old.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate"))


def test_swap_page_shows_the_refusal_beside_the_field(client, confirmed_world):
    old, expert = _swap_target(confirmed_world)
    ConflictDeclarationFactory(expert=expert, application=old.application)
    _recently_authenticated(client, confirmed_world["officer"])
    response = client.post(
        reverse("admin:panels_assignment_swap", args=[old.pk]),
        {"expert": expert.pk, "reason": "전문성 보강"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["expert"] == [
        "This expert has a conflict of interest: Declared by the expert."
    ]
    assert response.context["form"]["reason"].value() == "전문성 보강"


def test_swap_page_success(client, confirmed_world, django_capture_on_commit_callbacks):
    old, expert = _swap_target(confirmed_world)
    _recently_authenticated(client, confirmed_world["officer"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:panels_assignment_swap", args=[old.pk]),
            {"expert": expert.pk, "reason": "전문성 보강"},
        )
    assert response.status_code == 302
    assert Assignment.objects.get(application=old.application, expert=expert).state == "invited"


def test_swap_page_needs_an_officer(client, confirmed_world):
    old, _ = _swap_target(confirmed_world)
    secretariat = UserFactory(roles=[Role.PANEL_SECRETARIAT], is_staff=True)
    _recently_authenticated(client, secretariat)
    response = client.get(reverse("admin:panels_assignment_swap", args=[old.pk]))
    assert response.status_code == 403


@pytest.mark.parametrize(
    "model",
    [
        "subfield",
        "committee",
        "expertprofile",
        "assignment",
        "unsuitableexpertrequest",
        "conflictdeclaration",
        "assignmentrun",
    ],
)
def test_admin_changelists_open_for_officers(client, confirmed_world, model):
    client.force_login(confirmed_world["officer"])
    assert client.get(reverse(f"admin:panels_{model}_changelist")).status_code == 200


def test_choose_application_by_reference(client, confirmed_world):
    app = confirmed_world["apps"]["battery"]
    client.force_login(confirmed_world["officer"])
    response = client.get(reverse("admin:panels_assignment_choose"), {"reference": app.reference})
    assert response["Location"] == reverse("admin:panels_assignment_add_expert", args=[app.pk])


# --- Unsuitable experts -----------------------------------------------------------------


def test_accepting_an_unsuitable_request_excludes_and_replaces(
    confirmed_world, django_capture_on_commit_callbacks
):
    app = confirmed_world["apps"]["battery"]
    named = confirmed_world["experts"]["battery0"]
    req = UnsuitableExpertRequestFactory(application=app)
    with django_capture_on_commit_callbacks(execute=True):
        unsuitable_request_decide(
            request=req, by=confirmed_world["officer"], accept=True, matched_expert=named
        )
    req.refresh_from_db()
    assert req.decision == RequestDecision.ACCEPTED
    assert req.matched_expert == named
    assert Assignment.objects.get(application=app, expert=named).state == AssignmentState.REPLACED
    assert (
        Assignment.objects.get(application=app, expert=confirmed_world["experts"]["battery2"]).state
        == AssignmentState.INVITED
    )
    assert AuditEvent.objects.filter(action="unsuitable:accept", application=app).count() == 1


def test_accepting_needs_the_matched_profile(confirmed_world):
    req = UnsuitableExpertRequestFactory(application=confirmed_world["apps"]["battery"])
    with pytest.raises(ValidationError):
        unsuitable_request_decide(request=req, by=confirmed_world["officer"], accept=True)


def test_refusing_and_deciding_twice(confirmed_world):
    req = UnsuitableExpertRequestFactory(application=confirmed_world["apps"]["battery"])
    unsuitable_request_decide(request=req, by=confirmed_world["officer"], accept=False)
    req.refresh_from_db()
    assert req.decision == RequestDecision.REFUSED
    with pytest.raises(ValidationError):
        unsuitable_request_decide(request=req, by=confirmed_world["officer"], accept=False)


def test_unsuitable_decision_needs_an_officer(confirmed_world):
    req = UnsuitableExpertRequestFactory(application=confirmed_world["apps"]["battery"])
    with pytest.raises(PermissionDenied):
        unsuitable_request_decide(
            request=req, by=UserFactory(roles=[Role.PANEL_SECRETARIAT]), accept=False
        )


def test_admin_action_accepts_with_the_matched_profile(client, confirmed_world):
    named = confirmed_world["experts"]["drone0"]
    req = UnsuitableExpertRequestFactory(
        application=confirmed_world["apps"]["drone"], matched_expert=named
    )
    client.force_login(confirmed_world["officer"])
    url = reverse("admin:panels_unsuitableexpertrequest_changelist")
    stale = client.post(url, {"action": "accept_requests", "_selected_action": [req.pk]})
    assert stale["Location"].startswith(reverse("account_reauthenticate"))
    req.refresh_from_db()
    assert req.decision == RequestDecision.PENDING
    _recently_authenticated(client, confirmed_world["officer"])
    response = client.post(
        url,
        {"action": "accept_requests", "_selected_action": [req.pk]},
    )
    assert response.status_code == 302
    req.refresh_from_db()
    assert req.decision == RequestDecision.ACCEPTED
    assert req.decided_by == confirmed_world["officer"]
