"""Permission predicates for applications. Views, FSM transitions, templates and admin all use
these, so there is one answer to "may this person do this"."""

import rules

from accounts.enums import MembershipStatus, Role


@rules.predicate
def is_superuser(user) -> bool:
    return bool(user and user.is_authenticated and user.is_superuser)


def _role(role: str):
    @rules.predicate(name=f"has_role_{role}")
    def has_role(user) -> bool:
        return bool(user and user.is_authenticated and user.has_role(role))

    return has_role


is_applicant = _role(Role.APPLICANT)
is_expert = _role(Role.EXPERT)
is_pps = _role(Role.PPS)
is_officer = _role(Role.OFFICER) | is_superuser
is_programme_staff = is_officer | _role(Role.PANEL_SECRETARIAT)


@rules.predicate
def is_organisation_member(user, organisation) -> bool:
    if organisation is None or not (user and user.is_authenticated):
        return False
    return organisation.memberships.filter(user=user, status=MembershipStatus.APPROVED).exists()


@rules.predicate
def is_application_owner(user, application) -> bool:
    if application is None:
        return False
    return is_organisation_member(user, application.organisation)


@rules.predicate
def is_committee_chair(user, application) -> bool:
    if application is None or not (user and user.is_authenticated):
        return False
    profile = getattr(user, "expert_profile", None)
    if profile is None:
        return False
    return profile.chaired_committees.filter(subfield_id=application.subfield_id).exists()


can_view_application = is_application_owner | is_programme_staff
can_edit_draft = is_application_owner
can_screen = is_programme_staff
can_decide = is_officer
can_record_consensus = is_committee_chair | is_officer
can_record_suitability = is_pps | is_officer

rules.add_perm("applications.view_application", can_view_application)
rules.add_perm("applications.edit_application", can_edit_draft)
rules.add_perm("applications.screen_application", can_screen)
rules.add_perm("applications.decide_application", can_decide)
