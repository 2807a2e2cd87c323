"""Two-factor sign-in for the demo: the demo staff, PPS and expert accounts share one fixed,
published TOTP secret, so a person can sign in with an authenticator app or with the code
`manage.py demo_totp` prints. Never used outside the demo (seed_demo and demo_totp refuse
production settings)."""

import time

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from allauth.mfa.utils import decrypt, encrypt
from django.contrib.auth import get_user_model

from .security import requires_mfa

# Base32 of b"PPIRDEMOPPIRDEMOPPIR"; documented in README.md ("Demo accounts"). Add it to an
# authenticator app as a manual key, or scan the QR code on /accounts/2fa/ of a demo account.
DEMO_TOTP_SECRET = "KBIESUSEIVGU6UCQJFJEIRKNJ5IFASKS"  # noqa: S105 - published demo key
PERIOD = 30


def demo_code(at: float | None = None, offset: int = 0) -> str:
    counter = int(at if at is not None else time.time()) // PERIOD + offset
    return format_hotp_value(hotp_value(DEMO_TOTP_SECRET, counter))


def give_demo_totp(user) -> bool:
    """Give `user` the demo authenticator (idempotent); True if one was created."""
    EmailAddress.objects.update_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )
    existing = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    if existing is not None:
        return False
    Authenticator.objects.create(
        user=user, type=Authenticator.Type.TOTP, data={"secret": encrypt(DEMO_TOTP_SECRET)}
    )
    return True


def demo_totp_users():
    """Users whose authenticator is the demo one."""
    ids = [
        a.user_id
        for a in Authenticator.objects.filter(type=Authenticator.Type.TOTP)
        if decrypt(a.data.get("secret", "")) == DEMO_TOTP_SECRET
    ]
    return get_user_model().objects.filter(pk__in=ids).order_by("email")


def seed_demo_totp(ctx) -> None:
    """seed_demo step: the demo accounts that must use two-factor sign-in get the demo
    authenticator (applicants may add their own)."""
    emails = [email for _role, email in ctx.objects.get("demo_accounts", [])]
    users = get_user_model().objects.filter(email__in=emails)
    made = sum(give_demo_totp(user) for user in users if requires_mfa(user))
    if made:
        ctx.say(f"Two-factor sign-in: {made} demo accounts use the demo TOTP key.")
