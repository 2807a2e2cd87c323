"""Celery tasks of expert review: thin, keyword-only ids, safe to run twice."""

from celery import shared_task

# --- Assignment (assignment work) --------------------------------------------------------


@shared_task(name="panels.tasks.run_assignment", acks_late=True)
def run_assignment(*, run_id: int) -> str:
    """Compute one assignment run's proposal (panels.assignment.execute_run)."""
    from .assignment import execute_run

    return execute_run(run_id=run_id).state


@shared_task(name="panels.tasks.expire_invitations")
def expire_invitations() -> int:
    """Lapse invitations past their answer deadline and re-run their open slots; also
    enqueue again assignment runs left queued while the broker was down."""
    from .assignment_services import requeue_stale_runs
    from .services import invitations_expire

    requeue_stale_runs()
    return invitations_expire()


# ---------------------------------------------------------------------------------------
# Scoring and consensus (review-scoring work)
# ---------------------------------------------------------------------------------------


@shared_task
def send_review_reminders() -> int:
    """Daily: remind experts of reviews due in 3 days, in 1 day, or overdue."""
    from .services import review_reminders_send

    return review_reminders_send()
