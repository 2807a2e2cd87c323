"""Services of reviewer assignment: runs, confirmation, overrides, invitations, conflict
declarations and unsuitable-expert decisions. Re-exported by panels/services.py.

Each service: keyword-only typed arguments, one transaction.atomic(), a permission check
through the rules predicates, an audit row for every write that matters, side effects
(notifications, Celery tasks) scheduled with transaction.on_commit."""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from applications.enums import ApplicationState
from applications.models import Application, Round
from applications.rules import is_officer, is_programme_staff
from audit.services import audit_record
from notifications.enums import Event
from notifications.services import notify, product_name

from .affinity import affinity_matrix
from .conflicts import conflicts_for_pair, rule_label
from .enums import (
    ACTIVE_ASSIGNMENT_STATES,
    AssignmentRunState,
    AssignmentState,
    RequestDecision,
)
from .models import (
    Assignment,
    AssignmentRun,
    Committee,
    ConflictDeclaration,
    ExpertProfile,
    UnsuitableExpertRequest,
)

log = logging.getLogger(__name__)


def _audit(*, application=None, **kwargs):
    """An audit row; on an application's history it records the state unchanged (from and
    to the current state), so the history reads as one unbroken chain of states."""
    if application is not None:
        kwargs.setdefault("from_state", application.state)
        kwargs.setdefault("to_state", application.state)
    return audit_record(application=application, **kwargs)


def invitation_response_days() -> int:
    return int(getattr(settings, "PPIR_INVITATION_RESPONSE_DAYS", 5))


def _enqueue_run(run_id: int) -> None:
    from .tasks import run_assignment

    try:
        run_assignment.delay(run_id=run_id)
    except Exception:  # noqa: BLE001 - the broker may be down; requeue_stale_runs retries
        log.warning("broker unavailable; assignment run %s stays queued", run_id)


def requeue_stale_runs(*, older_than: dt.timedelta = dt.timedelta(minutes=5)) -> int:
    """Enqueue again runs still queued after `older_than` (the broker was down when they
    were launched). Safe: a run already started is left alone by the task."""
    stale = list(
        AssignmentRun.objects.filter(
            state=AssignmentRunState.QUEUED, created_at__lt=timezone.now() - older_than
        ).values_list("pk", flat=True)
    )
    for pk in stale:
        _enqueue_run(pk)
    return len(stale)


def _require_staff(by) -> None:
    if by is not None and not is_programme_staff(by):
        raise PermissionDenied(_("Only programme staff may do this."))


# ---------------------------------------------------------------------------------------
# Runs: launch, slot re-run, confirm, discard
# ---------------------------------------------------------------------------------------


def assignment_run_launch(
    *, round: Round, by, committee: Committee | None = None, reason: str = ""
) -> AssignmentRun:
    """Launch assignment for a round (all committees, or one):

    1. programme staff only;
    2. create the run (queued) and its audit row;
    3. after commit, the Celery task computes the proposal (panels.tasks.run_assignment)."""
    _require_staff(by)
    with transaction.atomic():
        run = AssignmentRun.objects.create(
            round=round, committee=committee, launched_by=by, reason=reason[:200]
        )
        _audit(action="assignment:launch", actor=by, obj=run, data={"round": round.code})
        transaction.on_commit(lambda: _enqueue_run(run.pk))
    return run


def assignment_run_for_application(
    *,
    application: Application,
    by=None,
    rereview: bool = False,
    confirm: bool = False,
    reason: str = "",
) -> AssignmentRun:
    """Assign the open slots of one application, keeping its other experts.

    Used after a decline, a recusal or a passed answer deadline (`confirm=True`: the
    replacement is invited at once), and by the objection work when an application returns
    to review (`rereview=True`: every expert who reviewed it before is excluded; the new
    assignments are marked re-review). Steps: permission (staff or the system, by=None),
    create the run, audit row, compute after commit."""
    _require_staff(by)
    with transaction.atomic():
        run = AssignmentRun.objects.create(
            round_id=application.round_id,
            application=application,
            is_rereview=rereview,
            auto_confirm=confirm,
            launched_by=by,
            reason=reason[:200],
        )
        _audit(
            action="assignment:rerun",
            actor=by,
            application=application,
            obj=run,
            comment=reason,
            data={"rereview": rereview},
        )
        transaction.on_commit(lambda: _enqueue_run(run.pk))
    return run


def _invite(assignments: list[Assignment], *, key: str) -> None:
    """Notify each expert once for the assignments given (grouped per expert)."""
    by_expert: dict[int, list[Assignment]] = defaultdict(list)
    for a in assignments:
        by_expert[a.expert_id].append(a)
    for items in by_expert.values():
        user = items[0].expert.user
        with translation.override(getattr(user, "language", None) or "ko"):
            deadline = date_format(timezone.localtime(items[0].respond_by), "DATETIME_FORMAT")
            message = ngettext(
                "You are invited to review %(count)d application.",
                "You are invited to review %(count)d applications.",
                len(items),
            ) % {"count": len(items)}
        notify(
            recipients=[user],
            event=Event.REVIEW_INVITATION,
            key=f"{key}:e{items[0].expert_id}",
            context={
                "message": message,
                "deadline": deadline,
                "url": f"{settings.SITE_URL}/reviews/invitations/",
                "reference": (items[0].application.reference or "") if len(items) == 1 else "",
                "product": product_name(items[0].application) if len(items) == 1 else "",
            },
            application=items[0].application if len(items) == 1 else None,
        )


def assignment_run_confirm(*, run: AssignmentRun, by) -> int:
    """Confirm a proposal:

    1. programme staff (or the system for a slot re-run);
    2. lock the run; only a proposal can be confirmed;
    3. its proposed assignments become invited, with an answer deadline;
    4. audit rows (the run, and each application's history);
    5. invitations through notify() after commit, one per expert.
    Returns the number of invitations."""
    _require_staff(by)
    with transaction.atomic():
        run = AssignmentRun.objects.select_for_update().get(pk=run.pk)
        if run.state != AssignmentRunState.PROPOSED:
            raise ValidationError(_("Only a proposal that is ready can be confirmed."))
        now = timezone.now()
        respond_by = now + dt.timedelta(days=invitation_response_days())
        rows = list(
            run.assignments.filter(state=AssignmentState.PROPOSED).select_related(
                "expert__user", "application"
            )
        )
        Assignment.objects.filter(pk__in=[a.pk for a in rows]).update(
            state=AssignmentState.INVITED, invited_at=now, respond_by=respond_by
        )
        for a in rows:
            a.state, a.invited_at, a.respond_by = AssignmentState.INVITED, now, respond_by
        run.state = AssignmentRunState.CONFIRMED
        run.decided_by, run.decided_at = by, now
        run.save(update_fields=["state", "decided_by", "decided_at"])
        _audit(action="assignment:confirm", actor=by, obj=run, data={"invitations": len(rows)})
        per_app: dict[int, list[Assignment]] = defaultdict(list)
        for a in rows:
            per_app[a.application_id].append(a)
        for items in per_app.values():
            _audit(
                action="assignment:invite",
                actor=by,
                application=items[0].application,
                obj=run,
                data={"experts": [a.expert_id for a in items]},
            )
        _invite(rows, key=f"run{run.pk}")
    return len(rows)


def assignment_run_discard(*, run: AssignmentRun, by, comment: str = "") -> AssignmentRun:
    """Discard a proposal, or stop a run that is queued or stuck: its proposed rows are
    deleted, the run kept for the record. A computation still going finds the run
    discarded when it comes to write, and writes nothing."""
    _require_staff(by)
    with transaction.atomic():
        run = AssignmentRun.objects.select_for_update().get(pk=run.pk)
        if run.state in (AssignmentRunState.CONFIRMED, AssignmentRunState.DISCARDED):
            raise ValidationError(_("This run was already confirmed or discarded."))
        run.assignments.filter(state=AssignmentState.PROPOSED).delete()
        run.state = AssignmentRunState.DISCARDED
        run.decided_by, run.decided_at = by, timezone.now()
        run.save(update_fields=["state", "decided_by", "decided_at"])
        _audit(action="assignment:discard", actor=by, obj=run, comment=comment)
    return run


# ---------------------------------------------------------------------------------------
# Manual override (admin)
# ---------------------------------------------------------------------------------------


def expert_round_load(*, expert: ExpertProfile, round_id: int) -> int:
    return Assignment.objects.filter(
        expert=expert, application__round_id=round_id, state__in=ACTIVE_ASSIGNMENT_STATES
    ).count()


def pair_affinity(*, expert: ExpertProfile, application: Application) -> float:
    """Affinity of one pair, with the idf of the application's round and sub-field."""
    corpus = list(
        Application.objects.filter(
            round_id=application.round_id,
            subfield_id=application.subfield_id,
            state=ApplicationState.IN_REVIEW,
        )
        .exclude(pk=application.pk)
        .prefetch_related("rd_projects")
    )

    def text(app: Application) -> str:
        parts = [app.product_name, app.product_name_en, app.product_description]
        for p in app.rd_projects.all():
            parts += [p.title, p.title_en]
        return " ".join(parts)

    texts = [text(application)] + [text(a) for a in corpus]
    return round(float(affinity_matrix([expert.keywords], texts)[0, 0]), 6)


def _check_override(*, application: Application, expert: ExpertProfile, reason: str) -> None:
    """Refuse, with a message the officer can act on, a pair that breaks a rule."""
    errors = []
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for this change; it is recorded.")})
    if application.state != ApplicationState.IN_REVIEW:
        errors.append(_("Experts can be changed only while the application is in expert review."))
    if not expert.is_active:
        errors.append(_("This expert is not active."))
    if not expert.subfields.filter(pk=application.subfield_id).exists():
        errors.append(_("This expert is not a member of the application's committee."))
    if Assignment.objects.filter(application=application, expert=expert).exists():
        errors.append(
            _(
                "This expert was already assigned to this application (experts who declined, "
                "recused or were replaced are not asked again)."
            )
        )
    rules_fired = conflicts_for_pair(expert=expert, application=application)
    if rules_fired:
        errors.append(
            _("This expert has a conflict of interest: %(rules)s.")
            % {"rules": "; ".join(rule_label(r) for r in rules_fired)}
        )
    current = expert_round_load(expert=expert, round_id=application.round_id)
    if current >= expert.max_load:
        errors.append(
            _("This expert already holds %(load)d reviews in this round (maximum %(max)d).")
            % {"load": current, "max": expert.max_load}
        )
    if errors:
        raise ValidationError({"expert": errors})


def _new_assignment(*, application, expert, state, run=None, is_rereview=False) -> Assignment:
    now = timezone.now()
    invited = state == AssignmentState.INVITED
    return Assignment.objects.create(
        application=application,
        expert=expert,
        state=state,
        run=run,
        is_rereview=is_rereview,
        affinity=pair_affinity(expert=expert, application=application),
        invited_at=now if invited else None,
        respond_by=now + dt.timedelta(days=invitation_response_days()) if invited else None,
    )


def assignment_override_add(
    *, application: Application, expert: ExpertProfile, by, reason: str
) -> Assignment:
    """Add an expert to an application by hand:

    1. officer only;
    2. refused if the pair is conflicted, the expert is at maximum load, not in the
       committee, asked before, or the application already has its full number;
    3. the assignment is created invited and the expert notified after commit;
    4. audit row on the application with the officer's reason."""
    if not is_officer(by):
        raise PermissionDenied(_("Only officers may change assignments."))
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=application.pk)
        _check_override(application=application, expert=expert, reason=reason)
        k = application.round.reviewers_per_application
        active = application.assignments.filter(state__in=ACTIVE_ASSIGNMENT_STATES).count()
        if active >= k:
            raise ValidationError(
                {
                    "expert": _(
                        "The application already has its %(k)d experts: replace one instead."
                    )
                    % {"k": k}
                }
            )
        rereview = application.assignments.filter(
            is_rereview=True, state__in=ACTIVE_ASSIGNMENT_STATES
        ).exists()
        assignment = _new_assignment(
            application=application,
            expert=expert,
            state=AssignmentState.INVITED,
            is_rereview=rereview,
        )
        _audit(
            action="assignment:override_add",
            actor=by,
            application=application,
            obj=assignment,
            comment=reason,
            data={"expert": expert.pk},
        )
        _invite([assignment], key=f"a{assignment.pk}")
    return assignment


def assignment_override_swap(
    *, assignment: Assignment, expert: ExpertProfile, by, reason: str
) -> Assignment:
    """Replace the expert of an assignment by hand:

    1. officer only; the old assignment must still hold its slot;
    2. the same refusals as adding (conflict, load, committee, asked before);
    3. the old assignment becomes replaced; the new one takes its place: proposed in the
       same run if the old one was only proposed, otherwise invited and notified;
    4. audit row on the application with the officer's reason."""
    if not is_officer(by):
        raise PermissionDenied(_("Only officers may change assignments."))
    with transaction.atomic():
        old = (
            Assignment.objects.select_for_update()
            .select_related("application")
            .get(pk=assignment.pk)
        )
        if old.state not in ACTIVE_ASSIGNMENT_STATES:
            raise ValidationError(
                {"expert": _("This assignment no longer holds a place: add an expert instead.")}
            )
        application = old.application
        _check_override(application=application, expert=expert, reason=reason)
        was_proposed = old.state == AssignmentState.PROPOSED
        old.state = AssignmentState.REPLACED
        old.save(update_fields=["state"])
        new = _new_assignment(
            application=application,
            expert=expert,
            state=AssignmentState.PROPOSED if was_proposed else AssignmentState.INVITED,
            run=old.run if was_proposed else None,
            is_rereview=old.is_rereview,
        )
        _audit(
            action="assignment:override_swap",
            actor=by,
            application=application,
            obj=new,
            comment=reason,
            data={"replaced_expert": old.expert_id, "expert": expert.pk},
        )
        if not was_proposed:
            _invite([new], key=f"a{new.pk}")
    return new


# ---------------------------------------------------------------------------------------
# Invitations: accept, decline, declare a conflict or recuse, deadline passed
# ---------------------------------------------------------------------------------------


def _own_assignment(assignment: Assignment, by) -> Assignment:
    locked = (
        Assignment.objects.select_for_update()
        .select_related("expert", "application")
        .get(pk=assignment.pk)
    )
    if by is None or locked.expert.user_id != by.pk:
        raise PermissionDenied(_("This invitation is not yours."))
    return locked


def invitation_accept(*, assignment: Assignment, by) -> Assignment:
    """The expert accepts: only an open invitation before its deadline; audit row."""
    with transaction.atomic():
        a = _own_assignment(assignment, by)
        if a.state != AssignmentState.INVITED:
            raise ValidationError(_("This invitation is no longer open."))
        if a.respond_by and a.respond_by < timezone.now():
            raise ValidationError(_("The deadline to answer this invitation has passed."))
        a.state = AssignmentState.ACCEPTED
        a.responded_at = timezone.now()
        a.save(update_fields=["state", "responded_at"])
        _audit(action="assignment:accept", actor=by, application=a.application, obj=a)
    return a


def invitation_decline(*, assignment: Assignment, by, reason: str) -> Assignment:
    """The expert declines with a reason: the slot is re-assigned after commit, keeping
    the application's other experts."""
    if not reason.strip():
        raise ValidationError({"reason": _("Tell us briefly why you decline.")})
    with transaction.atomic():
        a = _own_assignment(assignment, by)
        if a.state != AssignmentState.INVITED:
            raise ValidationError(_("This invitation is no longer open."))
        a.state = AssignmentState.DECLINED
        a.decline_reason = reason.strip()
        a.responded_at = timezone.now()
        a.save(update_fields=["state", "decline_reason", "responded_at"])
        _audit(
            action="assignment:decline",
            actor=by,
            application=a.application,
            obj=a,
            comment=a.decline_reason,
        )
        assignment_run_for_application(
            application=a.application, by=None, confirm=True, reason="declined"
        )
    return a


def conflict_declare(
    *, assignment: Assignment, by, reason: str, is_recusal: bool = False
) -> ConflictDeclaration:
    """The expert declares a conflict (or recuses) for an application assigned to them:

    1. their own assignment only, while it holds a place;
    2. the declaration is recorded (a conflict rule from now on) and the assignment
       becomes recused;
    3. audit row; the slot is re-assigned after commit."""
    if not reason.strip():
        raise ValidationError({"reason": _("Describe the conflict or the reason to recuse.")})
    with transaction.atomic():
        a = _own_assignment(assignment, by)
        if a.state not in ACTIVE_ASSIGNMENT_STATES:
            raise ValidationError(_("This assignment is no longer open."))
        declaration, created = ConflictDeclaration.objects.get_or_create(
            expert=a.expert,
            application=a.application,
            defaults={"reason": reason.strip(), "is_recusal": is_recusal},
        )
        a.state = AssignmentState.RECUSED
        a.responded_at = a.responded_at or timezone.now()
        a.save(update_fields=["state", "responded_at"])
        _audit(
            action="assignment:recuse" if is_recusal else "assignment:declare_conflict",
            actor=by,
            application=a.application,
            obj=a,
            comment=reason.strip(),
        )
        if a.application.state == ApplicationState.IN_REVIEW:
            assignment_run_for_application(
                application=a.application, by=None, confirm=True, reason="recused"
            )
    return declaration


def invitations_expire(*, now: dt.datetime | None = None) -> int:
    """Invitations not answered by their deadline lapse; each application affected gets
    one slot re-run. Safe to run twice: a lapsed invitation is no longer INVITED."""
    now = now or timezone.now()
    with transaction.atomic():
        overdue = list(
            Assignment.objects.select_for_update()
            .filter(state=AssignmentState.INVITED, respond_by__lt=now)
            .select_related("application")
        )
        if not overdue:
            return 0
        Assignment.objects.filter(pk__in=[a.pk for a in overdue]).update(
            state=AssignmentState.EXPIRED
        )
        apps = {a.application_id: a.application for a in overdue}
        for a in overdue:
            _audit(action="assignment:expired", actor=None, application=a.application, obj=a)
        for application in apps.values():
            if application.state == ApplicationState.IN_REVIEW:
                assignment_run_for_application(
                    application=application, by=None, confirm=True, reason="expired"
                )
    return len(overdue)


# ---------------------------------------------------------------------------------------
# Unsuitable experts named by applicants (officer decision)
# ---------------------------------------------------------------------------------------


def unsuitable_request_decide(
    *,
    request: UnsuitableExpertRequest,
    by,
    accept: bool,
    matched_expert: ExpertProfile | None = None,
    comment: str = "",
) -> UnsuitableExpertRequest:
    """An officer accepts (matching the expert profile) or refuses an applicant's request:

    1. officer only; a pending request only; accepting needs the matched profile;
    2. record the decision; audit row on the application;
    3. if accepted and the expert holds a place on the application, that assignment is
       replaced and the slot re-assigned after commit."""
    if not is_officer(by):
        raise PermissionDenied(_("Only officers may decide these requests."))
    with transaction.atomic():
        req = (
            UnsuitableExpertRequest.objects.select_for_update()
            .select_related("application")
            .get(pk=request.pk)
        )
        if req.decision != RequestDecision.PENDING:
            raise ValidationError(_("This request has already been decided."))
        matched = matched_expert or req.matched_expert
        if accept and matched is None:
            raise ValidationError(
                {"matched_expert": _("Choose the expert profile this request names.")}
            )
        req.decision = RequestDecision.ACCEPTED if accept else RequestDecision.REFUSED
        req.matched_expert = matched if accept else req.matched_expert
        req.decided_by, req.decided_at = by, timezone.now()
        req.save(update_fields=["decision", "matched_expert", "decided_by", "decided_at"])
        _audit(
            action="unsuitable:accept" if accept else "unsuitable:refuse",
            actor=by,
            application=req.application,
            obj=req,
            comment=comment,
            data={"expert": matched.pk if (accept and matched) else None},
        )
        if accept:
            replaced = Assignment.objects.filter(
                application=req.application,
                expert=matched,
                state__in=ACTIVE_ASSIGNMENT_STATES,
            ).update(state=AssignmentState.REPLACED)
            if replaced and req.application.state == ApplicationState.IN_REVIEW:
                assignment_run_for_application(
                    application=req.application,
                    by=None,
                    confirm=True,
                    reason="unsuitable",
                )
    return req


def committee_loads(*, round: Round) -> dict[int, int]:
    """Expert id → active assignments in the round (one query)."""
    return dict(
        Assignment.objects.filter(application__round=round, state__in=ACTIVE_ASSIGNMENT_STATES)
        .values("expert_id")
        .annotate(n=Count("pk"))
        .values_list("expert_id", "n")
    )
