"""Permission predicates for expert review (extended by the expert-review work)."""

import rules

from applications.rules import is_expert, is_programme_staff

can_use_review_dashboard = is_expert
rules.add_perm("panels.use_dashboard", can_use_review_dashboard)
__all__ = ["is_expert", "is_programme_staff", "can_use_review_dashboard"]
