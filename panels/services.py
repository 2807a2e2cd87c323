"""Writes for expert review. Each action is one service: keyword-only arguments, one
transaction, permission through panels.rules, state changes through
applications.services.application_transition, an audit row, side effects via notify()."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from applications.enums import ApplicationState
from applications.models import Application, Round, RubricCriterion, RubricGate
from applications.services import application_open_consensus, application_transition
from audit.services import audit_record
from notifications.enums import Event
from notifications.services import notify, product_name

from . import rules as r
from . import scoring

# ---------------------------------------------------------------------------------------
# Scoring and consensus (review-scoring work)
# ---------------------------------------------------------------------------------------
# --- Assignment, overrides, invitations, conflict declarations (assignment work) ---------
from .assignment_services import (  # noqa: F401 - re-exported: callers use panels.services
    assignment_override_add,
    assignment_override_swap,
    assignment_run_confirm,
    assignment_run_discard,
    assignment_run_for_application,
    assignment_run_launch,
    conflict_declare,
    invitation_accept,
    invitation_decline,
    invitations_expire,
    unsuitable_request_decide,
)
from .enums import REVIEWING_ASSIGNMENT_STATES, AssignmentState, PanelMeetingKind, ReviewState
from .models import (
    Assignment,
    Committee,
    ConflictDeclaration,
    Consensus,
    CriterionScore,
    PanelClosure,
    Review,
)


class ReviewClosed(Exception):
    """The panel is closed for this application: reviews can no longer change."""


@dataclass(frozen=True)
class GateAnswer:
    passed: bool | None
    comment: str = ""


@dataclass(frozen=True)
class CriterionAnswer:
    score: int | None
    comment: str = ""


def panel_is_open(*, application: Application, assignment: Assignment | None = None) -> bool:
    """Reviews may change while the application is in review and no officer has closed
    the round's panel (for its committee or for all committees). With an assignment: and it
    belongs to the current cycle (an original evaluator cannot change an old review while
    the re-review panel works)."""
    from .selectors import current_panel

    if application.state != ApplicationState.IN_REVIEW:
        return False
    if assignment is not None and not current_panel(application).filter(pk=assignment.pk).exists():
        return False
    return not PanelClosure.objects.filter(
        Q(committee__isnull=True) | Q(committee__subfield_id=application.subfield_id),
        round_id=application.round_id,
    ).exists()


def review_errors(
    *,
    gates: list[RubricGate],
    criteria: list[RubricCriterion],
    gate_answers: dict[str, GateAnswer],
    answers: dict[int, CriterionAnswer],
    overall_opinion: str,
    submit: bool,
) -> dict[str, str]:
    """Field name → message for every problem. A draft may be incomplete but never out of
    range; a submission must be complete. The form shows these beside the fields."""
    errors: dict[str, str] = {}
    for g in gates:
        answer = gate_answers.get(g.code) or GateAnswer(None)
        if submit and answer.passed is None:
            errors[f"gate_{g.code}"] = _("Choose pass or fail.")
        if submit and answer.passed is False and not answer.comment.strip():
            errors[f"gate_{g.code}_comment"] = _("Explain why the application fails this gate.")
    for c in criteria:
        answer = answers.get(c.pk) or CriterionAnswer(None)
        if answer.score is None:
            if submit:
                errors[f"score_{c.pk}"] = _("Give a score from 0 to %(max)d.") % {
                    "max": c.max_score
                }
        elif not 0 <= answer.score <= c.max_score:
            errors[f"score_{c.pk}"] = _("The score must be between 0 and %(max)d.") % {
                "max": c.max_score
            }
        if submit and not answer.comment.strip():
            errors[f"comment_{c.pk}"] = _("Write a comment for this criterion.")
    if submit and not overall_opinion.strip():
        errors["overall_opinion"] = _("Write your overall opinion.")
    return errors


def review_sign_pledge(*, assignment: Assignment, by) -> Assignment:
    """Sign the no-conflict pledge for one assignment:

    1. lock the assignment; refuse anyone but its own expert, who must have accepted the
       invitation and declared no conflict on it (PermissionDenied);
    2. record the time once (signing again changes nothing);
    3. write the audit row in the same transaction."""
    with transaction.atomic():
        locked = Assignment.objects.select_for_update().get(pk=assignment.pk)
        if locked.expert.user_id != getattr(by, "pk", None) or not r.is_assigned_expert(
            by, locked.application
        ):
            raise PermissionDenied(_("You are not assigned to this application."))
        if locked.state != AssignmentState.ACCEPTED:
            # The full application opens to experts who have accepted the invitation.
            raise PermissionDenied(_("Accept the invitation before signing the pledge."))
        if locked.pledge_signed_at is None:
            locked.pledge_signed_at = timezone.now()
            locked.save(update_fields=["pledge_signed_at"])
            audit_record(
                action="review:pledge_signed",
                actor=by,
                application=locked.application,
                obj=locked,
            )
    return locked


def _get_or_create(model, **lookup):
    """get_or_create that survives a concurrent insert of the same unique row."""
    try:
        with transaction.atomic():
            return model.objects.get_or_create(**lookup)[0]
    except IntegrityError:
        return model.objects.get(**lookup)


def _snapshot(review: Review, scores: dict[int, CriterionScore]) -> dict:
    return {
        "gates": review.gates or {},
        "overall_opinion": review.overall_opinion,
        "scores": {str(cid): [s.score, s.comment] for cid, s in sorted(scores.items())},
    }


def _changes(old: dict, new: dict) -> dict:
    changed = {}
    for key in ("gates", "overall_opinion"):
        if old[key] != new[key]:
            changed[key] = {"old": old[key], "new": new[key]}
    for cid, value in new["scores"].items():
        if old["scores"].get(cid) != value:
            changed[f"criterion:{cid}"] = {"old": old["scores"].get(cid), "new": value}
    return changed


def review_save(
    *,
    assignment: Assignment,
    by,
    gate_answers: dict[str, GateAnswer],
    answers: dict[int, CriterionAnswer],
    overall_opinion: str,
    submit: bool = False,
) -> Review:
    """Save an expert's review as a draft, submit it, or change it after submission:

    1. lock the application row, then the assignment, so two saves of the same review (or
       two experts submitting the last reviews) run one after the other;
    2. refuse anyone but the assigned expert who signed the pledge (PermissionDenied), and
       any change once the panel is closed (ReviewClosed);
    3. check the answers (ValidationError with a message per field);
    4. get or create the one Review and one CriterionScore per criterion (unique
       constraints; a concurrent insert is caught and the existing row used);
    5. store the answers and the weighted total (when every score is given);
    6. audit: the submission, and every later change with old and new values;
    7. when this was the last review of the panel, open the consensus (system action),
       which notifies the committee chair after commit."""
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=assignment.application_id)
        locked = (
            Assignment.objects.select_for_update().select_related("expert").get(pk=assignment.pk)
        )
        locked.application = application
        if locked.expert.user_id != getattr(by, "pk", None) or not (
            r.can_see_application_content(by, application)
        ):
            raise PermissionDenied(_("You may not review this application."))
        if not panel_is_open(application=application, assignment=locked):
            raise ReviewClosed(_("The panel is closed: this review can no longer be changed."))
        gates = list(application.round.gates.all())
        criteria = list(application.round.criteria.all())
        # A submitted review stays complete: its changes are checked like a submission.
        submit = (
            submit or Review.objects.filter(assignment=locked, state=ReviewState.SUBMITTED).exists()
        )
        errors = review_errors(
            gates=gates,
            criteria=criteria,
            gate_answers=gate_answers,
            answers=answers,
            overall_opinion=overall_opinion,
            submit=submit,
        )
        if errors:
            raise ValidationError(errors)

        review = _get_or_create(Review, assignment=locked)
        review = Review.objects.select_for_update().get(pk=review.pk)
        scores = {s.criterion_id: s for s in review.scores.all()}
        old = _snapshot(review, scores)
        was_submitted = review.state == ReviewState.SUBMITTED

        review.gates = {
            g.code: {
                "passed": (gate_answers.get(g.code) or GateAnswer(None)).passed,
                "comment": (gate_answers.get(g.code) or GateAnswer(None)).comment.strip(),
            }
            for g in gates
        }
        review.overall_opinion = overall_opinion.strip()
        values = []
        for c in criteria:
            answer = answers.get(c.pk) or CriterionAnswer(None)
            score = scores.get(c.pk) or _get_or_create(CriterionScore, review=review, criterion=c)
            scores[c.pk] = score
            if (score.score, score.comment) != (answer.score, answer.comment.strip()):
                score.score = answer.score
                score.comment = answer.comment.strip()
                score.save(update_fields=["score", "comment"])
            if answer.score is not None:
                values.append(
                    scoring.CriterionValue(
                        score=answer.score, max_score=c.max_score, weight=c.weight
                    )
                )
        review.weighted_total = (
            scoring.weighted_total(values) if len(values) == len(criteria) else None
        )
        newly_submitted = submit and not was_submitted
        if newly_submitted:
            review.state = ReviewState.SUBMITTED
            review.submitted_at = timezone.now()
        review.save()

        if newly_submitted:
            audit_record(
                action="review:submitted",
                actor=by,
                application=application,
                obj=review,
                data={"weighted_total": str(review.weighted_total)},
            )
        elif was_submitted:
            changes = _changes(old, _snapshot(review, scores))
            if changes:
                audit_record(
                    action="review:changed_after_submission",
                    actor=by,
                    application=application,
                    obj=review,
                    data=changes,
                )
        if newly_submitted and _panel_complete(application):
            application_open_consensus(application=application, by=None)
    return review


def _panel_complete(application: Application) -> bool:
    """Every invited or accepted expert has submitted, and at least the round's number."""
    from .selectors import current_panel

    active = current_panel(application)
    total = active.count()
    submitted = active.filter(review__state=ReviewState.SUBMITTED).count()
    return total == submitted and submitted >= application.round.reviewers_per_application


def panel_close(*, round: Round, by, committee: Committee | None = None) -> PanelClosure:
    """Close a round's panel (one committee, or all): experts can no longer change reviews.

    1. refuse anyone but programme staff (PermissionDenied);
    2. record the closure once; 3. audit row."""
    if not r.is_programme_staff(by):
        raise PermissionDenied(_("Only programme staff may close a panel."))
    with transaction.atomic():
        closure, created = PanelClosure.objects.get_or_create(
            round=round, committee=committee, defaults={"closed_by": by}
        )
        if created:
            audit_record(
                action="panel:closed",
                actor=by,
                obj=closure,
                data={"round": round.code, "committee": committee.pk if committee else None},
            )
    return closure


def consensus_record(
    *,
    application: Application,
    by,
    score: Decimal,
    opinion: str,
    recommended: bool,
    meeting_kind: str = "",
    meeting_date: dt.date | None = None,
    meeting_notes: str = "",
) -> Consensus:
    """The committee chair records the panel's consensus and the application moves on:

    1. check the input (ValidationError: score 0-100, an opinion, a known meeting kind);
    2. lock the application; refuse anyone but the chair of its committee (PermissionDenied);
    3. transition recommend (to the PPS suitability review) or not_recommend (to the
       officer's decision) through application_transition, which refuses any state but
       CONSENSUS (TransitionNotAllowed) and writes the state-change audit row;
    4. write the Consensus row and its own audit row, in the same transaction."""
    errors = {}
    try:
        score = Decimal(score)
    except (InvalidOperation, TypeError, ValueError):
        errors["score"] = _("Enter the consensus score as a number from 0 to 100.")
    else:
        if not Decimal(0) <= score <= Decimal(100):
            errors["score"] = _("The consensus score must be between 0 and 100.")
    if not opinion.strip():
        errors["opinion"] = _("Write the panel's consensus opinion.")
    if meeting_kind and meeting_kind not in PanelMeetingKind.values:
        errors["meeting_kind"] = _("Choose interview or site visit.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=application.pk)
        if not r.can_chair_consensus(by, application):
            raise PermissionDenied(_("Only the committee chair records the consensus."))
        application_transition(
            application=application,
            by=by,
            transition="recommend" if recommended else "not_recommend",
            comment=opinion.strip(),
        )
        consensus = Consensus.objects.create(
            application=application,
            chair=getattr(by, "expert_profile", None),
            score=score.quantize(scoring.CENT),
            opinion=opinion.strip(),
            recommended=recommended,
            meeting_kind=meeting_kind,
            meeting_date=meeting_date,
            interview_notes=meeting_notes.strip(),
            is_rereview=application.assignments.filter(
                is_rereview=True, state__in=REVIEWING_ASSIGNMENT_STATES
            ).exists(),
        )
        audit_record(
            action="consensus:recorded",
            actor=by,
            application=application,
            obj=consensus,
            data={"score": str(consensus.score), "recommended": recommended},
        )
    return consensus


def review_reminders_send(*, now: dt.datetime | None = None) -> int:
    """Remind experts whose review is not submitted: 3 days and 1 day before the round's
    review deadline, then every day while it is overdue. The notification key holds the
    assignment and the day (Asia/Seoul), so a second run on the same day sends nothing.
    Returns the number of reminders written."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    declared = ConflictDeclaration.objects.filter(
        expert=OuterRef("expert"), application=OuterRef("application")
    )
    pending = (
        Assignment.objects.filter(
            state__in=REVIEWING_ASSIGNMENT_STATES,
            application__state=ApplicationState.IN_REVIEW,
            application__round__review_deadline__isnull=False,
        )
        .exclude(review__state=ReviewState.SUBMITTED)
        .exclude(Exists(declared))
        .select_related("expert__user", "application__round")
        .order_by("pk")
    )
    sent = 0
    for a in pending:
        deadline = a.application.round.review_deadline
        left = (timezone.localdate(deadline) - today).days
        if not (left in (3, 1) or deadline < now):
            continue
        user = a.expert.user
        with translation.override(getattr(user, "language", "") or "ko"):
            if deadline < now:
                message = _(
                    "Your review was due on %(deadline)s. Please submit it as soon as you can."
                )
            else:
                message = ngettext(
                    "Your review is due on %(deadline)s: %(days)d day left.",
                    "Your review is due on %(deadline)s: %(days)d days left.",
                    left,
                )
            message = message % {
                "deadline": timezone.localtime(deadline).strftime("%Y-%m-%d %H:%M"),
                "days": left,
            }
        with transaction.atomic():
            sent += len(
                notify(
                    recipients=[user],
                    event=Event.REVIEW_REMINDER,
                    key=f"{a.pk}:{today.isoformat()}",
                    context={
                        "reference": a.application.reference or "",
                        "product": product_name(a.application),
                        "deadline": timezone.localtime(deadline).strftime("%Y-%m-%d %H:%M"),
                        "days_left": left,
                        "overdue": deadline < now,
                        "message": message,
                        "url": f"{settings.SITE_URL}/reviews/applications/{a.application_id}/",
                    },
                    application=a.application,
                )
            )
    return sent
