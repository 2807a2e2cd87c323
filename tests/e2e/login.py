"""Signing in through the real login page, in one place.

Two-factor sign-in for officers, PPS staff and experts is planned: extend `log_in` here (for
example, read the TOTP secret of the demo user and type the code when the page asks for it)
and every browser test follows."""

from accounts.demo import DEMO_PASSWORD


def log_in(page, email: str, password: str = DEMO_PASSWORD) -> None:
    """Open the login page, fill in e-mail and password, submit, wait for the next page."""
    page.goto("/accounts/login/")
    form = page.locator("form").filter(has=page.locator("input[name='password']"))
    form.locator("input[name='login']").fill(email)
    form.locator("input[name='password']").fill(password)
    with page.expect_navigation():
        form.locator("button[type='submit']").first.click()
