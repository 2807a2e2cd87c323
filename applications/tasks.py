"""Scheduled work for applications. Tasks take ids, call one service each, and are safe to
run twice (the services record what they did and skip what is done)."""

import datetime as dt

from celery import shared_task
from django.utils import timezone

from .enums import ApplicationState

REMIND_BEFORE = dt.timedelta(days=2)


@shared_task
def remind_supplement_deadlines() -> dict:
    """Remind applicants two days before a supplement deadline; flag unanswered requests
    whose deadline passed and tell the screening staff."""
    from . import services
    from .models import SupplementRequest

    now = timezone.now()
    open_requests = SupplementRequest.objects.filter(
        answered_at__isnull=True, application__state=ApplicationState.SUPPLEMENT_REQUESTED
    )
    to_remind = open_requests.filter(
        reminded_at__isnull=True, deadline__gt=now, deadline__lte=now + REMIND_BEFORE
    ).values_list("pk", flat=True)
    overdue = open_requests.filter(overdue_flagged_at__isnull=True, deadline__lte=now).values_list(
        "pk", flat=True
    )
    reminded = sum(services.supplement_remind(supplement_id=pk) for pk in list(to_remind))
    flagged = sum(services.supplement_flag_overdue(supplement_id=pk) for pk in list(overdue))
    return {"reminded": reminded, "flagged": flagged}
