import datetime as dt

import pytest
from django.conf import settings
from django.utils import timezone

from applications.enums import ApplicationState as S
from notifications.enums import Event
from notifications.models import Notification
from panels.enums import AssignmentState
from panels.models import ConflictDeclaration
from panels.services import review_reminders_send
from panels.tasks import send_review_reminders
from tests.factories.reviews import ReviewFactory, make_panel, submitted_review

pytestmark = pytest.mark.django_db

NOW = timezone.make_aware(dt.datetime(2026, 3, 10, 9, 0))  # Asia/Seoul


def panel_due_in(days: int, **kw):
    return make_panel(review_deadline=NOW + dt.timedelta(days=days, hours=8), n_experts=1, **kw)


def reminders():
    return Notification.objects.filter(event=Event.REVIEW_REMINDER)


@pytest.mark.parametrize(("days", "expected"), [(5, 0), (3, 1), (2, 0), (1, 1), (0, 0)])
def test_reminders_three_days_and_one_day_before(days, expected):
    panel_due_in(days)
    assert review_reminders_send(now=NOW) == expected
    assert reminders().count() == expected


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "Your review is due on 2026-03-13 17:00: 3 days left."),
        ("ko", "평가 기한은 2026-03-13 17:00까지입니다. 3일 남았습니다."),
    ],
)
def test_reminder_goes_to_the_expert_with_the_deadline_in_their_language(language, message):
    panel = panel_due_in(3)
    expert_user = panel.assignments[0].expert.user
    expert_user.language = language
    expert_user.save(update_fields=["language"])
    review_reminders_send(now=NOW)
    note = reminders().get()
    assert note.recipient == panel.assignments[0].expert.user
    assert note.context["days_left"] == 3
    assert note.context["deadline"] == "2026-03-13 17:00"
    assert note.context["overdue"] is False
    assert note.context["message"] == message
    assert note.application == panel.application


def test_overdue_reviews_are_reminded_daily_and_once_a_day():
    panel_due_in(-2)
    assert review_reminders_send(now=NOW) == 1
    assert review_reminders_send(now=NOW + dt.timedelta(hours=3)) == 0
    assert review_reminders_send(now=NOW + dt.timedelta(days=1)) == 1
    assert reminders().count() == 2
    assert all(n.context["overdue"] for n in reminders())


def test_draft_reviews_are_still_reminded():
    panel = panel_due_in(1)
    ReviewFactory(assignment=panel.assignments[0])
    assert review_reminders_send(now=NOW) == 1


def test_no_reminder_for_submitted_reviews():
    panel = panel_due_in(-1)
    submitted_review(panel.assignments[0], [70, 70, 70, 70])
    assert review_reminders_send(now=NOW) == 0


def test_no_reminder_once_the_application_left_review():
    panel_due_in(-1, state=S.CONSENSUS)
    assert review_reminders_send(now=NOW) == 0


def test_no_reminder_for_declined_or_conflicted_assignments():
    declined = panel_due_in(1)
    declined.assignments[0].state = AssignmentState.DECLINED
    declined.assignments[0].save()
    conflicted = panel_due_in(1)
    ConflictDeclaration.objects.create(
        expert=conflicted.assignments[0].expert,
        application=conflicted.application,
        reason="Co-author",
    )
    assert review_reminders_send(now=NOW) == 0


def test_the_task_runs_the_service_and_is_scheduled():
    make_panel(review_deadline=timezone.now() - dt.timedelta(days=3), n_experts=1)
    assert send_review_reminders.delay().get() == 1
    assert send_review_reminders.delay().get() == 0
    entry = settings.CELERY_BEAT_SCHEDULE["panels.send_review_reminders"]
    assert entry["task"] == "panels.tasks.send_review_reminders"
