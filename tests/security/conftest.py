import pytest
from django.core.cache import cache

from .world import build_world


@pytest.fixture
def world(db):
    return build_world()


@pytest.fixture
def strict_security(settings):
    """The production sign-in policy (the test settings relax it for other apps' tests)."""
    settings.PPIR_MFA_REQUIRED = True
    settings.AXES_ENABLED = True
    return settings


@pytest.fixture(autouse=True)
def _fresh_cache():
    """allauth remembers used TOTP codes and rate limits in the cache; ids repeat between
    tests, so each test starts with an empty one."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def client(client):
    """English messages, so tests can compare exact texts."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client
