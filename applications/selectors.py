"""Reads for applications, with the joins each page needs so query counts stay flat."""

from django.db.models import QuerySet

from accounts.enums import MembershipStatus
from accounts.models import Organisation

from .models import Application


def organisations_of(*, user) -> QuerySet[Organisation]:
    return Organisation.objects.filter(
        memberships__user=user, memberships__status=MembershipStatus.APPROVED
    )


def applications_for_applicant(*, user) -> QuerySet[Application]:
    return (
        Application.objects.filter(organisation__in=organisations_of(user=user))
        .select_related("round", "subfield", "organisation")
        .order_by("-updated_at")
    )


def application_for_applicant(*, user, pk: int) -> Application:
    """The application if the user's organisation owns it; otherwise Http404."""
    from django.shortcuts import get_object_or_404

    return get_object_or_404(
        applications_for_applicant(user=user).prefetch_related("rd_projects", "documents"),
        pk=pk,
    )
