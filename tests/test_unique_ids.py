"""No page uses an element id twice: a label's `for`, a field's `aria-describedby` and the
error summary's links all find their element by id, so a repeated id sends a keyboard or
screen-reader user to the wrong field. The pages are those tests/i18n opens in Korean (every
page of the authorisation matrix, as someone allowed to see it)."""

import re

import pytest
from django.test import Client

from tests.i18n.test_korean_pages import pages
from tests.security.world import build_world

ID = re.compile(r'\bid="([^"]+)"')


@pytest.fixture
def world(db):
    return build_world()


def test_no_page_repeats_an_element_id(world):
    repeated, opened = [], 0
    for name, url, actor in pages(world):
        client = Client(HTTP_ACCEPT_LANGUAGE="ko")
        if world.user(actor) is not None:
            client.force_login(world.user(actor))
        response = client.get(url)
        if not response["Content-Type"].startswith("text/html"):
            continue
        opened += 1
        ids = ID.findall(response.content.decode())
        twice = sorted({i for i in ids if ids.count(i) > 1})
        if twice:
            repeated.append((name, twice))
    assert opened > 80
    assert repeated == []
