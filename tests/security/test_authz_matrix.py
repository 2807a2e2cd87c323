"""ONE table-driven test over every URL pattern × 8 actors × each accepted method.

The patterns come from the URL resolver, so a page added without a row in
tests/security/matrix/ fails here. Admin URLs follow one rule (matrix/admin.py)."""

import os

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from .matrix import load_entries
from .world import ACTORS

pytestmark = pytest.mark.usefixtures("strict_security")

RECORD = os.environ.get("PPIR_MATRIX_RECORD") == "1"


def url_names(patterns=None, namespace="", prefix="") -> dict[str, str]:
    """Every named URL pattern: "namespace:name" → its route (unnamed ones by route)."""
    found: dict[str, str] = {}
    for p in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(p, URLResolver):
            ns = p.namespace
            sub = f"{namespace}:{ns}" if namespace and ns else (ns or namespace)
            found.update(url_names(p.url_patterns, sub, prefix + str(p.pattern)))
        elif isinstance(p, URLPattern):
            route = prefix + str(p.pattern)
            name = p.name or f"<{route}>"
            key = f"{namespace}:{name}" if namespace else name
            found.setdefault(key, route)
    return found


SUPERUSER_ONLY_ADMIN_APPS = {"auth", "account", "mfa", "axes"}


def admin_cells(world):
    """Admin: officers and superusers in; everyone else is sent to sign in. Officers run
    the programme in admin, so every registered changelist opens for them (what they may
    change there is each ModelAdmin's own rule, tested with it). Groups, e-mail addresses,
    authenticators and lockout records are account security: superusers only."""
    urls = [("admin:index", reverse("admin:index"), False)]
    for model in admin.site._registry:
        meta = model._meta
        name = f"admin:{meta.app_label}_{meta.model_name}_changelist"
        urls.append((name, reverse(name), meta.app_label in SUPERUSER_ONLY_ADMIN_APPS))
    for name, url, superuser_only in urls:
        expected = dict.fromkeys(ACTORS, 302)
        expected["superuser"] = 200
        expected["officer"] = 403 if superuser_only else 200
        yield name, url, "GET", expected, {}


def matrix_cells(world, entries, names):
    for name in sorted(names):
        if name.startswith("admin:"):
            continue
        entry = entries[name]
        kwargs = entry.kwargs(world)
        url = reverse(name, kwargs=kwargs) + entry.query
        for method, expected in entry.methods.items():
            yield name, url, method, expected, entry.data(world)
    yield from admin_cells(world)


def record(world, names, entries):
    """PPIR_MATRIX_RECORD=1 pytest -s ...: print what each actor gets, to draft rows."""
    from .matrix import Entry

    for name in sorted(n for n in names if not n.startswith("admin:")):
        entry = entries.get(name) or Entry(methods={"GET": {}, "POST": {}})
        try:
            url = reverse(name, kwargs=entry.kwargs(world)) + entry.query
        except Exception as exc:  # noqa: BLE001 - drafting aid only
            print(f"{name}: cannot reverse ({exc.__class__.__name__}) {names[name]}")
            continue
        for method in entry.methods:
            got = []
            for actor in ACTORS:
                client = Client(HTTP_ACCEPT_LANGUAGE="en")
                if world.user(actor) is not None:
                    client.force_login(world.user(actor))
                got.append(f"{actor}={request(client, method, url, entry.data(world)).status_code}")
            print(f"{name} {method} {url}: {' '.join(got)}")


def request(client, method, url, data):
    if method == "GET":
        return client.get(url)
    if method == "POST":
        return client.post(url, data)
    return client.generic(method, url)


def test_authz_matrix(world):
    names = url_names()
    entries = load_entries()
    missing = sorted(n for n in names if n not in entries and not n.startswith("admin:"))
    stale = sorted(n for n in entries if n not in names)
    if not RECORD:
        assert missing == [], f"URL patterns without a row in tests/security/matrix/: {missing}"
    assert stale == [], f"rows for URL names that no longer exist: {stale}"

    if RECORD:
        record(world, names, entries)
        return
    failures, cells = [], 0
    for name, url, method, expected, data in matrix_cells(world, entries, names):
        for actor in ACTORS:
            # A fresh session per cell: a sign-out or a stashed request must not leak on.
            client = Client(HTTP_ACCEPT_LANGUAGE="en")
            if world.user(actor) is not None:
                client.force_login(world.user(actor))
            status = request(client, method, url, data).status_code
            cells += 1
            if status != expected[actor]:
                failures.append(
                    f"{name} {method} {url} as {actor}: {status}, expected {expected[actor]}"
                )
    assert failures == [], f"{len(failures)} of {cells} cells differ:\n" + "\n".join(failures)
