"""Permission predicates for expert review (extended by the expert-review work)."""

import rules

from applications.rules import is_committee_chair, is_expert, is_programme_staff

can_use_review_dashboard = is_expert
rules.add_perm("panels.use_dashboard", can_use_review_dashboard)
__all__ = ["is_expert", "is_programme_staff", "can_use_review_dashboard"]


# --- Assignment and invitations (assignment work) ---------------------------------------


@rules.predicate
def is_invited_expert(user, assignment) -> bool:
    """The expert of this assignment (invitations, conflict declarations)."""
    if assignment is None or not (user and user.is_authenticated):
        return False
    return assignment.expert.user_id == user.pk


can_manage_assignment = is_programme_staff
can_respond_invitation = is_expert & is_invited_expert
rules.add_perm("panels.manage_assignment", can_manage_assignment)
rules.add_perm("panels.respond_invitation", can_respond_invitation)

# ---------------------------------------------------------------------------------------
# Scoring and consensus (review-scoring work)
# ---------------------------------------------------------------------------------------


@rules.predicate
def is_assigned_expert(user, application) -> bool:
    """Invited or accepted for this application, and not conflicted on it (a declaration or
    a recusal of theirs exists): the only experts who may see it."""
    from .selectors import reviewing_assignments

    if application is None or not (user and user.is_authenticated):
        return False
    return reviewing_assignments(user=user).filter(application=application).exists()


@rules.predicate
def has_signed_pledge(user, application) -> bool:
    from .selectors import reviewing_assignments

    if application is None or not (user and user.is_authenticated):
        return False
    return (
        reviewing_assignments(user=user)
        .filter(application=application, pledge_signed_at__isnull=False)
        .exists()
    )


can_see_application_content = is_assigned_expert & has_signed_pledge
can_chair_consensus = is_committee_chair
can_view_consensus = is_committee_chair | is_programme_staff
can_view_mileage = is_programme_staff

rules.add_perm("panels.view_application_content", can_see_application_content)
rules.add_perm("panels.record_consensus", can_chair_consensus)
rules.add_perm("panels.view_consensus", can_view_consensus)
rules.add_perm("panels.view_mileage", can_view_mileage)

__all__ = [
    "can_chair_consensus",
    "can_see_application_content",
    "can_use_review_dashboard",
    "can_view_consensus",
    "can_view_mileage",
    "has_signed_pledge",
    "is_assigned_expert",
    "is_expert",
    "is_programme_staff",
]
