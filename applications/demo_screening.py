"""Demo data for screening: for the demo applications already past submission, the submitted
version, the stored eligibility verdicts and, where an application waits for a supplement,
the request itself (one of them overdue, so the officer's flag shows). Idempotent: a second
run finds everything in place and changes nothing."""

import datetime as dt

from django.utils import timezone

from accounts.enums import Role


def seed_screening(ctx) -> None:
    from django.contrib.auth import get_user_model

    from . import eligibility, selectors
    from .enums import ApplicationState
    from .models import Application, ApplicationVersion, SupplementRequest
    from .services import _store_flags, application_snapshot, supplement_flag_overdue

    officer = get_user_model().objects.filter(groups__name=Role.OFFICER).order_by("pk").first()
    submitted = Application.objects.exclude(state=ApplicationState.DRAFT).order_by("pk")
    made_versions = made_requests = 0
    for app in submitted:
        fresh = selectors.application_with_content(pk=app.pk)
        number = max(app.version, 1)
        if not ApplicationVersion.objects.filter(application=app, number=number).exists():
            ApplicationVersion.objects.create(
                application=app,
                number=number,
                snapshot=application_snapshot(fresh),
                created_by=app.created_by,
            )
            made_versions += 1
        if not app.eligibility_flags.exists():
            _store_flags(application=app, results=eligibility.check(fresh))
    waiting = submitted.filter(state=ApplicationState.SUPPLEMENT_REQUESTED)
    for i, app in enumerate(waiting):
        if officer is None or app.supplement_requests.exists():
            continue
        # The second waiting application is overdue, so the queue shows the flag.
        days = -2 if i == 1 else app.round.supplement_days
        SupplementRequest.objects.create(
            application=app,
            message="최신 시험성적서(공인시험기관 발행)를 제출해 주십시오.",
            documents_wanted=["test_report"],
            deadline=timezone.now() + dt.timedelta(days=days),
            requested_by=officer,
        )
        made_requests += 1
    # One unanswered request past its deadline, flagged, so the officer's queue shows it.
    open_requests = list(
        SupplementRequest.objects.filter(answered_at__isnull=True).order_by("application_id")
    )
    if open_requests and not any(r.deadline < timezone.now() for r in open_requests):
        overdue = open_requests[-1]
        overdue.deadline = timezone.now() - dt.timedelta(days=2)
        overdue.save(update_fields=["deadline"])
    for request in open_requests:
        if request.deadline < timezone.now():
            supplement_flag_overdue(supplement_id=request.pk)
    ctx.say(f"screening: {made_versions} versions, {made_requests} supplement requests")
