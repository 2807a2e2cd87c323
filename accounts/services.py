"""Writes for people and organisations: sign-up, organisations, membership decisions."""

from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.services import audit_record
from notifications.enums import Event
from notifications.services import Localized, notify

from .enums import Language, MembershipStatus, Role
from .models import Membership, Organisation

ORGANISATION_FIELDS = (
    "name",
    "name_en",
    "business_number",
    "is_sme",
    "address",
    "contact_name",
    "contact_email",
    "contact_phone",
)


def user_signed_up(*, user, name: str, language: str = "") -> None:
    """A new person signs up: keep their name and the language they signed up in (their
    e-mails use it), and make them an applicant."""
    with transaction.atomic():
        user.name = name.strip()
        if language in Language.values:
            user.language = language
        user.save(update_fields=["name", "language"])
        group, _created = Group.objects.get_or_create(name=Role.APPLICANT)
        user.groups.add(group)
        audit_record(action="account:signup", actor=user, obj=user)


def user_set_language(*, user, language: str) -> bool:
    """Remember the language a person chose in the page header: their e-mails and notices
    follow it. A regional code (en-us) counts as its language. Returns whether anything
    changed."""
    try:
        language = translation.get_supported_language_variant(language or "")
    except LookupError:
        return False
    if language not in Language.values or user.language == language:
        return False
    user.language = language
    user.save(update_fields=["language"])
    return True


def organisation_create(*, by, fields: dict) -> Organisation:
    """Register an organisation; its first member is its approved administrator, who
    approves later joiners. The business number is unique: a race gives a clear error."""
    with transaction.atomic():
        organisation = Organisation(**{k: v for k, v in fields.items() if k in ORGANISATION_FIELDS})
        organisation.full_clean(exclude=["business_number"])
        try:
            with transaction.atomic():
                organisation.save()
        except IntegrityError as exc:
            raise ValidationError(
                {
                    "business_number": _(
                        "An organisation with this business registration number is already "
                        "registered. Ask to join it instead."
                    )
                }
            ) from exc
        Membership.objects.create(
            user=by,
            organisation=organisation,
            is_admin=True,
            status=MembershipStatus.APPROVED,
            decided_at=timezone.now(),
        )
        audit_record(action="organisation:create", actor=by, obj=organisation)
    return organisation


def membership_request(*, by, organisation: Organisation) -> Membership:
    """Ask to join an organisation; its administrators are told and decide."""
    with transaction.atomic():
        membership, created = Membership.objects.get_or_create(
            user=by, organisation=organisation, defaults={"status": MembershipStatus.PENDING}
        )
        if membership.status == MembershipStatus.APPROVED:
            return membership
        if not created:
            membership.status = MembershipStatus.PENDING
            membership.decided_at = None
            membership.save(update_fields=["status", "decided_at"])
        admins = [
            m.user
            for m in organisation.memberships.filter(
                is_admin=True, status=MembershipStatus.APPROVED
            ).select_related("user")
        ]
        from django.conf import settings

        notify(
            recipients=admins,
            event=Event.MEMBERSHIP_REQUEST,
            key=f"membership:{membership.pk}:{membership.created_at:%Y%m%d%H%M%S}:{created}",
            context={
                "message": Localized(
                    gettext_lazy("%(person)s asks to join %(organisation)s."),
                    person=by.get_full_name(),
                    organisation=organisation.name,
                ),
                "url": f"{settings.SITE_URL}/account/organisation/",
            },
        )
        audit_record(action="membership:request", actor=by, obj=membership)
    return membership


def membership_decide(*, membership: Membership, by, approve: bool) -> Membership:
    """An organisation's administrator approves or refuses a pending request."""
    with transaction.atomic():
        membership = Membership.objects.select_for_update().get(pk=membership.pk)
        is_admin = Membership.objects.filter(
            organisation_id=membership.organisation_id,
            user=by,
            is_admin=True,
            status=MembershipStatus.APPROVED,
        ).exists()
        if not is_admin:
            raise PermissionDenied(_("Only the organisation's administrator can decide this."))
        if membership.status != MembershipStatus.PENDING:
            raise ValidationError(_("This request has already been decided."))
        membership.status = MembershipStatus.APPROVED if approve else MembershipStatus.REFUSED
        membership.decided_at = timezone.now()
        membership.save(update_fields=["status", "decided_at"])
        audit_record(
            action="membership:approve" if approve else "membership:refuse",
            actor=by,
            obj=membership,
        )
    return membership
