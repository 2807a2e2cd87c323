"""The audit trail and the access log: append-only everywhere, readable by officers."""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from accounts.enums import Role
from applications import services as app_services
from audit.decorators import logs_access
from audit.models import AccessLog, AppendOnlyError, AuditEvent
from audit.services import access_log, audit_record
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(application, officer):
    return audit_record(action="export:scores", actor=officer, application=application)


def test_saving_an_existing_row_raises(event):
    event.comment = "rewritten"
    with pytest.raises(AppendOnlyError):
        event.save()
    event.refresh_from_db()
    assert event.comment == ""


def test_deleting_a_row_raises(event):
    with pytest.raises(AppendOnlyError):
        event.delete()
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_queryset_update_and_delete_raise(event):
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(comment="x")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()
    with pytest.raises(AppendOnlyError):
        AccessLog.objects.all().update(action="x")
    assert AuditEvent.objects.count() == 1


def test_audit_record_keeps_who_role_and_object(application, officer):
    row = audit_record(
        action="assignment:override",
        actor=officer,
        application=application,
        comment="conflict found",
        obj=application,
        data={"expert": 7},
    )
    assert (row.actor_role, row.object_type, row.object_id) == (
        "officer",
        "applications.Application",
        str(application.pk),
    )
    assert row.data == {"expert": 7}


# --- admin --------------------------------------------------------------------------------


@pytest.fixture
def superuser(db):
    return UserFactory(is_staff=True, is_superuser=True)


@pytest.mark.parametrize("model", ["auditevent", "accesslog"])
def test_admin_refuses_add_change_and_delete_even_for_superusers(client, superuser, event, model):
    if model == "accesslog":
        request = RequestFactory().get("/x", REMOTE_ADDR="10.0.0.1")
        request.user = superuser
        access_log(request=request, action="view_application")
        pk = AccessLog.objects.get().pk
    else:
        pk = event.pk
    client.force_login(superuser)
    assert client.get(reverse(f"admin:audit_{model}_changelist")).status_code == 200
    assert client.get(reverse(f"admin:audit_{model}_add")).status_code == 403
    change = reverse(f"admin:audit_{model}_change", args=[pk])
    view = client.get(change)
    assert view.status_code == 200
    assert 'name="_save"' not in view.content.decode()
    assert client.post(change, {"action": "changed"}).status_code == 403
    delete = reverse(f"admin:audit_{model}_delete", args=[pk])
    assert client.get(delete).status_code == 403
    assert client.post(delete, {"post": "yes"}).status_code == 403
    listing = client.get(reverse(f"admin:audit_{model}_changelist"))
    assert "delete_selected" not in listing.content.decode()


def test_admin_bulk_delete_action_is_refused(client, superuser, event):
    client.force_login(superuser)
    url = reverse("admin:audit_auditevent_changelist")
    client.post(url, {"action": "delete_selected", "_selected_action": [event.pk], "post": "yes"})
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_audit_admin_is_closed_to_staff_who_are_not_officers(client, event):
    secretariat = UserFactory(roles=[Role.APPLICANT], is_staff=True)
    client.force_login(secretariat)
    assert client.get(reverse("admin:audit_auditevent_changelist")).status_code == 403


def test_audit_admin_list_query_count_is_flat(client, officer, application):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(officer)
    url = reverse("admin:audit_auditevent_changelist")
    audit_record(action="a", actor=officer, application=application)
    client.get(url)  # the first request of a session also writes the session's activity stamp
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    for i in range(25):
        audit_record(action=f"a{i}", actor=UserFactory(), application=application)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(one.captured_queries) == len(many.captured_queries)


# --- the officer's history page -------------------------------------------------------------


def _submitted(application, applicant):
    return app_services.application_submit(application=application, by=applicant)


def test_history_page_lists_every_row_in_order(client, officer, application, applicant):
    _submitted(application, applicant)
    app_services.application_mark_eligible(application=application, by=officer, comment="ok")
    audit_record(action="export:scores", actor=officer, application=application)
    client.force_login(officer)
    response = client.get(reverse("audit:application_history", args=[application.pk]))
    assert response.status_code == 200
    rows = [
        (e.action, e.actor, e.actor_role, e.from_state, e.to_state, e.comment)
        for e in response.context["events"]
    ]
    assert rows == [
        ("transition:submit", applicant, "applicant", "draft", "submitted", ""),
        ("transition:mark_eligible", officer, "officer", "submitted", "in_review", "ok"),
        ("export:scores", officer, "officer", "", "", ""),
    ]
    log = AccessLog.objects.get()
    assert (log.user, log.action, log.application) == (officer, "view_audit_history", application)


def test_history_page_is_404_for_the_applicant_and_others(client, application, applicant):
    url = reverse("audit:application_history", args=[application.pk])
    client.force_login(applicant)
    assert client.get(url).status_code == 404
    client.force_login(UserFactory(roles=[Role.EXPERT]))
    assert client.get(url).status_code == 404
    assert AccessLog.objects.count() == 0


def test_history_page_query_count_is_flat(client, officer, application):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(officer)
    url = reverse("audit:application_history", args=[application.pk])
    audit_record(action="a", actor=officer, application=application)
    client.get(url)  # the first request of a session also writes the session's activity stamp
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for i in range(30):
        audit_record(action=f"b{i}", actor=UserFactory(), application=application)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert len(response.context["events"]) == 31
    assert len(one.captured_queries) == len(many.captured_queries)


# --- access log -----------------------------------------------------------------------------


def test_application_detail_logs_the_read(client, application, applicant):
    client.force_login(applicant)
    response = client.get(
        reverse("applications:detail", args=[application.pk]),
        REMOTE_ADDR="203.0.113.9",
        HTTP_USER_AGENT="Firefox",
    )
    assert response.status_code == 200
    log = AccessLog.objects.get()
    assert (log.user, log.action, log.ip_address, log.user_agent) == (
        applicant,
        "view_application",
        "203.0.113.9",
        "Firefox",
    )
    assert (log.object_type, log.object_id, log.application) == (
        "applications.Application",
        str(application.pk),
        application,
    )


def test_refused_application_read_is_not_logged(client, application):
    client.force_login(UserFactory(roles=[Role.APPLICANT]))
    assert client.get(reverse("applications:detail", args=[application.pk])).status_code == 404
    assert AccessLog.objects.count() == 0


def test_user_admin_change_page_logs_the_read(client, officer):
    person = UserFactory(name="이서연")
    superuser = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(superuser)
    assert client.get(reverse("admin:accounts_user_change", args=[person.pk])).status_code == 200
    log = AccessLog.objects.get()
    assert (log.user, log.action, log.object_type, log.object_id) == (
        superuser,
        "admin_view_user",
        "accounts.User",
        str(person.pk),
    )


def test_logs_access_decorator_records_only_successful_reads(application, applicant):
    from django.http import Http404, HttpResponse

    @logs_access("download_document", lookup=lambda request, pk: (application, application))
    def view(request, pk):
        if pk != application.pk:
            raise Http404
        return HttpResponse("file")

    request = RequestFactory().get("/d", REMOTE_ADDR="198.51.100.2")
    request.user = applicant
    view(request, pk=application.pk)
    with pytest.raises(Http404):
        view(request, pk=0)
    log = AccessLog.objects.get()
    assert (log.action, log.ip_address, log.path) == ("download_document", "198.51.100.2", "/d")
