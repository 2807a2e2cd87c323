"""Each person's own notifications and notification settings."""

from . import SIGNED_IN_200, Entry, row

# Signed in, but the method is wrong: refused before anything else.
WRONG_METHOD = row(405, anonymous=302)

ENTRIES = {
    "notifications:list": Entry(methods={"GET": SIGNED_IN_200}),
    # The owner's notice: opening it marks it read and goes back to the list; anyone else's
    # notice does not exist for them.
    "notifications:open": Entry(
        methods={"GET": WRONG_METHOD, "POST": row(404, anonymous=302, owner=302)},
        kwargs=lambda w: {"pk": w.extra["notification"].pk},
    ),
    "notifications:read_all": Entry(methods={"GET": WRONG_METHOD, "POST": row(302)}),
    # An empty POST is not a complete choice: the form comes back with its errors.
    "notifications:preferences": Entry(methods={"GET": SIGNED_IN_200, "POST": SIGNED_IN_200}),
}
