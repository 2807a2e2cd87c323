from django.db.models import QuerySet

from .models import Notification


def notifications_for_user(*, user) -> QuerySet[Notification]:
    """The notices a person sees in their notification centre, newest first."""
    return Notification.objects.filter(recipient=user, in_app=True).select_related("application")


def unread_count(*, user) -> int:
    return Notification.objects.filter(recipient=user, in_app=True, read_at__isnull=True).count()
