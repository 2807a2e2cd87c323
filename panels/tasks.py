"""Celery tasks of the panels app. Each takes keyword-only ids, calls one service and is
safe to run twice."""

from celery import shared_task

# ---------------------------------------------------------------------------------------
# Scoring and consensus (review-scoring work)
# ---------------------------------------------------------------------------------------


@shared_task
def send_review_reminders() -> int:
    """Daily: remind experts of reviews due in 3 days, in 1 day, or overdue."""
    from .services import review_reminders_send

    return review_reminders_send()
