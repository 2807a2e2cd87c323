"""Every write to an application goes through a service here.

`application_transition` is the one gate for every state change; the named services
(`application_submit`, `application_certify`, ...) call it and add their own fields and
notifications."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import TransitionNotAllowed, can_proceed, has_transition_perm

from audit.services import audit_record
from notifications.enums import Event
from notifications.services import notify

from .models import Application, Sequence


def next_reference(year: int) -> str:
    return f"PPIR-{year}-{Sequence.next_value('application', year):05d}"


def application_transition(
    *,
    application: Application,
    by,
    transition: str,
    comment: str = "",
    data: dict | None = None,
    update_fields: tuple[str, ...] = (),
):
    """The gate for every state change of an application, in this order:

    1. refuse a transition that is not allowed from the current state (TransitionNotAllowed);
    2. refuse an actor without the transition's permission (PermissionDenied); `by=None`
       means the system itself (a scheduled task) and skips this check;
    3. call the transition method, which changes fields only;
    4. save, guarded by ConcurrentTransitionMixin: if another action changed the state
       since this one read it, ConcurrentTransition is raised and nothing is written;
    5. write the audit row (who, when, from, to, comment) in the same transaction.

    Side effects are the caller's, scheduled with transaction.on_commit (notify() does so).
    Returns the audit row."""
    method = getattr(application, transition)
    with transaction.atomic():
        if not can_proceed(method):
            raise TransitionNotAllowed(
                _("This action is not possible while the application is “%(state)s”.")
                % {"state": application.get_state_display()}
            )
        if by is not None and not has_transition_perm(method, by):
            raise PermissionDenied(_("You may not do this for this application."))
        from_state = application.state
        method()
        application.save()
        return audit_record(
            action=f"transition:{transition}",
            actor=by,
            application=application,
            from_state=from_state,
            to_state=application.state,
            comment=comment,
            data=data,
        )


def _owners(application: Application):
    from accounts.enums import MembershipStatus

    return [
        m.user
        for m in application.organisation.memberships.filter(
            status=MembershipStatus.APPROVED
        ).select_related("user")
    ]


def _ctx(application: Application, **extra) -> dict:
    from django.conf import settings

    return {
        "reference": application.reference or "",
        "product": application.product_name,
        "url": f"{settings.SITE_URL}/applications/{application.pk}/",
        **extra,
    }


def application_submit(*, application: Application, by) -> Application:
    """Submit a draft: assign the reference number, transition, audit, receipt after commit."""
    with transaction.atomic():
        if application.reference is None:
            application.reference = next_reference(timezone.localdate().year)
        application_transition(application=application, by=by, transition="submit")
        notify(
            recipients=_owners(application),
            event=Event.SUBMISSION_RECEIPT,
            key=f"{application.pk}:v{application.version}",
            context=_ctx(application),
            application=application,
        )
    return application


def application_mark_eligible(*, application: Application, by, comment: str = "") -> Application:
    with transaction.atomic():
        application_transition(
            application=application, by=by, transition="mark_eligible", comment=comment
        )
        notify(
            recipients=_owners(application),
            event=Event.SCREENING_RESULT,
            key=f"{application.pk}:eligible:v{application.version}",
            context=_ctx(application, message=_("Your application passed eligibility screening.")),
            application=application,
        )
    return application


def application_mark_ineligible(*, application: Application, by, reason: str) -> Application:
    if not reason.strip():
        raise ValueError(_("Give the reason the applicant will read."))
    with transaction.atomic():
        application.decision_reason = reason
        application_transition(
            application=application, by=by, transition="mark_ineligible", comment=reason
        )
        notify(
            recipients=_owners(application),
            event=Event.SCREENING_RESULT,
            key=f"{application.pk}:ineligible",
            context=_ctx(application, message=reason),
            application=application,
        )
    return application


def application_withdraw(*, application: Application, by, reason: str = "") -> Application:
    with transaction.atomic():
        application_transition(
            application=application, by=by, transition="withdraw", comment=reason
        )
    return application


def application_open_consensus(*, application: Application, by=None) -> Application:
    """All scores are in: the committee chair is asked for the consensus."""
    with transaction.atomic():
        application_transition(application=application, by=by, transition="open_consensus")
        committee = getattr(application.subfield, "committee", None)
        chair = committee.chair.user if committee and committee.chair else None
        notify(
            recipients=[chair],
            event=Event.CONSENSUS_NEEDED,
            key=f"{application.pk}:consensus:{application.history.count()}",
            context=_ctx(application),
            application=application,
        )
    return application


def application_certify(*, application: Application, by, reason: str = "") -> Application:
    with transaction.atomic():
        application.decision_reason = reason
        application_transition(application=application, by=by, transition="certify", comment=reason)
    return application


def application_reject(*, application: Application, by, reason: str) -> Application:
    if not reason.strip():
        raise ValueError(_("Give the reasons the applicant will read."))
    with transaction.atomic():
        application.decision_reason = reason
        application_transition(application=application, by=by, transition="reject", comment=reason)
    return application


# Simple services for the remaining transitions, so that every transition has one service
# (admin buttons and tests call them). The applicant, review and procurement work replace
# these with fuller ones and repoint applications/transitions.py.


def application_request_supplement(*, application: Application, by, reason: str) -> Application:
    """Ask the applicant to fix or add documents: check the reason, transition (gate:
    permission, save, audit row), then the notice to the organisation's members after commit."""
    if not reason.strip():
        raise ValueError(_("Say what the applicant must supplement."))
    with transaction.atomic():
        event = application_transition(
            application=application, by=by, transition="request_supplement", comment=reason
        )
        notify(
            recipients=_owners(application),
            event=Event.SUPPLEMENT_REQUESTED,
            key=f"{application.pk}:supplement:{event.pk}",
            context=_ctx(application, message=reason),
            application=application,
        )
    return application


def application_answer_supplement(
    *, application: Application, by, comment: str = ""
) -> Application:
    """The applicant sends the supplement back: transition (gate), audit row."""
    with transaction.atomic():
        application_transition(
            application=application, by=by, transition="answer_supplement", comment=comment
        )
    return application


def application_recommend(*, application: Application, by, comment: str = "") -> Application:
    """Panel consensus: recommended; the application goes to PPS suitability review."""
    with transaction.atomic():
        application_transition(
            application=application, by=by, transition="recommend", comment=comment
        )
    return application


def application_not_recommend(*, application: Application, by, comment: str = "") -> Application:
    """Panel consensus: not recommended; the application waits for the officer's decision."""
    with transaction.atomic():
        application_transition(
            application=application, by=by, transition="not_recommend", comment=comment
        )
    return application


def application_record_suitability(
    *, application: Application, by, comment: str = ""
) -> Application:
    """PPS has reviewed procurement suitability; the application waits for the decision."""
    with transaction.atomic():
        application_transition(
            application=application, by=by, transition="record_suitability", comment=comment
        )
    return application


def application_file_objection(*, application: Application, by, reason: str) -> Application:
    """The applicant objects to the result: check the grounds, transition (gate), audit row."""
    if not reason.strip():
        raise ValueError(_("Give the grounds of the objection."))
    with transaction.atomic():
        application_transition(
            application=application, by=by, transition="file_objection", comment=reason
        )
    return application


def application_accept_objection(*, application: Application, by, comment: str = "") -> Application:
    """The objection is upheld: the application goes back to expert review."""
    with transaction.atomic():
        application_transition(
            application=application, by=by, transition="accept_objection", comment=comment
        )
    return application


def application_dismiss_objection(*, application: Application, by, reason: str) -> Application:
    """The objection is dismissed with reasons the applicant will read."""
    if not reason.strip():
        raise ValueError(_("Give the reasons the applicant will read."))
    with transaction.atomic():
        application.decision_reason = reason
        application_transition(
            application=application, by=by, transition="dismiss_objection", comment=reason
        )
    return application
