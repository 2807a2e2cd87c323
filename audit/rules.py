"""Who may read the audit trail and the access log (nobody may change them)."""

import rules

from applications.rules import is_officer

rules.add_perm("audit.view_auditevent", is_officer)
rules.add_perm("audit.view_accesslog", is_officer)
