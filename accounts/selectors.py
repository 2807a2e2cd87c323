"""Reads for people and organisations."""

from django.db.models import QuerySet

from .enums import MembershipStatus
from .models import Membership


def memberships_of(*, user) -> list[Membership]:
    return list(Membership.objects.filter(user=user).select_related("organisation").order_by("-id"))


def admin_memberships_of(*, user) -> QuerySet[Membership]:
    return Membership.objects.filter(user=user, is_admin=True, status=MembershipStatus.APPROVED)


def members_of(*, organisation) -> list[Membership]:
    return list(organisation.memberships.select_related("user").order_by("status", "created_at"))


def pending_request_for_admin(*, user, pk: int) -> Membership:
    """A pending request to an organisation this user administers; Http404 otherwise."""
    from django.shortcuts import get_object_or_404

    return get_object_or_404(
        Membership.objects.filter(
            organisation__memberships__user=user,
            organisation__memberships__is_admin=True,
            organisation__memberships__status=MembershipStatus.APPROVED,
        ).select_related("organisation", "user"),
        pk=pk,
    )
