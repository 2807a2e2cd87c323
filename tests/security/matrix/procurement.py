"""PPS pages and the public register / certificate check."""

from . import EVERYONE_200, Entry, row

ENTRIES = {
    "procurement:dashboard": Entry(
        methods={"GET": row(403, anonymous=302, officer=200, pps=200, superuser=200)}
    ),
    "public:register": Entry(methods={"GET": EVERYONE_200}),
    "public:verify_lookup": Entry(methods={"GET": EVERYONE_200}),
    "public:verify": Entry(
        methods={"GET": EVERYONE_200}, kwargs=lambda w: {"number": "PPIR-2026-0001"}
    ),
}
