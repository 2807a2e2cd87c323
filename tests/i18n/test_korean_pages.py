"""Every page, read in Korean by someone allowed to open it, shows no English sentence that
the catalogue translates: a string left unmarked, or marked but rendered before the
language was chosen, shows up here.

The pages are those of the authorisation matrix (tests/security/matrix/): each named URL
with the first actor who may open it, every admin changelist, and the application's admin
page with its transition buttons, as an officer."""

import html
import re

import pytest
from django.test import Client
from django.urls import reverse

from tests.security.matrix import load_entries
from tests.security.test_authz_matrix import matrix_cells, url_names
from tests.security.world import ACTORS, build_world

from .test_catalogue import CATALOGUE, entries

PLAIN = re.compile(r"^[A-Za-z][A-Za-z ,.'’:;()-]+$")


def english_phrases() -> list[str]:
    """Catalogue sentences of three words or more, without placeholders or markup, whose
    Korean differs from the English: if one is on a Korean page, it was not translated."""
    text = CATALOGUE.read_text(encoding="utf-8")
    return sorted(
        {
            html.unescape(msgid.replace('\\"', '"'))
            for _, msgid, strings in entries(text)
            if PLAIN.match(msgid) and len(msgid.split()) >= 3 and strings and strings[0] != msgid
        },
        key=len,
        reverse=True,
    )


def visible_text(page: str) -> str:
    """What a reader or a screen reader meets: text, and the attributes read out loud."""
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S | re.I)
    spoken = re.findall(r'\b(?:aria-label|title|placeholder|alt)="([^"]*)"', page)
    text = re.sub(r"<[^>]+>", " ", page)
    return re.sub(r"\s+", " ", html.unescape(text + " " + " ".join(spoken)))


@pytest.fixture
def world(db):
    return build_world()


def pages(world):
    entries_ = load_entries()
    seen = set()
    for name, url, method, expected, _ in matrix_cells(world, entries_, url_names()):
        if method != "GET" or url in seen:
            continue
        actor = next((a for a in ACTORS if expected.get(a) == 200), None)
        if actor is not None:
            seen.add(url)
            yield name, url, actor
    change = reverse("admin:applications_application_change", args=[world.application.pk])
    yield "admin application page", change, "officer"


def test_pages_in_korean_leave_nothing_in_english(world):
    phrases = english_phrases()
    assert len(phrases) > 300
    leaks, opened = [], 0
    for name, url, actor in pages(world):
        client = Client(HTTP_ACCEPT_LANGUAGE="ko")
        if world.user(actor) is not None:
            client.force_login(world.user(actor))
        response = client.get(url)
        assert response.status_code == 200, (name, url, actor, response.status_code)
        if not response["Content-Type"].startswith("text/html"):
            continue
        opened += 1
        page = response.content.decode()
        if "<html" in page:  # htmx fragments have no document element
            assert '<html lang="ko"' in page, (name, url)
        text = visible_text(page)
        for phrase in phrases:
            if phrase in text:
                leaks.append(f"{name} ({actor}): {phrase!r}")
                text = text.replace(phrase, " ")
    assert opened > 40
    assert leaks == [], f"{len(leaks)} English phrases on Korean pages:\n" + "\n".join(leaks)
