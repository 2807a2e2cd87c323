"""Sign a person in through the real pages, second step included.

from tests.e2e.login import login
login(page, "officer@example.kr", "correct-horse-battery", totp_secret=SECRET)
"""

import base64
import hashlib
import hmac
import struct
import time


def current_code(secret: str, offset: int = 0) -> str:
    """RFC 6238 (SHA-1, 6 digits, 30 s), as authenticator apps compute it; plain stdlib so
    scripts outside Django can use it too."""
    counter = int(time.time()) // 30 + offset
    digest = hmac.new(
        base64.b32decode(secret, casefold=True), struct.pack(">Q", counter), hashlib.sha1
    ).digest()
    start = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[start : start + 4])[0] & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"


def login(page, email: str, password: str, totp_secret: str | None = None, next_url: str = ""):
    """Fill in the sign-in form; if the account has an authenticator, enter its code. A code
    cannot be used twice, so a second sign-in in the same 30 s uses the next period's code
    (the server accepts one period either side)."""
    page.goto("/accounts/login/" + (f"?next={next_url}" if next_url else ""))
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", password)
    page.click("form.auth-form button[type=submit]")
    page.wait_for_load_state()
    if "/accounts/2fa/authenticate/" in page.url:
        if totp_secret is None:
            raise AssertionError(f"{email} has two-factor sign-in: pass totp_secret=")
        used = getattr(page, "_ppir_used_codes", set())
        offset = 0
        while current_code(totp_secret, offset) in used:
            offset += 1
        code = current_code(totp_secret, offset)
        page._ppir_used_codes = used | {code}
        page.fill("input[name=code]", code)
        page.click("form.auth-form button[type=submit]")
        page.wait_for_load_state()
    return page
