"""Preferences, programme-wide switches and the expert's daily digest."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.enums import Role
from notifications import services
from notifications.enums import DEADLINE_EVENTS, USER_EVENTS, DeliveryState, Event, SkipReason
from notifications.models import (
    Notification,
    NotificationPreference,
    NotificationSettings,
    ProgrammeEventSwitch,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _state(user, event=Event.SCREENING_RESULT):
    n = Notification.objects.get(recipient=user, event=event)
    return n.email_state, n.skip_reason, n.in_app


def test_default_is_email_and_in_app():
    user = UserFactory()
    services.notify(recipients=[user], event=Event.SCREENING_RESULT, key="1")
    assert _state(user) == (DeliveryState.PENDING, SkipReason.NONE, True)


def test_email_switched_off_is_recorded_skipped_and_still_shown_in_app(mailoutbox):
    user = UserFactory()
    NotificationPreference.objects.create(user=user, event=Event.SCREENING_RESULT, email=False)
    services.notify(recipients=[user], event=Event.SCREENING_RESULT, key="1")
    assert _state(user) == (DeliveryState.SKIPPED, SkipReason.USER, True)
    assert services.relay_pending() == {}
    assert mailoutbox == []


def test_in_app_switched_off_hides_the_notice_but_keeps_the_email():
    user = UserFactory()
    NotificationPreference.objects.create(user=user, event=Event.SCREENING_RESULT, in_app=False)
    services.notify(recipients=[user], event=Event.SCREENING_RESULT, key="1")
    assert _state(user) == (DeliveryState.PENDING, SkipReason.NONE, False)


def test_deadline_notice_is_emailed_even_against_a_stored_preference():
    user = UserFactory()
    # written past the model's validation, as an old row or a direct write might be
    NotificationPreference.objects.create(user=user, event=Event.SUPPLEMENT_REQUESTED, email=False)
    services.notify(recipients=[user], event=Event.SUPPLEMENT_REQUESTED, key="1")
    assert _state(user, Event.SUPPLEMENT_REQUESTED) == (DeliveryState.PENDING, "", True)


def test_preference_model_refuses_switching_off_a_deadline_email():
    pref = NotificationPreference(
        user=UserFactory(), event=Event.REVIEW_REMINDER, email=False, in_app=True
    )
    with pytest.raises(ValidationError) as exc:
        pref.full_clean()
    assert exc.value.message_dict == {
        "email": ["This notice carries a deadline, so its e-mail cannot be switched off."]
    }


def test_programme_switch_off_skips_email_and_in_app():
    user = UserFactory()
    ProgrammeEventSwitch.objects.create(event=Event.CATALOGUE_REGISTRATION, enabled=False)
    services.notify(recipients=[user], event=Event.CATALOGUE_REGISTRATION, key="1")
    assert _state(user, Event.CATALOGUE_REGISTRATION) == (
        DeliveryState.SKIPPED,
        SkipReason.PROGRAMME,
        False,
    )


def test_programme_switch_cannot_silence_a_deadline_notice():
    switch = ProgrammeEventSwitch(event=Event.EXPIRY_COMING, enabled=False)
    with pytest.raises(ValidationError):
        switch.full_clean()
    switch.save()  # even if stored, notify() ignores it for deadline notices
    user = UserFactory()
    services.notify(recipients=[user], event=Event.EXPIRY_COMING, key="1")
    assert _state(user, Event.EXPIRY_COMING) == (DeliveryState.PENDING, "", True)


def test_user_without_address_is_recorded_skipped():
    user = UserFactory()
    user.email = ""
    services.notify(recipients=[user], event=Event.SCREENING_RESULT, key="1")
    assert _state(user) == (DeliveryState.SKIPPED, SkipReason.NO_ADDRESS, True)


def test_preferences_save_keeps_deadline_email_and_digest_for_experts_only():
    applicant = UserFactory(roles=[Role.APPLICANT])
    choices = {e: {"email": False, "in_app": False} for e in USER_EVENTS}
    services.preferences_save(user=applicant, choices=choices, daily_digest=True)
    emailed = set(
        NotificationPreference.objects.filter(user=applicant, email=True).values_list(
            "event", flat=True
        )
    )
    assert emailed == set(DEADLINE_EVENTS)
    assert NotificationPreference.objects.filter(user=applicant).count() == len(USER_EVENTS)
    assert NotificationSettings.objects.get(user=applicant).daily_digest is False
    expert = UserFactory(roles=[Role.EXPERT])
    services.preferences_save(user=expert, choices={}, daily_digest=True)
    assert NotificationSettings.objects.get(user=expert).daily_digest is True


def test_preferences_page_locks_deadline_emails_and_saves(client):
    user = UserFactory(roles=[Role.APPLICANT])
    client.force_login(user)
    page = client.get(reverse("notifications:preferences"))
    html = page.content.decode()
    assert page.status_code == 200
    assert html.count("its e-mail cannot be switched off") == len(DEADLINE_EVENTS)
    assert "daily_digest" not in html
    data = {f"{e}__in_app": "on" for e in USER_EVENTS}
    data[f"{Event.SUBMISSION_RECEIPT}__email"] = "on"
    response = client.post(reverse("notifications:preferences"), data)
    assert response.status_code == 302
    prefs = {p.event: (p.email, p.in_app) for p in NotificationPreference.objects.filter(user=user)}
    assert prefs[Event.SUBMISSION_RECEIPT] == (True, True)
    assert prefs[Event.SCREENING_RESULT] == (False, True)
    assert prefs[Event.SUPPLEMENT_REQUESTED] == (True, True)  # locked box, not posted


def test_preferences_page_offers_experts_the_digest(client):
    expert = UserFactory(roles=[Role.EXPERT])
    client.force_login(expert)
    assert "daily_digest" in client.get(reverse("notifications:preferences")).content.decode()
    client.post(reverse("notifications:preferences"), {"daily_digest": "on"})
    assert NotificationSettings.objects.get(user=expert).daily_digest is True


def test_digest_gathers_held_notices_into_one_email_once(
    mailoutbox, django_capture_on_commit_callbacks
):
    expert = UserFactory(roles=[Role.EXPERT], language="ko", name="박서준")
    NotificationSettings.objects.create(user=expert, daily_digest=True)
    services.notify(
        recipients=[expert],
        event=Event.REVIEW_INVITATION,
        key="a",
        context={"reference": "PPIR-2026-00001", "deadline": "2026-12-03"},
    )
    services.notify(recipients=[expert], event=Event.RESULT_RELEASED, key="b")
    services.notify(recipients=[expert], event=Event.REVIEW_REMINDER, key="c")
    assert (
        list(Notification.objects.filter(recipient=expert).values_list("email_state", flat=True))
        == [DeliveryState.DIGEST] * 3
    )
    assert mailoutbox == []
    today = dt.date(2026, 11, 27)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_daily_digests(today=today) == 1
        assert services.send_daily_digests(today=today) == 0
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.subject == "[PPIR] 일일 알림 모음: 3건"
    lines = [line for line in mail.body.splitlines() if line.startswith("- ")]
    # action-required notices first; event names in the recipient's language (Korean)
    assert lines == [
        "- 평가 요청: PPIR-2026-00001 (기한 2026-12-03)",
        "- 평가 독촉 알림",
        "- 결과 공개",
    ]
    digest = Notification.objects.get(event=Event.DAILY_DIGEST)
    assert (digest.email_state, digest.in_app) == (DeliveryState.SENT, False)
    held = Notification.objects.filter(recipient=expert).exclude(pk=digest.pk)
    assert set(held.values_list("email_state", "digest")) == {(DeliveryState.DIGESTED, digest.pk)}
