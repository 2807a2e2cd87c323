"""django-allauth's pages, grouped by what they are for."""

from . import EVERYONE_200, NOT_ALLOWED, Entry, row

# Entrance pages: for people not signed in; signed-in people are sent on.
ENTRANCE = row(302, anonymous=200)
# Pages about one's own account: sign in first.
OWN_ACCOUNT = row(200, anonymous=302)
# Needs a fresh confirmation (force_login leaves none) or an earlier step: redirected.
NEEDS_STEP = row(302)
# Experts, staff and PPS have an authenticator (world.py); applicants do not.
HAS_MFA = ("assigned_expert", "conflicted_expert", "officer", "pps", "superuser")
NO_MFA = ("owner", "other_applicant")


def by_mfa(with_mfa: int, without_mfa: int, anonymous: int = 302) -> dict[str, int]:
    return row(
        anonymous=anonymous,
        **dict.fromkeys(HAS_MFA, with_mfa),
        **dict.fromkeys(NO_MFA, without_mfa),
    )


ENTRIES = {
    # Entrance
    "account_login": Entry(methods={"GET": ENTRANCE, "POST": ENTRANCE}),
    "account_signup": Entry(methods={"GET": ENTRANCE, "POST": ENTRANCE}),
    "account_reset_password": Entry(methods={"GET": EVERYONE_200, "POST": EVERYONE_200}),
    "account_reset_password_done": Entry(methods={"GET": EVERYONE_200, "POST": NOT_ALLOWED}),
    "account_reset_password_from_key": Entry(
        methods={"GET": EVERYONE_200, "POST": EVERYONE_200},
        kwargs=lambda w: {"uidb36": "zz", "key": "not-a-valid-key"},
    ),
    "account_reset_password_from_key_done": Entry(
        methods={"GET": EVERYONE_200, "POST": NOT_ALLOWED}
    ),
    "account_inactive": Entry(methods={"GET": EVERYONE_200, "POST": NOT_ALLOWED}),
    "account_email_verification_sent": Entry(methods={"GET": EVERYONE_200, "POST": NOT_ALLOWED}),
    # An unknown key: the page says so on GET; confirming it (POST) finds nothing.
    "account_confirm_email": Entry(
        methods={"GET": EVERYONE_200, "POST": row(404)},
        kwargs=lambda w: {"key": "not-a-valid-key"},
    ),
    # Login by code is off: its confirmation step has nothing to confirm.
    "account_confirm_login_code": Entry(methods={"GET": NEEDS_STEP, "POST": NEEDS_STEP}),
    # Own account
    "account_logout": Entry(methods={"GET": OWN_ACCOUNT, "POST": row(302)}),
    "account_email": Entry(methods={"GET": OWN_ACCOUNT, "POST": row(302)}),
    "account_change_password": Entry(methods={"GET": OWN_ACCOUNT, "POST": OWN_ACCOUNT}),
    # Everyone has a password: "set" sends them to "change".
    "account_set_password": Entry(methods={"GET": NEEDS_STEP, "POST": NEEDS_STEP}),
    # Confirmation: by code for whoever has an authenticator, by password otherwise.
    "account_reauthenticate": Entry(methods={"GET": by_mfa(302, 200), "POST": by_mfa(302, 200)}),
    "mfa_reauthenticate": Entry(methods={"GET": by_mfa(200, 302), "POST": by_mfa(200, 302)}),
    # Two-factor management
    "mfa_index": Entry(methods={"GET": OWN_ACCOUNT, "POST": row(405, anonymous=302)}),
    "mfa_authenticate": Entry(methods={"GET": NEEDS_STEP, "POST": NEEDS_STEP}),
    "mfa_activate_totp": Entry(methods={"GET": NEEDS_STEP, "POST": NEEDS_STEP}),
    # Nothing to switch off without an authenticator: 404.
    "mfa_deactivate_totp": Entry(methods={"GET": by_mfa(302, 404), "POST": by_mfa(302, 404)}),
    # No recovery codes generated yet in this world: 404 for all signed in.
    "mfa_view_recovery_codes": Entry(
        methods={"GET": row(404, anonymous=302), "POST": row(405, anonymous=302)}
    ),
    "mfa_download_recovery_codes": Entry(methods={"GET": row(404, anonymous=302)}),
    "mfa_generate_recovery_codes": Entry(methods={"GET": NEEDS_STEP, "POST": NEEDS_STEP}),
}
