"""Every write of the procurement stage is one service here (keyword-only, atomic).

Each service, in this order: checks the input and the actor's permission (rules), changes
the application's state only through applications.services.application_transition (and a
certificate's only through `_certificate_transition`), writes its audit row in the same
transaction, and leaves side effects (notifications, the PDF) to run after commit."""

import datetime as dt
import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_fsm import TransitionNotAllowed, can_proceed

from accounts.enums import MembershipStatus, Role
from applications.enums import ApplicationState as S
from applications.models import Application, Sequence
from applications.services import application_transition
from applications.uploads import validate_upload
from audit.services import audit_record
from notifications.enums import Event
from notifications.services import Localized, notify, product_name

from . import rules as r
from .enums import (
    EXPIRY_REMINDER_DAYS,
    EXTENSION_YEARS,
    MAX_EXTENSIONS,
    CertificateState,
    ExtensionState,
    ObjectionDecision,
    ObjectionGround,
)
from .models import (
    SEOUL,
    CatalogueEntry,
    Certificate,
    ExtensionRequest,
    Objection,
    ObjectionDocument,
    PilotPurchase,
    SuitabilityReview,
    add_years,
    seoul_today,
    validate_classification_number,
    validate_product_id,
)

log = logging.getLogger(__name__)
CS = CertificateState
RELEASABLE_STATES = (S.CERTIFIED, S.REJECTED, S.INELIGIBLE)
PRE_REGISTRABLE_STATES = (S.SUITABILITY_REVIEW, S.AWAITING_DECISION)


# Helpers -------------------------------------------------------------------------------


def _owners(application: Application) -> list:
    return [
        m.user
        for m in application.organisation.memberships.filter(
            status=MembershipStatus.APPROVED
        ).select_related("user")
    ]


def _officers() -> list:
    from accounts.models import User

    return list(User.objects.filter(groups__name=Role.OFFICER, is_active=True).distinct())


def _ctx(application: Application, **extra) -> dict:
    return {
        "reference": application.reference or "",
        "product": product_name(application),
        "url": f"{settings.SITE_URL}/procurement/results/{application.pk}/",
        **extra,
    }


def _audit(*, application: Application, action: str, actor, **kwargs):
    """An audit row on the application's history for a write that is not a change of the
    application's state: it records the state as unchanged, so the history stays a chain."""
    return audit_record(
        action=action,
        actor=actor,
        application=application,
        from_state=application.state,
        to_state=application.state,
        **kwargs,
    )


def _require(predicate, user, obj, message: str | None = None) -> None:
    if not predicate.test(user, obj):
        raise PermissionDenied(message or _("You may not do this."))


class TextRequired(ValidationError, ValueError):
    """A reason or note left blank: a ValidationError for forms (shown beside the field) and
    a ValueError for callers that expect one (the admin's transition registry)."""


def _require_text(value: str, field: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise TextRequired({field: message})
    return value


def _certificate_transition(
    *, certificate: Certificate, by, transition: str, comment: str = "", data=None
):
    """The gate for a certificate's state: allowed from here, transition, save (guarded by
    ConcurrentTransitionMixin), audit row; like application_transition."""
    method = getattr(certificate, transition)
    with transaction.atomic():
        if not can_proceed(method):
            raise TransitionNotAllowed(
                _("This is not possible while the certificate is “%(state)s”.")
                % {"state": certificate.get_state_display()}
            )
        from_state = certificate.state
        method()
        certificate.save()
        return _audit(
            action=f"certificate:{transition}",
            actor=by,
            application=certificate.application,
            comment=comment,
            obj=certificate,
            data={
                **(data or {}),
                "certificate": certificate.number,
                "from": from_state,
                "to": certificate.state,
            },
        )


def _schedule_pdf(certificate: Certificate) -> None:
    from .tasks import generate_certificate_pdf

    def enqueue(pk=certificate.pk):
        try:
            generate_certificate_pdf.delay(certificate_id=pk)
        except Exception:  # noqa: BLE001 - broker down: the PDF is made on first download
            log.warning("broker unavailable; PDF of certificate %s made later", pk)

    transaction.on_commit(enqueue)


def next_certificate_number(year: int) -> str:
    return f"PPIR-C-{year}-{Sequence.next_value('certificate', year):04d}"


# Suitability and decision ----------------------------------------------------------------


def suitability_record(
    *, application: Application, by, suitable: bool, notes: str
) -> SuitabilityReview:
    """PPS staff (or an officer) record procurement suitability:

    1. notes are required; 2. permission (PPS or officer); 3. the review row, noting whether
    the product is already pre-registered in the catalogue; 4. the record_suitability
    transition (to AWAITING_DECISION) with its audit row."""
    notes = _require_text(notes, "notes", _("Write the notes the officer will read."))
    _require(r.can_record_suitability, by, application)
    with transaction.atomic():
        pre_registered = CatalogueEntry.objects.filter(
            application=application, pre_registered=True
        ).exists()
        review = SuitabilityReview.objects.create(
            application=application,
            reviewer=by,
            suitable=suitable,
            notes=notes,
            pre_registered=pre_registered,
        )
        application_transition(
            application=application,
            by=by,
            transition="record_suitability",
            comment=notes,
            data={"suitable": suitable, "pre_registered": pre_registered},
        )
    return review


def application_certify(
    *, application: Application, by, reason: str = "", issued_on: dt.date | None = None
) -> Certificate:
    """The officer certifies:

    1. the certify transition (officer only) with its audit row; 2. the certificate, numbered
    PPIR-C-<year>-<serial>, valid three years less a day from today (Korean date); 3. a
    catalogue pre-registration, if any, is linked to it; 4. audit row; 5. after commit: the
    notice to the applicant's members and the PDF task. The transition's audit row records
    the certificate's number and validity, so one decision is one row in the history.

    `issued_on` records a designation made before this system (earlier rounds being
    brought in); it also picks the year of the number."""
    from .enums import VALIDITY_YEARS

    with transaction.atomic():
        application.decision_reason = (reason or "").strip()
        today = issued_on or seoul_today()
        valid_until = add_years(today, VALIDITY_YEARS) - dt.timedelta(days=1)
        # Numbered before the transition so its audit row can name the certificate; a refused
        # transition rolls the serial back with everything else.
        number = next_certificate_number(today.year)
        application_transition(
            application=application,
            by=by,
            transition="certify",
            comment=application.decision_reason,
            data={"certificate": number, "valid_until": str(valid_until)},
        )
        certificate = Certificate.objects.create(
            number=number, application=application, issued_on=today, valid_until=valid_until
        )
        CatalogueEntry.objects.filter(application=application, certificate__isnull=True).update(
            certificate=certificate
        )
        notify(
            recipients=_owners(application),
            event=Event.CERTIFICATE_ISSUED,
            key=certificate.number,
            context=_ctx(
                application,
                number=certificate.number,
                valid_until=str(certificate.valid_until),
                message=Localized(
                    gettext_lazy("Certificate %(number)s was issued; it is valid until %(day)s."),
                    number=certificate.number,
                    day=str(certificate.valid_until),
                ),
            ),
            application=application,
        )
        _schedule_pdf(certificate)
    return certificate


def application_reject(*, application: Application, by, reason: str) -> Application:
    """The officer decides not to certify: reasons required; transition with audit row. The
    applicant reads the reasons once the result is released."""
    reason = _require_text(reason, "reason", _("Give the reasons the applicant will read."))
    with transaction.atomic():
        application.decision_reason = reason
        application_transition(application=application, by=by, transition="reject", comment=reason)
    return application


def objection_deadline_for(application: Application) -> dt.datetime | None:
    """Objections are accepted until the end (Korean time) of the last day counted from the
    release: released on the 1st with 14 days, the last day is the 15th."""
    if application.result_released_at is None:
        return None
    released = timezone.localtime(application.result_released_at, SEOUL).date()
    last_day = released + dt.timedelta(days=application.round.objection_days)
    return dt.datetime.combine(last_day, dt.time(23, 59, 59), tzinfo=SEOUL)


def results_release(*, application: Application, by) -> Application:
    """The officer releases the result when they choose:

    1. officer only; 2. only a decided application, released once per decision; 3. the
    release time is set (before it the applicant sees only the status); 4. audit row;
    5. the notice to the applicant's members, with the objection deadline."""
    _require(r.can_decide, by, application)
    if application.state not in RELEASABLE_STATES:
        raise ValidationError(_("Only a decided application's result can be released."))
    if application.result_released_at is not None:
        raise ValidationError(_("This result was already released."))
    with transaction.atomic():
        application.result_released_at = timezone.now()
        application.save(update_fields=["result_released_at", "updated_at"])
        deadline = objection_deadline_for(application)
        _audit(
            action="result:release",
            actor=by,
            application=application,
            data={"state": application.state},
        )
        notify(
            recipients=_owners(application),
            event=Event.RESULT_RELEASED,
            key=f"{application.pk}:{application.result_released_at:%Y%m%d%H%M%S}",
            context=_ctx(
                application,
                state=S(application.state).label,
                objection_deadline=date_format(timezone.localtime(deadline, SEOUL), "Y-m-d H:i"),
                message=Localized(
                    gettext_lazy(
                        "Your result is released: %(state)s. You may read the scores, the "
                        "comments and the reasons, and object until %(deadline)s (Korean time)."
                    ),
                    state=S(application.state).label,
                    deadline=date_format(timezone.localtime(deadline, SEOUL), "Y-m-d H:i"),
                ),
            ),
            application=application,
        )
    return application


# Objections ----------------------------------------------------------------------------


def objection_file(
    *, application: Application, by, ground: str, explanation: str, files=()
) -> Objection:
    """The applicant objects to a released result:

    1. only a member of the applicant organisation, after the release; 2. before the
    deadline (after it: a clear message, nothing changes); 3. one objection per released
    decision, on a set ground, with an explanation; 4. each document checked before anything
    is written; 5. the objection and its documents, the file_objection transition and its
    audit row; 6. notices to the applicant's members (receipt) and to officers."""
    _require(r.can_file_objection, by, application)
    deadline = objection_deadline_for(application)
    if timezone.now() > deadline:
        raise ValidationError(
            _(
                "The deadline for objections was %(deadline)s (Korean time). "
                "An objection can no longer be filed."
            )
            % {"deadline": date_format(timezone.localtime(deadline, SEOUL), "Y-m-d H:i")}
        )
    if application.objections.filter(filed_at__gte=application.result_released_at).exists():
        raise ValidationError(_("An objection to this result has already been filed."))
    if ground not in ObjectionGround.values:
        raise ValidationError({"ground": _("Choose one of the grounds listed.")})
    explanation = _require_text(
        explanation, "explanation", _("Explain what was wrong and why it changed the result.")
    )
    checked = []
    for f in files:
        try:
            checked.append((f, validate_upload(f)))
        except ValidationError as exc:
            raise ValidationError({"documents": exc.messages}) from exc
    with transaction.atomic():
        objection = Objection.objects.create(
            application=application,
            ground=ground,
            explanation=explanation,
            filed_by=by,
            deadline=deadline,
        )
        for f, facts in checked:
            ObjectionDocument.objects.create(
                objection=objection,
                file=f,
                original_name=facts.original_name,
                content_type=facts.content_type,
                size=facts.size,
                sha256=facts.sha256,
            )
        application_transition(
            application=application,
            by=by,
            transition="file_objection",
            comment=explanation,
            data={"ground": ground, "objection": objection.pk},
        )
        ctx = _ctx(
            application,
            ground=ObjectionGround(objection.ground).label,
            message=Localized(
                gettext_lazy("An objection was filed on the ground: %(ground)s."),
                ground=ObjectionGround(objection.ground).label,
            ),
        )
        notify(
            recipients=_owners(application) + _officers(),
            event=Event.OBJECTION_RECEIVED,
            key=str(objection.pk),
            context=ctx,
            application=application,
        )
    return objection


def _rereview(application: Application, by) -> None:
    """Ask the assignment engine for experts who did not review the application before. The
    engine is another team's (panels.services.assignment_run_for_application); until it is
    on main, officers assign the re-review in admin."""
    try:
        from panels import services as panel_services
    except ImportError:
        return
    if hasattr(panel_services, "assignment_run_for_application"):
        panel_services.assignment_run_for_application(application=application, by=by, rereview=True)


def _decide_objection(
    *, application: Application, objection: Objection | None, by, reason: str, accept: bool
) -> None:
    reason = _require_text(reason, "reason", _("Give the reasons the applicant will read."))
    _require(r.can_decide, by, application)
    if objection is not None and objection.decision != ObjectionDecision.PENDING:
        raise ValidationError(_("This objection was already decided."))
    decision = ObjectionDecision.ACCEPTED if accept else ObjectionDecision.DISMISSED
    with transaction.atomic():
        if objection is not None:
            objection.decision = decision
            objection.decision_reason = reason
            objection.decided_by = by
            objection.decided_at = timezone.now()
            objection.save(
                update_fields=["decision", "decision_reason", "decided_by", "decided_at"]
            )
        event = application_transition(
            application=application,
            by=by,
            transition="accept_objection" if accept else "dismiss_objection",
            comment=reason,
            data={"objection": objection.pk if objection else None},
        )
        notify(
            recipients=_owners(application),
            event=Event.OBJECTION_DECIDED,
            key=f"{application.pk}:{event.pk}",
            context=_ctx(
                application,
                decision=decision.label,
                reason=reason,
                message=Localized(
                    gettext_lazy("Decision on your objection: %(decision)s. Reasons: %(reason)s"),
                    decision=decision.label,
                    reason=reason,
                ),
            ),
            application=application,
        )
        if accept:
            # After commit, so a failing assignment run cannot undo the recorded decision.
            transaction.on_commit(lambda: _rereview(application, by))


def objection_accept(*, objection: Objection, by, reason: str) -> Objection:
    """The officer accepts: decision recorded, back to expert review (accept_objection
    transition, audit row), notice; then a re-review by experts who did not review it."""
    _decide_objection(
        application=objection.application, objection=objection, by=by, reason=reason, accept=True
    )
    return objection


def objection_dismiss(*, objection: Objection, by, reason: str) -> Objection:
    """The officer dismisses: decision recorded, back to not certified, audit row, notice."""
    _decide_objection(
        application=objection.application, objection=objection, by=by, reason=reason, accept=False
    )
    return objection


def _pending_objection(application: Application) -> Objection | None:
    return (
        application.objections.filter(decision=ObjectionDecision.PENDING)
        .order_by("-filed_at", "-pk")
        .first()
    )


def application_accept_objection(*, application: Application, by, reason: str) -> Application:
    """For the admin's transition buttons (applications/transitions.py): accept the
    application's pending objection. An application put in objection without an objection
    record (an older record, or a plain transition) is decided all the same."""
    _decide_objection(
        application=application,
        objection=_pending_objection(application),
        by=by,
        reason=reason,
        accept=True,
    )
    return application


def application_dismiss_objection(*, application: Application, by, reason: str) -> Application:
    """For the admin's transition buttons: dismiss the application's pending objection."""
    _decide_objection(
        application=application,
        objection=_pending_objection(application),
        by=by,
        reason=reason,
        accept=False,
    )
    return application


# Certificates --------------------------------------------------------------------------


def certificate_request_extension(*, certificate: Certificate, by, reason: str) -> ExtensionRequest:
    """The applicant asks for the next extension: 1. their own certificate; 2. valid today,
    at most two extensions in all, one request at a time; 3. the request and its audit row."""
    _require(r.can_request_extension, by, certificate)
    if certificate.extensions_used >= MAX_EXTENSIONS:
        raise ValidationError(
            _(
                "This certificate has already been extended twice, the most the rules allow. "
                "A third extension is not possible."
            )
        )
    if certificate.status != CS.VALID:
        raise ValidationError(
            _("Only a valid certificate can be extended; this one is “%(status)s”.")
            % {"status": certificate.status_label}
        )
    if certificate.extension_requests.filter(state=ExtensionState.PENDING).exists():
        raise ValidationError(_("An extension request for this certificate is already waiting."))
    reason = _require_text(reason, "reason", _("Say why the extension is needed."))
    with transaction.atomic():
        extension = ExtensionRequest.objects.create(
            certificate=certificate,
            ordinal=certificate.extensions_used + 1,
            reason=reason,
            requested_by=by,
            previous_valid_until=certificate.valid_until,
        )
        _audit(
            action="certificate:extension_request",
            actor=by,
            application=certificate.application,
            obj=extension,
            comment=reason,
            data={"ordinal": extension.ordinal},
        )
    return extension


def certificate_decide_extension(
    *, extension: ExtensionRequest, by, approve: bool, reason: str
) -> ExtensionRequest:
    """The officer approves or refuses an extension, with reasons:

    1. officer only; a waiting request; never a third extension; 2. on approval the validity
    grows by one year (first) or two (second) from its current end, through the extend
    transition; 3. audit rows; 4. after commit: the notice and, on approval, a new PDF."""
    reason = _require_text(reason, "reason", _("Give the reasons the applicant will read."))
    certificate = extension.certificate
    _require(r.can_decide, by, certificate)
    if extension.state != ExtensionState.PENDING:
        raise ValidationError(_("This extension request was already decided."))
    if approve and certificate.extensions_used >= MAX_EXTENSIONS:
        raise ValidationError(
            _("This certificate has already been extended twice; a third extension is refused.")
        )
    with transaction.atomic():
        extension.state = ExtensionState.APPROVED if approve else ExtensionState.REFUSED
        extension.decided_by = by
        extension.decided_at = timezone.now()
        extension.decision_reason = reason
        if approve:
            years = EXTENSION_YEARS[certificate.extensions_used + 1]
            certificate.valid_until = add_years(certificate.valid_until, years)
            certificate.extensions_used += 1
            extension.new_valid_until = certificate.valid_until
            _certificate_transition(
                certificate=certificate,
                by=by,
                transition="extend",
                comment=reason,
                data={"ordinal": extension.ordinal, "valid_until": str(certificate.valid_until)},
            )
            _schedule_pdf(certificate)
        extension.save()
        _audit(
            action=f"certificate:extension_{extension.state}",
            actor=by,
            application=certificate.application,
            obj=extension,
            comment=reason,
        )
        notify(
            recipients=_owners(certificate.application),
            event=Event.EXTENSION_DECIDED,
            key=str(extension.pk),
            context=_ctx(
                certificate.application,
                number=certificate.number,
                decision=ExtensionState(extension.state).label,
                reason=reason,
                valid_until=str(certificate.valid_until),
                message=Localized(
                    gettext_lazy(
                        "Extension of certificate %(number)s: %(decision)s. It is valid until "
                        "%(day)s. Reasons: %(reason)s"
                    ),
                    number=certificate.number,
                    decision=ExtensionState(extension.state).label,
                    day=str(certificate.valid_until),
                    reason=reason,
                ),
            ),
            application=certificate.application,
        )
    return extension


def certificate_revoke(*, certificate: Certificate, by, reason: str) -> Certificate:
    """The officer revokes, effective at once everywhere (the register, verification, the
    catalogue's fast-track eligibility and exports all read the state): reason required;
    revoke transition and audit row; notice to the applicant's members."""
    reason = _require_text(reason, "reason", _("Give the reason for the revocation."))
    _require(r.can_decide, by, certificate)
    with transaction.atomic():
        certificate.revocation_reason = reason
        _certificate_transition(certificate=certificate, by=by, transition="revoke", comment=reason)
        notify(
            recipients=_owners(certificate.application),
            event=Event.REVOCATION,
            key=certificate.number,
            context=_ctx(
                certificate.application,
                number=certificate.number,
                reason=reason,
                message=Localized(
                    gettext_lazy("Certificate %(number)s was revoked. Reason: %(reason)s"),
                    number=certificate.number,
                    reason=reason,
                ),
            ),
            application=certificate.application,
        )
    return certificate


def certificates_expire(*, today: dt.date | None = None) -> list[str]:
    """Move every certificate whose validity ended before `today` (Korean date) to expired.
    Run daily by the scheduler; a second run finds nothing left to do."""
    today = today or seoul_today()
    done = []
    for pk in Certificate.objects.filter(state=CS.VALID, valid_until__lt=today).values_list(
        "pk", flat=True
    ):
        with transaction.atomic():
            certificate = (
                Certificate.objects.select_for_update(of=("self",))
                .select_related("application")
                .get(pk=pk)
            )
            if certificate.state != CS.VALID or certificate.valid_until >= today:
                continue
            _certificate_transition(certificate=certificate, by=None, transition="expire")
            done.append(certificate.number)
    return done


def certificate_expiry_reminders(*, today: dt.date | None = None) -> int:
    """Remind the applicant 90 and 30 days before the end of validity, once each; a reminder
    missed on its day is sent on the next run. The key includes the end date, so a new
    validity after an extension gets its own reminders."""
    today = today or seoul_today()
    horizon = today + dt.timedelta(days=max(EXPIRY_REMINDER_DAYS))
    sent = 0
    certificates = Certificate.objects.with_status(CS.VALID, today).filter(valid_until__lte=horizon)
    for certificate in certificates.select_related("application__organisation"):
        left = (certificate.valid_until - today).days
        days = min(d for d in EXPIRY_REMINDER_DAYS if left <= d)
        with transaction.atomic():
            sent += len(
                notify(
                    recipients=_owners(certificate.application),
                    event=Event.EXPIRY_COMING,
                    key=f"{certificate.number}:{certificate.valid_until}:{days}",
                    context=_ctx(
                        certificate.application,
                        number=certificate.number,
                        valid_until=str(certificate.valid_until),
                        days=days,
                        message=Localized(
                            gettext_lazy(
                                "Certificate %(number)s is valid until %(day)s. You may request "
                                "an extension before then."
                            ),
                            number=certificate.number,
                            day=str(certificate.valid_until),
                        ),
                    ),
                    application=certificate.application,
                )
            )
    return sent


def certificate_pdf_store(*, certificate: Certificate, force: bool = False) -> bool:
    """Render and store the certificate's PDF unless the stored one already shows the current
    validity. Returns whether a new file was written."""
    from django.core.files.base import ContentFile

    from .pdf import render_certificate_pdf

    with transaction.atomic():
        certificate = (
            Certificate.objects.select_for_update(of=("self",))
            .select_related("application__organisation", "application__subfield")
            .get(pk=certificate.pk)
        )
        if (
            not force
            and certificate.pdf
            and certificate.pdf_valid_until == certificate.valid_until
            and certificate.pdf.storage.exists(certificate.pdf.name)
        ):
            return False
        old = certificate.pdf.name if certificate.pdf else ""
        certificate.pdf.save(
            f"{certificate.number}.pdf",
            ContentFile(render_certificate_pdf(certificate)),
            save=False,
        )
        certificate.pdf_valid_until = certificate.valid_until
        certificate.save(update_fields=["pdf", "pdf_valid_until"])
        if old and old != certificate.pdf.name:
            transaction.on_commit(lambda: certificate.pdf.storage.delete(old))
    return True


# Catalogue and pilot purchases ---------------------------------------------------------


def catalogue_register(
    *,
    application: Application,
    by,
    classification_number: str,
    product_identification_number: str,
    unit_price: int,
    supplier_contact: str,
    registered_on: dt.date | None = None,
) -> CatalogueEntry:
    """PPS staff register a product in the procurement catalogue:

    1. PPS or officer; 2. a certified product with a valid certificate, or a recommended one
    still in suitability review or awaiting decision (then recorded as a pre-registration);
    3. an 8-digit classification number; one entry per product and per product
    identification number (a duplicate gets a clear message and nothing changes);
    4. the entry and its audit row; 5. the notice to the applicant's members."""
    _require(r.can_register_catalogue, by, application)
    classification_number = (classification_number or "").strip()
    product_identification_number = (product_identification_number or "").strip()
    errors = {}
    for field, value, validator in (
        ("classification_number", classification_number, validate_classification_number),
        ("product_identification_number", product_identification_number, validate_product_id),
    ):
        try:
            validator(value)
        except ValidationError as exc:
            errors[field] = exc.messages
    if errors:
        raise ValidationError(errors)
    existing = CatalogueEntry.objects.filter(application=application).first()
    if existing is not None:
        raise ValidationError(
            _(
                "This product is already in the catalogue (product identification number "
                "%(pin)s, registered on %(day)s). It cannot be registered twice."
            )
            % {
                "pin": existing.product_identification_number,
                "day": date_format(existing.registered_on, "Y-m-d"),
            }
        )
    if CatalogueEntry.objects.filter(
        product_identification_number=product_identification_number
    ).exists():
        raise ValidationError(
            {
                "product_identification_number": _(
                    "Another product is already registered with this product identification number."
                )
            }
        )
    certificate = None
    if application.state == S.CERTIFIED:
        certificate = Certificate.objects.get(application=application)
        if certificate.status != CS.VALID:
            raise ValidationError(
                _(
                    "The certificate is “%(status)s”; only a product with a valid certificate "
                    "can be registered."
                )
                % {"status": certificate.status_label}
            )
    elif application.state not in PRE_REGISTRABLE_STATES:
        raise ValidationError(
            _(
                "Only a certified product, or a recommended one before the decision, can be "
                "registered in the catalogue."
            )
        )
    with transaction.atomic():
        entry = CatalogueEntry.objects.create(
            application=application,
            certificate=certificate,
            classification_number=classification_number,
            product_identification_number=product_identification_number,
            unit_price=unit_price,
            supplier_contact=(supplier_contact or "").strip(),
            registered_on=registered_on or seoul_today(),
            pre_registered=certificate is None,
            registered_by=by,
        )
        _audit(
            action="catalogue:pre_register" if entry.pre_registered else "catalogue:register",
            actor=by,
            application=application,
            obj=entry,
            data={
                "classification_number": classification_number,
                "product_identification_number": product_identification_number,
            },
        )
        notify(
            recipients=_owners(application),
            event=Event.CATALOGUE_REGISTRATION,
            key=str(entry.pk),
            context=_ctx(
                application,
                product_identification_number=product_identification_number,
                pre_registered=entry.pre_registered,
                message=Localized(
                    gettext_lazy(
                        "Your product was registered in the procurement catalogue as "
                        "%(pin)s%(pre)s."
                    ),
                    pin=product_identification_number,
                    pre=gettext_lazy(" (pre-registration before certification)")
                    if entry.pre_registered
                    else "",
                ),
            ),
            application=application,
        )
    return entry


def pilot_purchase_record(
    *,
    application: Application,
    by,
    public_body: str,
    purchased_on: dt.date,
    quantity: int,
    amount: int,
    feedback: str = "",
    rating: int | None = None,
) -> PilotPurchase:
    """PPS staff record a pilot purchase by a public body and the buyer's feedback, for a
    product in the catalogue; audit row. It shows on the product's record and on the
    product's extension requests."""
    _require(r.can_record_pilot_purchase, by, application)
    if not CatalogueEntry.objects.filter(application=application).exists():
        raise ValidationError(_("Register the product in the catalogue first."))
    public_body = _require_text(public_body, "public_body", _("Name the public body."))
    with transaction.atomic():
        purchase = PilotPurchase.objects.create(
            application=application,
            public_body=public_body,
            purchased_on=purchased_on,
            quantity=quantity,
            amount=amount,
            feedback=(feedback or "").strip(),
            rating=rating,
            recorded_by=by,
        )
        _audit(
            action="catalogue:pilot_purchase",
            actor=by,
            application=application,
            obj=purchase,
            data={"public_body": public_body, "amount": amount},
        )
    return purchase
