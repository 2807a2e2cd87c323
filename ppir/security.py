"""Shared security helpers: what counts as a sensitive action, who must use two-factor
sign-in, and the hooks django-allauth and django-axes call."""

import base64
import hashlib

import rules
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.decorators import reauthentication_required
from allauth.account.internal.flows.login import AUTHENTICATION_METHODS_SESSION_KEY
from allauth.account.signals import user_logged_in
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.utils import is_mfa_enabled
from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings
from django.dispatch import receiver

from accounts.enums import Role

# Certify, revoke, override an assignment or a conflict decision, export personal data:
# the person confirms with their second factor (or, without one, their password) again if
# their last confirmation is older than ACCOUNT_REAUTHENTICATION_TIMEOUT seconds. Works for
# function views; POSTs are stashed and resumed after the confirmation.
sensitive_action = reauthentication_required

# Roles whose accounts reach other people's data: two-factor sign-in is compulsory for them.
MFA_REQUIRED_ROLES = (Role.OFFICER, Role.PANEL_SECRETARIAT, Role.PPS, Role.EXPERT)


@rules.predicate
def requires_mfa(user) -> bool:
    if not (user and user.is_authenticated):
        return False
    if user.is_staff or user.is_superuser:
        return True
    return any(user.has_role(role) for role in MFA_REQUIRED_ROLES)


@rules.predicate
def has_mfa(user) -> bool:
    return bool(user and user.is_authenticated and is_mfa_enabled(user, types=["totp"]))


class AccountAdapter(DefaultAccountAdapter):
    def get_reauthentication_methods(self, user) -> list[dict]:
        """Someone with an authenticator confirms a sensitive action with it, not with the
        password alone: a stolen password must not be enough to certify or export."""
        methods = super().get_reauthentication_methods(user)
        mfa = [m for m in methods if m["id"].startswith("mfa_reauthenticate")]
        return mfa or methods


def axes_username(request, credentials) -> str | None:
    """The account a sign-in attempt names: allauth passes `email`, its form posts `login`.
    Lower-cased, so Alice@ and alice@ count against the same lockout."""
    value = None
    if credentials:
        value = credentials.get("email") or credentials.get("login") or credentials.get("username")
    if value is None and request is not None:
        value = request.POST.get("login")
    if not isinstance(value, str):
        return None
    return value.strip().lower()[:254] or None


def client_ip(request) -> str | None:
    """REMOTE_ADDR only: the reverse proxy sets it; X-Forwarded-For can be forged."""
    return request.META.get("REMOTE_ADDR") if request is not None else None


SECRET_PREFIX = "fernet:"  # noqa: S105 - a format marker, not a secret


def _secret_box() -> MultiFernet:
    """Keys for TOTP and recovery-code secrets at rest, derived from SECRET_KEY and its
    fallbacks (so rotating SECRET_KEY with the old one in SECRET_KEY_FALLBACKS keeps every
    authenticator working)."""
    keys = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return MultiFernet(
        [
            Fernet(base64.urlsafe_b64encode(hashlib.sha256(b"ppir.mfa:" + k.encode()).digest()))
            for k in keys
        ]
    )


class MFAAdapter(DefaultMFAAdapter):
    def encrypt(self, text: str) -> str:
        """Authenticator secrets are stored encrypted: a copy of the database alone does not
        give anyone the second factor."""
        return SECRET_PREFIX + _secret_box().encrypt(text.encode()).decode()

    def decrypt(self, encrypted_text: str) -> str:
        if encrypted_text.startswith(SECRET_PREFIX):
            token = encrypted_text[len(SECRET_PREFIX) :].encode()
            return _secret_box().decrypt(token).decode()
        return encrypted_text  # stored before encryption was switched on

    def can_delete_authenticator(self, authenticator) -> bool:
        """Whoever must use two-factor sign-in cannot switch it off; they may replace their
        recovery codes, and an administrator can reset a lost authenticator."""
        return not requires_mfa(authenticator.user)


@receiver(user_logged_in)
def sign_in_counts_as_confirmation(sender, request, user, **kwargs) -> None:
    """A full sign-in (password and, where set up, the code) is as strong as a confirmation:
    the first sensitive action or two-factor set-up within ACCOUNT_REAUTHENTICATION_TIMEOUT
    of signing in does not ask again."""
    records = request.session.get(AUTHENTICATION_METHODS_SESSION_KEY)
    if records:
        records[-1]["reauthenticated"] = True
        request.session[AUTHENTICATION_METHODS_SESSION_KEY] = records


@receiver(user_logged_in)
def keep_the_language_chosen_before_signing_in(sender, request, user, **kwargs) -> None:
    """Someone who chose a language on the page before signing in (the choice is in the
    language cookie) keeps it on their account, so their e-mails follow it too."""
    from accounts.services import user_set_language

    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if chosen:
        user_set_language(user=user, language=chosen)


rules.add_rule("ppir.requires_mfa", requires_mfa)
