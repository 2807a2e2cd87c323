"""Applicant pages. Another organisation's application answers 404."""

from . import Entry, row

ENTRIES = {
    "applications:list": Entry(
        methods={"GET": row(403, anonymous=302, owner=200, other_applicant=200)}
    ),
    "applications:detail": Entry(
        methods={"GET": row(404, anonymous=302, owner=200)},
        kwargs=lambda w: {"pk": w.application.pk},
    ),
}
