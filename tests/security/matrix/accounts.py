"""Organisation pages: anyone signed in may register or join one; only the organisation's
administrator decides on a request to join (another's request answers 404)."""

from . import Entry, row


def _pending(w):
    if "pending-membership" not in w.extra:
        from accounts.enums import MembershipStatus
        from tests.factories import MembershipFactory

        w.extra["pending-membership"] = MembershipFactory(
            organisation=w.application.organisation,
            status=MembershipStatus.PENDING,
            is_admin=False,
        )
    return w.extra["pending-membership"]


ENTRIES = {
    "accounts:organisation": Entry(methods={"GET": row(200, anonymous=302)}),
    "accounts:membership_decide": Entry(
        methods={"GET": row(405, anonymous=302), "POST": row(404, anonymous=302, owner=302)},
        kwargs=lambda w: {"pk": _pending(w).pk},
        data=lambda w: {"decision": "approve"},
    ),
}
