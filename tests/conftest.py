import pytest
from django.contrib.auth.models import Group

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
