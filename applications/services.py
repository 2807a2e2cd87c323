"""Every write to an application goes through a service here.

`application_transition` is the one gate for every state change; the named services
(`application_submit`, `application_certify`, ...) call it and add their own fields and
notifications."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_fsm import ConcurrentTransition, TransitionNotAllowed, can_proceed, has_transition_perm

from audit.services import audit_record
from notifications.enums import Event
from notifications.services import Localized, notify, product_name

from .enums import EDITABLE_BY_APPLICANT, ApplicationState, RoundState
from .models import (
    Application,
    ApplicationDocument,
    ApplicationVersion,
    EligibilityFlag,
    RDProject,
    Sequence,
    SupplementRequest,
)
from .rules import can_edit_draft, can_screen, is_application_owner

# Every way a write service refuses; pages and admin show refusal_message(), never a 500.
REFUSALS = (
    TransitionNotAllowed,
    ConcurrentTransition,
    PermissionDenied,
    ValueError,
    ValidationError,
)


def refusal_message(exc: Exception) -> str:
    """A sentence the person can act on, for every way a service can refuse."""
    if isinstance(exc, ConcurrentTransition):
        return _(
            "Someone else changed this application at the same moment. "
            "Reload the page to see its current status."
        )
    if isinstance(exc, ValidationError):
        return " ".join(str(m) for m in exc.messages)
    if isinstance(exc, PermissionDenied) and not str(exc):
        return _("You may not do this for this application.")
    return str(exc)


class SubmissionBlocked(ValidationError):
    """A required answer is missing, or the eligibility pre-check found a failing rule that an
    officer may not judge."""


class RoundClosed(ValidationError):
    """The round does not accept submissions now."""


class ScreeningBlocked(ValidationError):
    """A screening action is not possible until something else is done first."""


def _local(when) -> str:
    return timezone.localtime(when).strftime("%Y-%m-%d %H:%M")


def _rule_label(code: str):
    from .eligibility import RULE_LABELS

    return RULE_LABELS.get(code, code)


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
    4. save, guarded twice: ConcurrentTransitionMixin raises ConcurrentTransition if another
       action changed the state since this one read it, and so does a changed version (an
       officer's correction or a supplement answer in the meantime: a full save of the
       stale copy would silently undo it); nothing is written then;
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
        stored = (
            Application.objects.select_for_update()
            .filter(pk=application.pk)
            .values_list("version", flat=True)
            .first()
        )
        if stored is not None and stored != application.version:
            raise ConcurrentTransition("The application changed since it was read.")
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
        "product": product_name(application),
        "url": f"{settings.SITE_URL}/applications/{application.pk}/",
        **extra,
    }


def application_submit(*, application: Application, by, as_of=None) -> Application:
    """Submit a draft, in this order:

    1. lock the row; refuse a person who is not a member of the owning organisation, and
       refuse if the round is not open now (server time, Asia/Seoul) or, when `as_of` is
       given, at that moment (the demo builds its history of a closed round this way);
    2. refuse (SubmissionBlocked) while a question the wizard requires is unanswered (a
       step can be skipped by its link), then run the eligibility pre-check and refuse if a
       rule an officer may not judge fails;
    3. assign the reference number and transition through application_transition (permission,
       audit row);
    4. store each rule's verdict as an EligibilityFlag for screening, and the submitted
       content as ApplicationVersion number `version`;
    5. the receipt by notify(), sent after commit."""
    from . import eligibility, selectors

    with transaction.atomic():
        Application.objects.select_for_update().filter(pk=application.pk).first()
        if by is not None and not is_application_owner(by, application):
            raise PermissionDenied(_("You may not do this for this application."))
        when = as_of or timezone.now()
        if (
            application.state == ApplicationState.DRAFT
            and application.round.state_at(when) != RoundState.OPEN
        ):
            raise RoundClosed(
                _("Submissions for this round closed at %(deadline)s (Korea time).")
                % {"deadline": _local(application.round.closes_at)}
            )
        fresh = selectors.application_with_content(pk=application.pk)
        gaps = selectors.submission_gaps(fresh)
        if gaps and application.state == ApplicationState.DRAFT:
            missing = ", ".join(name for gap in gaps for name in gap["fields"])
            raise SubmissionBlocked(
                [_("Answer every required question: %(fields)s.") % {"fields": missing}]
            )
        results = eligibility.check(fresh)
        failing = eligibility.blocking(results)
        if failing and application.state == ApplicationState.DRAFT:
            raise SubmissionBlocked([f"{r.label}: {r.reason}" for r in failing])
        if application.reference is None:
            application.reference = next_reference(timezone.localdate().year)
        application_transition(application=application, by=by, transition="submit")
        _store_flags(application=application, results=results)
        _store_version(application=application, by=by)
        notify(
            recipients=_owners(application),
            event=Event.SUBMISSION_RECEIPT,
            key=f"{application.pk}:v{application.version}",
            context=_ctx(application),
            application=application,
        )
    return application


def application_mark_eligible(*, application: Application, by, comment: str = "") -> Application:
    """Screening passed: on to expert review. Every failing verdict, the ones flagged for the
    officer's judgement included, must first get the officer's own verdict with its written
    reason (eligibility_override), so that the decision is on the record."""
    with transaction.atomic():
        unresolved = [f for f in application.eligibility_flags.all() if not f.effective_passed]
        if unresolved:
            raise ScreeningBlocked(
                _("Override or resolve these verdicts first: %(rules)s.")
                % {"rules": ", ".join(str(_rule_label(f.rule)) for f in unresolved)}
            )
        application_transition(
            application=application, by=by, transition="mark_eligible", comment=comment
        )
        notify(
            recipients=_owners(application),
            event=Event.SCREENING_RESULT,
            key=f"{application.pk}:eligible:v{application.version}",
            context=_ctx(
                application,
                message=gettext_lazy("Your application passed eligibility screening."),
            ),
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


# Drafts: the applicant's edits before submission. A submitted application is frozen: it
# changes only through a supplement answer or a logged officer override.


def _require_editable(*, application: Application, by) -> None:
    if not can_edit_draft(by, application):
        raise PermissionDenied(_("You may not do this for this application."))
    if application.state not in EDITABLE_BY_APPLICANT:
        raise ScreeningBlocked(
            _("This application has been submitted and can no longer be changed here.")
        )


DRAFT_FIELDS = (
    "product_name",
    "product_name_en",
    "product_description",
    "trl",
    "intended_buyers",
    "intended_use",
    "indicative_price",
    "round",
    "subfield",
    "declared_not_designated",
    "declared_truthful",
)


def application_create_draft(*, by, organisation, round, fields: dict) -> Application:
    """Start a draft for the person's organisation: check membership, create, audit."""
    from .rules import is_organisation_member

    if not is_organisation_member(by, organisation):
        raise PermissionDenied(_("You may not do this for this application."))
    with transaction.atomic():
        application = Application(organisation=organisation, round=round, created_by=by)
        for name, value in fields.items():
            if name in DRAFT_FIELDS:
                setattr(application, name, value)
        application.save()
        audit_record(action="draft:create", actor=by, application=application, obj=application)
    return application


def application_update_draft(*, application: Application, by, fields: dict) -> Application:
    """Save one wizard step: check the draft is the person's and still a draft, then save the
    step's fields only."""
    with transaction.atomic():
        _require_editable(application=application, by=by)
        names = [n for n in fields if n in DRAFT_FIELDS]
        for name in names:
            setattr(application, name, fields[name])
        application.save(update_fields=[*names, "updated_at"])
    return application


def application_link_project(*, application: Application, by, project: RDProject) -> None:
    with transaction.atomic():
        _require_editable(application=application, by=by)
        application.rd_projects.add(project)
        application.save(update_fields=["updated_at"])


def application_unlink_project(*, application: Application, by, project: RDProject) -> None:
    with transaction.atomic():
        _require_editable(application=application, by=by)
        application.rd_projects.remove(project)
        application.save(update_fields=["updated_at"])


def _store_document(
    *, application, by, kind, title, uploaded, checked, issue_date, expiry_date
) -> ApplicationDocument:
    doc = ApplicationDocument(
        application=application,
        kind=kind,
        title=title or "",
        original_name=checked.original_name,
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        issue_date=issue_date,
        expiry_date=expiry_date,
        uploaded_by=by,
    )
    # The stored name comes from models.document_upload_to; the user's name is data only.
    doc.file.save(checked.original_name, uploaded, save=False)
    doc.save()
    return doc


def document_add(
    *,
    application: Application,
    by,
    kind: str,
    uploaded,
    checked,
    title: str = "",
    issue_date=None,
    expiry_date=None,
) -> ApplicationDocument:
    """Attach a checked upload (uploads.validate_upload) to a draft."""
    with transaction.atomic():
        _require_editable(application=application, by=by)
        doc = _store_document(
            application=application,
            by=by,
            kind=kind,
            title=title,
            uploaded=uploaded,
            checked=checked,
            issue_date=issue_date,
            expiry_date=expiry_date,
        )
        application.save(update_fields=["updated_at"])
    return doc


def document_remove(*, document: ApplicationDocument, by) -> None:
    """Remove a document from a draft; the file goes once the row is gone."""
    application = document.application
    with transaction.atomic():
        _require_editable(application=application, by=by)
        name = document.file.name
        storage = document.file.storage
        document.delete()
        application.save(update_fields=["updated_at"])
        transaction.on_commit(lambda: storage.delete(name))


def unsuitable_expert_add(
    *, application: Application, by, expert_name: str, expert_organisation: str, reason: str
):
    from panels.models import UnsuitableExpertRequest

    with transaction.atomic():
        _require_editable(application=application, by=by)
        return UnsuitableExpertRequest.objects.create(
            application=application,
            expert_name=expert_name,
            expert_organisation=expert_organisation,
            reason=reason,
        )


def unsuitable_expert_remove(*, request_obj, by) -> None:
    with transaction.atomic():
        _require_editable(application=request_obj.application, by=by)
        request_obj.delete()


# Versions and eligibility flags, written when an application is submitted or answered.


def application_snapshot(application: Application) -> dict:
    """What was submitted, in a form that can be compared later (selectors.version_diff)."""
    return {
        "fields": {
            "product_name": application.product_name,
            "product_name_en": application.product_name_en,
            "product_description": application.product_description,
            "trl": application.trl,
            "intended_buyers": application.intended_buyers,
            "intended_use": application.intended_use,
            "indicative_price": application.indicative_price,
            "round": str(application.round.code),
            # Both names, so the comparison does not depend on the reader's language.
            "subfield": (
                f"{application.subfield.number}. {application.subfield.name_ko} / "
                f"{application.subfield.name_en}"
                if application.subfield_id
                else ""
            ),
            "declared_not_designated": application.declared_not_designated,
            "declared_truthful": application.declared_truthful,
        },
        "projects": sorted(
            (
                {"ntis_number": p.ntis_number, "title": p.title}
                for p in application.rd_projects.all()
            ),
            key=lambda p: p["ntis_number"],
        ),
        "documents": sorted(
            (
                {
                    "id": d.pk,
                    "kind": d.kind,
                    "title": d.title,
                    "original_name": d.original_name,
                    "sha256": d.sha256,
                    "issue_date": d.issue_date.isoformat() if d.issue_date else None,
                    "expiry_date": d.expiry_date.isoformat() if d.expiry_date else None,
                }
                for d in application.documents.all()
                if d.is_current
            ),
            key=lambda d: d["id"],
        ),
    }


def _store_version(*, application: Application, by) -> ApplicationVersion:
    fresh = (
        Application.objects.prefetch_related("rd_projects", "documents")
        .select_related("round", "subfield")
        .get(pk=application.pk)
    )
    version, _created = ApplicationVersion.objects.update_or_create(
        application=application,
        number=application.version,
        defaults={"snapshot": application_snapshot(fresh), "created_by": by},
    )
    return version


def _store_flags(*, application: Application, results) -> None:
    """Keep each rule's latest verdict. An officer's override stays until the officer changes
    it: a new automatic verdict does not undo a decision someone put their name to."""
    for result in results:
        EligibilityFlag.objects.update_or_create(
            application=application,
            rule=result.code,
            defaults={
                "version": application.version,
                "passed": result.passed,
                "reason": result.reason,
                "officer_may_judge": result.officer_may_judge,
            },
        )


# Screening: the officer's actions on a submitted application.


def application_request_supplement(
    *,
    application: Application,
    by,
    reason: str,
    documents_wanted: list[str] | tuple = (),
    deadline=None,
) -> Application:
    """Ask the applicant to fix or add documents (`reason` is what they must supply):

    1. refuse a blank reason (ValueError, like the other services with a required text) or a
       deadline in the past; the deadline defaults to the round's supplement_days;
    2. transition request_supplement through application_transition (permission, audit);
    3. create the SupplementRequest;
    4. notify the organisation's members, with the deadline, after commit."""
    if not reason.strip():
        raise ValueError(_("Say what the applicant must supplement."))
    deadline = deadline or supplement_deadline_default(application.round)
    if deadline <= timezone.now():
        raise ScreeningBlocked(_("The deadline must be in the future."))
    with transaction.atomic():
        application_transition(
            application=application,
            by=by,
            transition="request_supplement",
            comment=reason,
            data={"deadline": deadline.isoformat(), "documents_wanted": list(documents_wanted)},
        )
        supplement = SupplementRequest.objects.create(
            application=application,
            message=reason,
            documents_wanted=list(documents_wanted),
            deadline=deadline,
            requested_by=by,
        )
        notify(
            recipients=_owners(application),
            event=Event.SUPPLEMENT_REQUESTED,
            key=f"{application.pk}:supplement:{supplement.pk}",
            context=_ctx(application, message=reason, deadline=_local(deadline)),
            application=application,
        )
    return application


def replacement_missing(*, replaces, documents) -> str:
    """A replaced document needs a new one of the same kind in the same answer (a document is
    not withdrawn from the record by itself). Returns the sentence to show, or ""."""
    new_kinds = {d["kind"] for d in documents}
    orphans = [d for d in replaces if d.kind not in new_kinds]
    if not orphans:
        return ""
    return _(
        "Upload the new document of the same kind for each document it replaces: %(names)s."
    ) % {"names": ", ".join(d.original_name for d in orphans)}


def application_answer_supplement(
    *,
    application: Application,
    by,
    comment: str = "",
    documents: list[dict] | tuple = (),
    replaces: list[ApplicationDocument] | tuple = (),
) -> Application:
    """The applicant answers the open supplement request (`comment` is their message):

    1. transition answer_supplement through application_transition (state, permission,
       version + 1, audit row), so a wrong state or person changes nothing;
    2. store the new documents (each already checked by uploads.validate_upload) and retire
       the ones in `replaces` (current documents of this application): they stay on file and
       in the earlier versions, but no longer count in the eligibility check;
    3. close the open request with the message;
    4. re-run the eligibility check and store the flags and the new version."""
    from . import eligibility, selectors

    with transaction.atomic():
        retired = [d.pk for d in replaces]
        if retired and application.documents.filter(pk__in=retired, is_current=True).count() != len(
            set(retired)
        ):
            raise ValidationError(
                _("Only this application's current documents can be replaced."), code="replaces"
            )
        if unmatched := replacement_missing(replaces=replaces, documents=documents):
            raise ValidationError(unmatched, code="replaces")
        application_transition(
            application=application,
            by=by,
            transition="answer_supplement",
            comment=comment,
            data={"documents": len(documents), "replaced": retired},
        )
        for doc in documents:
            _store_document(application=application, by=by, **doc)
        if retired:
            application.documents.filter(pk__in=retired).update(is_current=False)
        supplement = (
            application.supplement_requests.select_for_update()
            .filter(answered_at__isnull=True)
            .order_by("-requested_at")
            .first()
        )
        if supplement is not None:
            supplement.answer_message = comment
            supplement.answered_by = by
            supplement.answered_at = timezone.now()
            supplement.save(update_fields=["answer_message", "answered_by", "answered_at"])
        fresh = selectors.application_with_content(pk=application.pk)
        _store_flags(application=application, results=eligibility.check(fresh))
        _store_version(application=application, by=by)
    return application


def eligibility_override(
    *, application: Application, by, rule: str, passed: bool, reason: str
) -> EligibilityFlag:
    """An officer replaces an automatic verdict, only with a written reason, kept in the
    history (audit row with the before and after)."""
    if not can_screen(by, application):
        raise PermissionDenied(_("You may not do this for this application."))
    if not reason.strip():
        raise ScreeningBlocked(_("Write the reason for overriding the automatic verdict."))
    if application.state not in (
        ApplicationState.SUBMITTED,
        ApplicationState.SUPPLEMENT_REQUESTED,
    ):
        raise ScreeningBlocked(_("Verdicts can be overridden only during screening."))
    with transaction.atomic():
        flag = (
            EligibilityFlag.objects.select_for_update()
            .filter(application=application, rule=rule)
            .first()
        )
        if flag is None:
            raise ScreeningBlocked(_("There is no automatic verdict for this rule to override."))
        before = flag.effective_passed
        flag.override_passed = passed
        flag.override_reason = reason
        flag.overridden_by = by
        flag.overridden_at = timezone.now()
        flag.save(
            update_fields=["override_passed", "override_reason", "overridden_by", "overridden_at"]
        )
        audit_record(
            action="eligibility:override",
            actor=by,
            application=application,
            comment=reason,
            obj=flag,
            data={"rule": rule, "automatic": flag.passed, "before": before, "after": passed},
        )
    return flag


# What an officer may correct on a submitted application, with a written reason: the
# product's particulars and the sub-field (which decides the committee). Declarations and
# documents stay the applicant's own; those go through a supplement request.
CORRECTABLE_FIELDS = (
    "product_name",
    "product_name_en",
    "trl",
    "indicative_price",
    "subfield",
)


def application_correct(
    *, application: Application, by, fields: dict, reason: str, read_version: int | None = None
) -> Application:
    """An officer's logged override of submitted content during screening:

    1. refuse unless the person may screen it, it is in screening, a reason is written and
       something actually changes (only CORRECTABLE_FIELDS are read from `fields`, each
       cleaned by its model field; a sub-field must be one the round covers); refuse with
       ConcurrentTransition when `read_version` (the version the officer's page showed) is
       no longer the stored one;
    2. under the row lock, set the fields and raise the version;
    3. audit row with each field's before and after and the reason (the applicant reads it in
       the status timeline);
    4. re-run the eligibility check and store the flags and the new version, so the version
       comparison shows the correction."""
    from . import eligibility, selectors

    if not can_screen(by, application):
        raise PermissionDenied(_("You may not do this for this application."))
    if not reason.strip():
        raise ScreeningBlocked(_("Write the reason for the correction."))
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        if locked.state not in (ApplicationState.SUBMITTED, ApplicationState.SUPPLEMENT_REQUESTED):
            raise ScreeningBlocked(_("An application can be corrected only during screening."))
        if read_version is not None and read_version != locked.version:
            raise ConcurrentTransition("The application changed since the page was read.")
        changes = {}
        for name in CORRECTABLE_FIELDS:
            if name not in fields:
                continue
            field = Application._meta.get_field(name)
            after = fields[name]
            after = field.clean(after.pk if hasattr(after, "pk") else after, locked)
            before = getattr(locked, field.attname)
            if before != after:
                changes[name] = [before, after]
                setattr(locked, field.attname, after)
        if "subfield" in changes:
            covered = set(locked.round.subfields.values_list("pk", flat=True))
            if locked.subfield_id is None or (covered and locked.subfield_id not in covered):
                raise ScreeningBlocked(_("Choose a sub-field that the round covers."))
        if not changes:
            raise ScreeningBlocked(_("Nothing was changed: the values are the ones submitted."))
        locked.version += 1
        locked.save(update_fields=[*changes, "version", "updated_at"])
        audit_record(
            action="application:correct",
            actor=by,
            application=locked,
            from_state=locked.state,
            to_state=locked.state,
            comment=reason,
            obj=locked,
            data={"changes": changes, "version": locked.version},
        )
        fresh = selectors.application_with_content(pk=locked.pk)
        _store_flags(application=locked, results=eligibility.check(fresh))
        _store_version(application=locked, by=by)
    application.refresh_from_db()
    return application


def _staff():
    from django.contrib.auth import get_user_model

    from accounts.enums import Role

    return list(
        get_user_model()
        .objects.filter(groups__name__in=[Role.OFFICER, Role.PANEL_SECRETARIAT], is_active=True)
        .distinct()
    )


def supplement_remind(*, supplement_id: int) -> bool:
    """Remind the applicant of a supplement deadline, once. Returns whether a reminder went."""
    with transaction.atomic():
        supplement = (
            SupplementRequest.objects.select_for_update()
            .select_related("application__organisation")
            .get(pk=supplement_id)
        )
        if not supplement.is_open or supplement.reminded_at:
            return False
        supplement.reminded_at = timezone.now()
        supplement.save(update_fields=["reminded_at"])
        application = supplement.application
        notify(
            recipients=_owners(application),
            event=Event.SUPPLEMENT_REQUESTED,
            key=f"{application.pk}:supplement:{supplement.pk}:reminder",
            context=_ctx(
                application,
                message=Localized(
                    gettext_lazy("Reminder: please answer the supplement request by %(deadline)s."),
                    deadline=_local(supplement.deadline),
                ),
                deadline=_local(supplement.deadline),
            ),
            application=application,
        )
    return True


def supplement_flag_overdue(*, supplement_id: int) -> bool:
    """Flag an unanswered request whose deadline passed and tell the screening staff, once."""
    with transaction.atomic():
        supplement = (
            SupplementRequest.objects.select_for_update()
            .select_related("application")
            .get(pk=supplement_id)
        )
        if not supplement.is_open or supplement.overdue_flagged_at:
            return False
        if supplement.deadline > timezone.now():
            return False
        supplement.overdue_flagged_at = timezone.now()
        supplement.save(update_fields=["overdue_flagged_at"])
        application = supplement.application
        audit_record(
            action="supplement:overdue",
            application=application,
            obj=supplement,
            comment=_local(supplement.deadline),
        )
        notify(
            recipients=_staff(),
            event=Event.SUPPLEMENT_OVERDUE,
            key=f"{application.pk}:supplement:{supplement.pk}:overdue",
            context=_ctx(
                application,
                message=Localized(
                    gettext_lazy("The supplement deadline %(deadline)s passed without an answer."),
                    deadline=_local(supplement.deadline),
                ),
                url=f"{_site()}/applications/screening/{application.pk}/",
            ),
            application=application,
        )
    return True


def _site() -> str:
    from django.conf import settings

    return settings.SITE_URL


def supplement_deadline_default(round_obj):
    """Default deadline: the round's supplement_days from now, at 18:00 Korea time."""
    import datetime as dt

    day = timezone.localdate() + dt.timedelta(days=round_obj.supplement_days)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(18, 0)))


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
