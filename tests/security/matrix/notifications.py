"""Each person's own notifications."""

from . import SIGNED_IN_200, Entry

ENTRIES = {
    "notifications:list": Entry(methods={"GET": SIGNED_IN_200}),
}
