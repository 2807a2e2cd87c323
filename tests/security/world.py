"""The world the security tests run in: eight actors and the objects they do or do not own.

Actors (the authorisation matrix's columns):
- anonymous
- owner: an approved applicant member of the organisation that owns `application`
- other_applicant: an applicant of another organisation (owns `other_application`)
- assigned_expert: assigned (accepted) to review `application`
- conflicted_expert: has a ConflictDeclaration on `application` and no assignment
- officer, pps, superuser
Staff, PPS and experts have a TOTP authenticator, as the two-factor policy requires."""

from dataclasses import dataclass, field

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.utils import encrypt

from accounts.enums import Role
from panels.enums import AssignmentState
from panels.models import Assignment, ConflictDeclaration
from tests.factories import (
    ApplicationFactory,
    CommitteeFactory,
    ExpertProfileFactory,
    UserFactory,
)

ACTORS = (
    "anonymous",
    "owner",
    "other_applicant",
    "assigned_expert",
    "conflicted_expert",
    "officer",
    "pps",
    "superuser",
)
PASSWORD = "correct-horse-battery"
# RFC 6238's test key, base32: the same documented demo secret the seed uses.
TEST_TOTP_SECRET = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"


def give_totp(user, secret: str = TEST_TOTP_SECRET) -> Authenticator:
    """Activate an authenticator app for `user` with a known secret (and verify the e-mail
    address, which allauth requires before two-factor sign-in)."""
    EmailAddress.objects.update_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )
    auth, _ = Authenticator.objects.update_or_create(
        user=user,
        type=Authenticator.Type.TOTP,
        defaults={"data": {"secret": encrypt(secret)}},
    )
    return auth


def verify_email(user) -> None:
    EmailAddress.objects.update_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )


@dataclass
class World:
    users: dict
    application: object
    other_application: object
    assignment: object
    conflict: object
    extra: dict = field(default_factory=dict)

    def user(self, actor: str):
        return self.users.get(actor)


def build_world() -> World:
    application = ApplicationFactory()
    other_application = ApplicationFactory()
    owner = application.created_by
    other_applicant = other_application.created_by
    for user in (owner, other_applicant):
        verify_email(user)

    CommitteeFactory(subfield=application.subfield)
    assigned = ExpertProfileFactory(subfields=[application.subfield])
    conflicted = ExpertProfileFactory(subfields=[application.subfield])
    assignment = Assignment.objects.create(
        application=application, expert=assigned, state=AssignmentState.ACCEPTED
    )
    conflict = ConflictDeclaration.objects.create(
        expert=conflicted, application=application, reason="공동연구 수행 이력"
    )
    officer = UserFactory(roles=[Role.OFFICER], is_staff=True)
    pps = UserFactory(roles=[Role.PPS])
    superuser = UserFactory(is_staff=True, is_superuser=True)
    for user in (assigned.user, conflicted.user, officer, pps, superuser):
        give_totp(user)
    users = {
        "anonymous": None,
        "owner": owner,
        "other_applicant": other_applicant,
        "assigned_expert": assigned.user,
        "conflicted_expert": conflicted.user,
        "officer": officer,
        "pps": pps,
        "superuser": superuser,
    }
    return World(
        users=users,
        application=application,
        other_application=other_application,
        assignment=assignment,
        conflict=conflict,
    )
