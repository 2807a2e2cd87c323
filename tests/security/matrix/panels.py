"""Expert review pages."""

from . import Entry, row

ENTRIES = {
    "panels:dashboard": Entry(
        methods={"GET": row(403, anonymous=302, assigned_expert=200, conflicted_expert=200)}
    ),
}
