"""The authorisation matrix: for every URL pattern of the project, for each of the eight
actors (tests/security/world.py) and each HTTP method the page accepts, the expected status.

Each app keeps its rows in tests/security/matrix/<app>.py as a dict `ENTRIES` mapping the
URL name ("namespace:name") to an Entry; this package merges them. A URL pattern without an
entry fails tests/security/test_authz_matrix.py, so a new page is born with its row.

Write a row with `row(default, **overrides)`, e.g. a page only the owner and staff see:
    row(404, anonymous=302, owner=200, officer=200, superuser=200)
Statuses: 200 shown, 302 redirected (to sign-in, set-up, or elsewhere), 403 refused to a
role, 404 another organisation's object (never 403 for those), 405 method not accepted."""

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass, field

from tests.security.world import ACTORS, World

STATUSES = {200, 204, 302, 400, 403, 404, 405, 429}


def row(default: int | None = None, **cells: int) -> dict[str, int]:
    """Expected status per actor; every actor must end up with a status."""
    unknown = set(cells) - set(ACTORS)
    if unknown:
        raise ValueError(f"unknown actors: {sorted(unknown)}")
    result = {actor: cells.get(actor, default) for actor in ACTORS}
    missing = [actor for actor, status in result.items() if status is None]
    if missing:
        raise ValueError(f"no status for {missing}")
    bad = {s for s in result.values() if s not in STATUSES}
    if bad:
        raise ValueError(f"unexpected statuses {bad}")
    return result


# Shapes that recur.
EVERYONE_200 = row(200)
SIGNED_IN_200 = row(200, anonymous=302)
NOT_ALLOWED = row(405)


@dataclass(frozen=True)
class Entry:
    methods: dict[str, dict[str, int]]
    kwargs: Callable[[World], dict] = field(default=lambda world: {})
    data: Callable[[World], dict] = field(default=lambda world: {})
    query: str = ""
    note: str = ""


def load_entries() -> dict[str, Entry]:
    entries: dict[str, Entry] = {}
    for module_info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{__name__}.{module_info.name}")
        for name, entry in getattr(module, "ENTRIES", {}).items():
            if name in entries:
                raise ValueError(f"{name} has rows in two matrix modules")
            entries[name] = entry
    return entries
