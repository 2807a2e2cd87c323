"""Signing in through the real login page, second step included, in one place.

    from tests.e2e.login import log_in
    log_in(page, "officer@example.kr")                       # demo password, demo TOTP key
    log_in(page, email, password, totp_secret=SECRET)         # any account

Officers, panel secretariat, PPS staff, experts and admins have an authenticator app; when
the page asks for the code, the helper computes it from `totp_secret` (default: the demo key
that `seed_demo` gives those demo accounts, see ppir/security_demo.py)."""

import base64
import hashlib
import hmac
import struct
import time

# The published demo key (ppir.security_demo.DEMO_TOTP_SECRET), repeated here so the helper
# needs nothing from Django.
DEMO_TOTP_SECRET = "KBIESUSEIVGU6UCQJFJEIRKNJ5IFASKS"


def current_code(secret: str, offset: int = 0) -> str:
    """RFC 6238 (SHA-1, 6 digits, 30 s), as authenticator apps compute it."""
    counter = int(time.time()) // 30 + offset
    digest = hmac.new(
        base64.b32decode(secret, casefold=True), struct.pack(">Q", counter), hashlib.sha1
    ).digest()
    start = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[start : start + 4])[0] & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"


def _demo_password() -> str:
    from accounts import demo

    return getattr(demo, "DEMO_PASSWORD", "")


def _submit(page, form) -> None:
    with page.expect_navigation():
        form.locator("button[type='submit']").first.click()


def log_in(
    page,
    email: str,
    password: str | None = None,
    totp_secret: str | None = DEMO_TOTP_SECRET,
    next_url: str = "",
) -> None:
    """Open the login page, fill in e-mail and password, submit; if the site asks for the
    authenticator code, type it. A code is accepted once, so a second sign-in within the
    same 30 s uses the next period's code (the server accepts one period either side)."""
    page.goto("/accounts/login/" + (f"?next={next_url}" if next_url else ""))
    form = page.locator("form").filter(has=page.locator("input[name='password']"))
    form.locator("input[name='login']").fill(email)
    form.locator("input[name='password']").fill(
        password if password is not None else _demo_password()
    )
    _submit(page, form)
    if "/accounts/2fa/authenticate/" not in page.url:
        return
    if totp_secret is None:
        raise AssertionError(f"{email} has two-factor sign-in: pass totp_secret=")
    used = getattr(page, "_ppir_used_codes", set())
    offset = 0
    while current_code(totp_secret, offset) in used:
        offset += 1
    code = current_code(totp_secret, offset)
    page._ppir_used_codes = used | {code}
    form = page.locator("form").filter(has=page.locator("input[name='code']"))
    form.locator("input[name='code']").fill(code)
    _submit(page, form)


def login(page, email: str, password: str, totp_secret: str | None = None, next_url: str = ""):
    """log_in with the arguments in the order the security tests use."""
    log_in(page, email, password, totp_secret=totp_secret, next_url=next_url)
    return page
