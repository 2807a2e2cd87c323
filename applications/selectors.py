"""Reads for applications, with the joins each page needs so query counts stay flat."""

from django.db.models import QuerySet

from accounts.enums import MembershipStatus
from accounts.models import Organisation

from .models import Application


def organisations_of(*, user) -> QuerySet[Organisation]:
    return Organisation.objects.filter(
        memberships__user=user, memberships__status=MembershipStatus.APPROVED
    )


def rounds_work_panel(*, limit: int = 6, now=None) -> tuple[list, dict]:
    """Open and recently closed rounds (newest first) and their application counts per
    state, in two queries: ([round, ...], {(round_id, state): count})."""
    from django.db.models import Count
    from django.utils import timezone

    from .models import Round

    now = now or timezone.now()
    rounds = list(Round.objects.filter(opens_at__lte=now).order_by("-opens_at")[:limit])
    counts = {
        (round_id, state): n
        for round_id, state, n in Application.objects.filter(round__in=[r.pk for r in rounds])
        .values_list("round_id", "state")
        .annotate(n=Count("id"))
        .order_by()
    }
    return rounds, counts


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
