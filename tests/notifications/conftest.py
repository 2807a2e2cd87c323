import datetime as dt

import pytest
from django.utils import timezone

T0 = dt.datetime(2026, 11, 26, 9, 0, tzinfo=dt.UTC)


class Clock:
    """A fixed, movable now() for the outbox's timing rules."""

    def __init__(self, monkeypatch):
        self.now = T0
        monkeypatch.setattr(timezone, "now", lambda: self.now)

    def advance(self, seconds: float) -> None:
        self.now += dt.timedelta(seconds=seconds)


@pytest.fixture
def clock(monkeypatch):
    return Clock(monkeypatch)
