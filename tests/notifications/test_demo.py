import io
import random

import pytest

from accounts.enums import Role
from applications.management.commands.seed_demo import DemoContext
from notifications.demo import seed_notifications
from notifications.enums import DeliveryState
from notifications.models import Notification, NotificationSettings
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_seed_notifications_is_idempotent_and_covers_every_role():
    users = {role: UserFactory(roles=[role]) for role in Role.values}
    ctx = DemoContext(rng=random.Random(1), stdout=io.StringIO())
    seed_notifications(ctx)
    seed_notifications(ctx)
    assert Notification.objects.count() == 12  # 11 notices and one failed e-mail
    for role, user in users.items():
        assert Notification.objects.filter(recipient=user, read_at__isnull=True).exists(), role
    failed = Notification.objects.get(email_state=DeliveryState.FAILED)
    assert failed.recipient == users[Role.APPLICANT]
    assert NotificationSettings.objects.get(user=users[Role.EXPERT]).daily_digest is True
