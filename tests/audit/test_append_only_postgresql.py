"""On PostgreSQL the database itself refuses to change or delete audit rows, even for SQL
that bypasses the models."""

import pytest
from django.db import connection, transaction
from django.db.utils import DatabaseError

from audit.models import AccessLog, AuditEvent
from audit.services import audit_record

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def _require_postgresql():
    if connection.vendor != "postgresql":
        pytest.fail("This test needs PostgreSQL (DATABASE_URL=postgres://...)", pytrace=False)


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE audit_auditevent SET comment = 'rewritten'",
        "DELETE FROM audit_auditevent",
        "UPDATE audit_accesslog SET action = 'nothing'",
        "DELETE FROM audit_accesslog",
    ],
)
def test_raw_sql_update_and_delete_are_refused_by_the_database(application, officer, sql):
    _require_postgresql()
    event = audit_record(action="export:scores", actor=officer, application=application)
    AccessLog.objects.create(user=officer, action="view_application", application=application)
    with (
        pytest.raises(DatabaseError, match="audit rows are append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql)
    event.refresh_from_db()
    assert (AuditEvent.objects.count(), AccessLog.objects.count(), event.comment) == (1, 1, "")
