"""Shared security helpers: one place for what counts as a sensitive action."""

from allauth.account.decorators import reauthentication_required

# Certify, revoke, override an assignment or a conflict decision, export personal data:
# the person confirms with their password or second factor again if their last
# confirmation is older than ACCOUNT_REAUTHENTICATION_TIMEOUT seconds. Works for function
# views; POSTs are stashed and resumed after the confirmation.
sensitive_action = reauthentication_required
