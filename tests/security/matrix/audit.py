"""The officer's history of one application; everyone else is told it does not exist."""

from . import Entry, row

ENTRIES = {
    "audit:application_history": Entry(
        methods={"GET": row(404, anonymous=302, officer=200, superuser=200)},
        kwargs=lambda w: {"pk": w.application.pk},
    ),
}
