"""Factories for the outbox and the audit trail."""

import factory

from notifications.enums import DeliveryState, Event
from notifications.models import Notification

from . import UserFactory


class NotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notification

    recipient = factory.SubFactory(UserFactory)
    event = Event.SUBMISSION_RECEIPT
    context = factory.LazyFunction(
        lambda: {"reference": "PPIR-2026-00001", "url": "http://testserver/applications/1/"}
    )
    language = "ko"
    idempotency_key = factory.Sequence(lambda n: f"test:{n}")
    email_state = DeliveryState.PENDING
