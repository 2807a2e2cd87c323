"""Property-based tests: 500 generated inputs through each public form (Hangul, NUL, 10,000
characters, right-to-left marks, HTML and SQL fragments). No server error, nothing stored
that should not be, and what comes back is escaped."""

import pytest
from axes.models import AccessAttempt
from django.core import mail
from django.core.cache import cache
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.models import User

pytestmark = pytest.mark.usefixtures("strict_security")

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
FRAGMENTS = [
    SCRIPT,
    IMG,
    "' OR '1'='1' --",
    "'; DROP TABLE accounts_user; --",
    "\x00",
    "%00",
    "\u202e",  # right-to-left override
    "\u200f",  # right-to-left mark
    "\ufeff",
    "혁신제품 지정 신청",
    "{{ request }}{% debug %}",
    "../../etc/passwd",
    "A" * 10_000,
    "\r\nX-Injected: 1",
    "😀",
]
HANGUL = st.text(alphabet=st.characters(min_codepoint=0xAC00, max_codepoint=0xD7A3), max_size=40)
# No "@" anywhere: no generated e-mail address can be valid, so nothing may be stored. No
# lone surrogates: a browser cannot send them (they have no UTF-8 form).
ANY_TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="@"), max_size=60
)
hostile = st.lists(
    st.one_of(st.sampled_from(FRAGMENTS), HANGUL, ANY_TEXT), min_size=0, max_size=5
).map("".join)

FUZZ = settings(
    max_examples=500,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def fresh_limits():
    """Each input goes all the way through the form, not just into the rate limiter or the
    lockout (both tested in test_lockout.py)."""
    cache.clear()
    AccessAttempt.objects.all().delete()


def assert_safe(response, *inputs):
    assert response.status_code < 500
    body = response.content.decode("utf-8", "replace")
    for value in inputs:
        if SCRIPT in value:
            assert SCRIPT not in body
        if IMG in value:
            assert IMG not in body


@pytest.fixture
def anon(db):
    return Client(HTTP_ACCEPT_LANGUAGE="ko")


@FUZZ
@given(login=hostile, password=hostile)
def test_fuzz_login(anon, login, password):
    fresh_limits()
    response = anon.post("/accounts/login/", {"login": login, "password": password})
    assert_safe(response, login, password)
    assert response.status_code == 200
    assert "_auth_user_id" not in anon.session


@FUZZ
@given(email=hostile, password1=hostile, password2=hostile)
def test_fuzz_signup(anon, email, password1, password2):
    fresh_limits()
    before = User.objects.count()
    response = anon.post(
        "/accounts/signup/", {"email": email, "password1": password1, "password2": password2}
    )
    assert_safe(response, email, password1, password2)
    assert response.status_code == 200
    assert User.objects.count() == before


@FUZZ
@given(email=hostile)
def test_fuzz_password_reset(anon, email):
    fresh_limits()
    mail.outbox.clear()
    response = anon.post("/accounts/password/reset/", {"email": email})
    assert_safe(response, email)
    assert response.status_code == 200
    assert mail.outbox == []


@FUZZ
@given(number=hostile)
def test_fuzz_verify_lookup(anon, number):
    response = anon.get("/verify/", {"number": number}, follow=True)
    assert_safe(response, number)


@FUZZ
@given(query=hostile)
def test_fuzz_register_search(anon, query):
    response = anon.get("/register/", {"q": query})
    assert_safe(response, query)
    assert response.status_code == 200
