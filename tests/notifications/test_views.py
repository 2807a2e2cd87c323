"""The notification centre, the officers' admin list of notifications, and the beat schedule."""

import pytest
from django.conf import settings as django_settings
from django.urls import reverse
from django.utils import timezone

from accounts.enums import Role
from notifications.enums import DeliveryState, Event
from notifications.models import Notification
from tests.factories import UserFactory
from tests.factories.notifications import NotificationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(client):
    user = UserFactory(roles=[Role.APPLICANT])
    client.force_login(user)
    return user


def _page_queries(client, django_assert_max_num_queries, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # a session's first request also writes its activity stamp
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_list_query_count_is_flat(client, member, django_assert_max_num_queries):
    NotificationFactory(recipient=member)
    one = _page_queries(client, django_assert_max_num_queries, reverse("notifications:list"))
    NotificationFactory.create_batch(30, recipient=member)
    many = _page_queries(client, django_assert_max_num_queries, reverse("notifications:list"))
    assert one == many


def test_list_shows_only_own_in_app_notices_paginated(client, member):
    NotificationFactory.create_batch(23, recipient=member)
    NotificationFactory(recipient=member, in_app=False)
    NotificationFactory(recipient=UserFactory())
    page1 = client.get(reverse("notifications:list"))
    page2 = client.get(reverse("notifications:list") + "?page=2")
    assert len(page1.context["notifications"]) == 20
    assert len(page2.context["notifications"]) == 3
    assert page1.context["unread_notifications"] == 23


def test_header_unread_count_is_one_query(member, django_assert_num_queries):
    from notifications.selectors import unread_count

    NotificationFactory.create_batch(3, recipient=member)
    NotificationFactory(recipient=member, read_at=timezone.now())
    with django_assert_num_queries(1):
        assert unread_count(user=member) == 3


def test_open_marks_read_and_follows_the_link(client, member):
    n = NotificationFactory(recipient=member, context={"url": "http://testserver/applications/5/"})
    response = client.post(reverse("notifications:open", args=[n.pk]), {"follow": "1"})
    assert response.status_code == 302
    assert response["Location"] == "http://testserver/applications/5/"
    n.refresh_from_db()
    assert n.read_at is not None


def test_open_refuses_a_foreign_link(client, member):
    n = NotificationFactory(recipient=member, context={"url": "https://evil.example.com/"})
    response = client.post(reverse("notifications:open", args=[n.pk]), {"follow": "1"})
    assert response["Location"] == reverse("notifications:list")


def test_open_by_htmx_answers_with_the_row(client, member):
    n = NotificationFactory(recipient=member)
    response = client.post(reverse("notifications:open", args=[n.pk]), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert response["HX-Trigger"] == "notificationsChanged"
    assert f'id="notification-{n.pk}"' in response.content.decode()
    assert "notification-unread" not in response.content.decode()


def test_open_someone_elses_notice_is_404_and_get_is_405(client, member):
    other = NotificationFactory(recipient=UserFactory())
    assert client.post(reverse("notifications:open", args=[other.pk])).status_code == 404
    other.refresh_from_db()
    assert other.read_at is None
    mine = NotificationFactory(recipient=member)
    assert client.get(reverse("notifications:open", args=[mine.pk])).status_code == 405


def test_mark_all_read_touches_only_mine(client, member):
    NotificationFactory.create_batch(4, recipient=member)
    theirs = NotificationFactory(recipient=UserFactory())
    response = client.post(reverse("notifications:read_all"))
    assert response.status_code == 302
    assert Notification.objects.filter(recipient=member, read_at__isnull=True).count() == 0
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_mark_all_read_needs_csrf(member):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(member)
    assert strict.post(reverse("notifications:read_all")).status_code == 403


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get(reverse("notifications:list"))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("role", [Role.APPLICANT, Role.OFFICER, Role.EXPERT, Role.PPS])
def test_every_role_sees_the_unread_badge(client, role):
    user = UserFactory(roles=[role])
    NotificationFactory.create_batch(2, recipient=user)
    client.force_login(user)
    html = client.get(reverse("notifications:list")).content.decode()
    assert 'text-bg-danger">2<span class="visually-hidden"> unread' in html


# --- admin --------------------------------------------------------------------------------


def test_officer_filters_failed_notifications_and_resends(
    client, officer, mailoutbox, django_capture_on_commit_callbacks
):
    failed = NotificationFactory(
        email_state=DeliveryState.FAILED, attempts=5, last_error="SMTPServerDisconnected: x"
    )
    NotificationFactory(email_state=DeliveryState.SENT)
    client.force_login(officer)
    url = reverse("admin:notifications_notification_changelist")
    listing = client.get(url, {"email_state__exact": "failed"})
    assert listing.status_code == 200
    assert [n.pk for n in listing.context["cl"].result_list] == [failed.pk]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url, {"action": "resend", "_selected_action": [failed.pk]}, follow=True
        )
    assert response.status_code == 200
    failed.refresh_from_db()
    assert (failed.email_state, failed.attempts) == (DeliveryState.SENT, 1)
    assert len(mailoutbox) == 1


def test_notification_admin_cannot_add_change_or_delete(client, officer):
    n = NotificationFactory()
    client.force_login(officer)
    assert client.get(reverse("admin:notifications_notification_add")).status_code == 403
    change = reverse("admin:notifications_notification_change", args=[n.pk])
    assert client.post(change, {"email_state": "sent"}).status_code == 403
    delete = reverse("admin:notifications_notification_delete", args=[n.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert Notification.objects.filter(pk=n.pk, email_state=DeliveryState.PENDING).exists()


def test_applicant_has_no_notification_admin(client):
    user = UserFactory(roles=[Role.APPLICANT], is_staff=True)
    client.force_login(user)
    url = reverse("admin:notifications_notification_changelist")
    assert client.get(url).status_code == 403


def test_officer_switches_an_event_off_programme_wide_with_an_audit_row(client, officer):
    from audit.models import AuditEvent
    from notifications.models import ProgrammeEventSwitch

    client.force_login(officer)
    url = reverse("admin:notifications_programmeeventswitch_add")
    response = client.post(
        url, {"event": Event.CATALOGUE_REGISTRATION, "enabled": "", "note": "KONEPS migration"}
    )
    assert response.status_code == 302
    switch = ProgrammeEventSwitch.objects.get()
    assert (switch.enabled, switch.changed_by) == (False, officer)
    audit = AuditEvent.objects.get(action="notification:programme_switch")
    assert (audit.to_state, audit.comment) == ("off", "KONEPS migration")
    refused = client.post(url, {"event": Event.SUPPLEMENT_REQUESTED, "enabled": ""})
    assert refused.status_code == 200
    assert "cannot be switched off for the programme" in refused.content.decode()


# --- beat ---------------------------------------------------------------------------------


def test_every_beat_entry_names_a_registered_task():
    from ppir.celery import app

    app.loader.import_default_modules()
    schedule = django_settings.CELERY_BEAT_SCHEDULE
    assert {"notifications-relay-pending", "notifications-daily-digests"} <= set(schedule)
    missing = [e["task"] for e in schedule.values() if e["task"] not in app.tasks]
    assert missing == []


def test_beat_runs_relay_every_minute_and_digest_at_eight_seoul_time():
    schedule = django_settings.CELERY_BEAT_SCHEDULE
    relay = schedule["notifications-relay-pending"]["schedule"]
    digest = schedule["notifications-daily-digests"]["schedule"]
    assert django_settings.CELERY_TIMEZONE == "Asia/Seoul"
    assert relay.minute == set(range(60))
    assert (digest.hour, digest.minute) == ({8}, {0})
