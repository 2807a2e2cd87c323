"""Writes of expert review. Each action is one service (keyword-only, atomic, audited)."""

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
