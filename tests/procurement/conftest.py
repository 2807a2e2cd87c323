import time

import pytest

from accounts.enums import Role
from tests.factories import UserFactory


@pytest.fixture
def pps(db):
    return UserFactory(roles=[Role.PPS], name="조달청 담당자")


@pytest.fixture
def login(client):
    """Sign a user in as if they had just entered their password, so sensitive actions
    (certify, revoke, export) do not ask again."""

    def do(user):
        client.force_login(user)
        session = client.session
        session["account_authentication_methods"] = [
            {"method": "password", "at": time.time(), "email": user.email, "reauthenticated": True}
        ]
        session["account_authentication_methods_user"] = str(user.pk)
        session.save()
        return client

    return do
