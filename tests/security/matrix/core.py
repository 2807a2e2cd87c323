"""Site-wide pages: home, health, language, the JavaScript catalogue, account security."""

from . import EVERYONE_200, NOT_ALLOWED, SIGNED_IN_200, Entry, row

# Signed-in people go to their own home page.
HOME = row(302, anonymous=200)

ENTRIES = {
    "home": Entry(methods={"GET": HOME}),
    "healthz": Entry(methods={"GET": EVERYONE_200, "POST": NOT_ALLOWED}),
    # Django's set_language redirects back; the cookie is only set on POST.
    "set_language": Entry(
        methods={"GET": row(302), "POST": row(302)}, data=lambda w: {"language": "en"}
    ),
    "javascript-catalog": Entry(methods={"GET": EVERYONE_200, "POST": NOT_ALLOWED}),
    "security:overview": Entry(methods={"GET": SIGNED_IN_200, "POST": row(405, anonymous=302)}),
    # A sensitive action: a session without a recent confirmation is sent to confirm first
    # (tests/security/test_mfa.py follows the confirmation through to the download).
    "security:export": Entry(
        methods={"GET": row(302), "POST": row(302), "PUT": row(405, anonymous=302)}
    ),
}
