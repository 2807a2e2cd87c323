from django.db.models import QuerySet

from .models import AuditEvent


def application_history(*, application) -> QuerySet[AuditEvent]:
    """Every audit row of one application, oldest first (one query whatever its length)."""
    return (
        AuditEvent.objects.filter(application=application)
        .select_related("actor")
        .order_by("at", "id")
    )
