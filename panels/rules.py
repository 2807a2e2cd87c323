"""Permission predicates for expert review (extended by the expert-review work)."""

import rules

from applications.rules import is_expert, is_programme_staff

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
