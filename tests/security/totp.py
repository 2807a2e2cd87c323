import time

from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value


def totp_code(secret: str, offset: int = 0) -> str:
    """The code an authenticator app shows now (offset periods away: allauth refuses a code
    used twice, so a second confirmation within 30 s uses the neighbouring one)."""
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30 + offset))
