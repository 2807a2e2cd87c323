import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.utils import translation

from accounts.enums import Role
from tests.factories import ApplicationFactory, UserFactory


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
    }
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _english():
    """Tests read messages in English, the language their assertions quote (a test that
    checks Korean activates it itself); e-mails still follow each recipient's language."""
    with translation.override("en"):
        yield


@pytest.fixture
def client():
    """View tests read pages in English, the language their assertions quote; the Korean
    pages are checked by tests/i18n and the Korean browser journey."""
    return Client(HTTP_ACCEPT_LANGUAGE="en")


@pytest.fixture
def admin_client(db, admin_user):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(admin_user)
    return client


@pytest.fixture
def roles(db):
    return {r: Group.objects.get_or_create(name=r)[0] for r in Role.values}


@pytest.fixture
def officer(db):
    return UserFactory(roles=[Role.OFFICER], is_staff=True)


@pytest.fixture
def pps_user(db):
    return UserFactory(roles=[Role.PPS])


@pytest.fixture
def application(db):
    return ApplicationFactory()


@pytest.fixture
def applicant(application):
    return application.created_by
