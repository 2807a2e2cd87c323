"""The history of an application is for officers; anyone else answers 404."""

from . import Entry, row

ENTRIES = {
    "audit:application_history": Entry(
        methods={"GET": row(404, anonymous=302, officer=200, superuser=200)},
        kwargs=lambda w: {"pk": w.application.pk},
    ),
}
