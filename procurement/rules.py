import rules

from applications.rules import is_officer, is_pps

can_use_procurement = is_pps | is_officer
rules.add_perm("procurement.use_dashboard", can_use_procurement)
