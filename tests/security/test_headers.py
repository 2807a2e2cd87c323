"""Security headers on every GET-able page, for the public and for a signed-in officer, and
no markup on any page that the Content-Security-Policy would block."""

import re

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import reverse

from .matrix import load_entries
from .test_authz_matrix import url_names

pytestmark = pytest.mark.usefixtures("strict_security")

EXPECTED_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; frame-ancestors 'none'; form-action 'self'; "
    "base-uri 'self'; object-src 'none'"
)
COMMON = {
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Permissions-Policy": (
        "camera=(), microphone=(), geolocation=(), payment=(), usb=(), "
        "interest-cohort=(), browsing-topics=()"
    ),
}
# What a strict CSP refuses: inline scripts (JSON data blocks are not scripts), inline
# styles, and event-handler attributes.
INLINE_SCRIPT = re.compile(
    r"<script\b(?![^>]*\bsrc=)(?![^>]*type=\"application/(?:ld\+)?json\")[^>]*>", re.I
)
INLINE_STYLE = re.compile(r"<style\b|\sstyle=\"", re.I)
EVENT_HANDLER = re.compile(r"<[^>]+\son[a-z]+=\"", re.I)


def get_urls(world):
    entries = load_entries()
    for name in sorted(url_names()):
        if name.startswith("admin:"):
            continue
        entry = entries.get(name)  # a page without a matrix row fails test_authz_matrix
        if entry is not None and "GET" in entry.methods:
            yield name, reverse(name, kwargs=entry.kwargs(world)) + entry.query
    yield "admin:index", reverse("admin:index")
    for model in admin.site._registry:
        meta = model._meta
        name = f"admin:{meta.app_label}_{meta.model_name}_changelist"
        yield name, reverse(name)
        # Add forms carry admin's widgets and their JavaScript: none may be inline.
        name = f"admin:{meta.app_label}_{meta.model_name}_add"
        yield name, reverse(name)
    yield "a page that does not exist", "/no-such-page/"


def parse_csp(value: str | None) -> dict[str, list[str]]:
    directives = {}
    for part in (value or "").split(";"):
        name, *sources = part.split()
        directives[name] = sorted(sources)
    return directives


def check(response, signed_in: bool = False) -> list[str]:
    problems = []
    for header, value in COMMON.items():
        if response.get(header) != value:
            problems.append(f"{header}={response.get(header)!r}")
    if signed_in and response.get("Cache-Control") not in (
        "private, no-store",
        "max-age=0, no-cache, no-store, must-revalidate, private",
    ):
        problems.append(f"signed-in page may be cached: {response.get('Cache-Control')!r}")
    csp = response.get("Content-Security-Policy")
    if (response.get("Content-Disposition") or "").startswith("attachment"):
        if not (csp or "").startswith("sandbox"):
            problems.append(f"download without sandbox CSP: {csp!r}")
    elif parse_csp(csp) != parse_csp(EXPECTED_CSP):
        problems.append(f"CSP={csp!r}")
    if "text/html" in response.get("Content-Type", "") and response.status_code == 200:
        html = response.content.decode()
        for label, pattern in (
            ("inline script", INLINE_SCRIPT),
            ("inline style", INLINE_STYLE),
            ("event handler", EVENT_HANDLER),
        ):
            found = pattern.search(html)
            if found:
                problems.append(f"{label}: {html[found.start() : found.start() + 80]!r}")
    return problems


@pytest.mark.parametrize("actor", ["anonymous", "officer", "superuser"])
def test_every_page_sends_the_security_headers(world, actor):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    if actor != "anonymous":
        client.force_login(world.user(actor))
    failures, pages = [], 0
    for name, url in get_urls(world):
        response = client.get(url)
        pages += 1
        # Follow one redirect so the page a person lands on is checked too.
        responses = [response]
        if response.status_code == 302 and response["Location"].startswith("/"):
            responses.append(client.get(response["Location"]))
        for r in responses:
            signed_in = "_auth_user_id" in client.session
            failures += [f"{name} {url} [{r.status_code}]: {p}" for p in check(r, signed_in)]
    assert pages >= 40
    assert failures == []


def test_hsts_is_sent_over_https_in_production(client, settings, db):
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True
    response = client.get("/healthz", secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"


def test_downloads_are_attachments_in_a_sandbox():
    from ppir.downloads import attachment_response

    response = attachment_response(b"%PDF-1.7", "사업계획서 (최종)\r\n.pdf", "application/pdf")
    assert response["Content-Disposition"] == (
        'attachment; filename="download.pdf"; '
        "filename*=UTF-8''%EC%82%AC%EC%97%85%EA%B3%84%ED%9A%8D%EC%84%9C%20%28%EC%B5%9C%EC%A2%85%29.pdf"
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox; default-src 'none'"
    assert response["Cache-Control"] == "private, no-store"


def test_download_ascii_fallback_keeps_a_latin_name():
    from ppir.downloads import content_disposition

    assert content_disposition('../../report "v2".pdf') == (
        "attachment; filename=\"report v2.pdf\"; filename*=UTF-8''report%20v2.pdf"
    )


@pytest.mark.parametrize(
    ("html", "problem"),
    [
        ("<p>ok</p><script>alert(1)</script>", "inline script"),
        ('<div style="color:red">x</div>', "inline style"),
        ("<style>p{}</style>", "inline style"),
        ('<a href="#" onclick="go()">x</a>', "event handler"),
    ],
)
def test_check_finds_markup_the_policy_would_block(html, problem):
    from django.http import HttpResponse

    response = HttpResponse(html)
    for header, value in COMMON.items():
        response[header] = value
    response["Content-Security-Policy"] = EXPECTED_CSP
    assert [p.split(":")[0] for p in check(response)] == [problem]


def test_check_accepts_json_data_blocks():
    from django.http import HttpResponse

    response = HttpResponse(
        '<script type="application/json" id="d">{}</script><script src="/s.js"></script>'
    )
    for header, value in COMMON.items():
        response[header] = value
    response["Content-Security-Policy"] = EXPECTED_CSP
    assert check(response) == []
