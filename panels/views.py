from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from . import selectors
from .rules import can_use_review_dashboard


@login_required
def dashboard(request):
    """The expert's assigned applications (deadline, status) and, for a committee chair,
    the panels waiting for consensus; nothing else."""
    if not can_use_review_dashboard(request.user):
        raise PermissionDenied
    return render(
        request,
        "panels/dashboard.html",
        {
            "assignments": selectors.dashboard_assignments(user=request.user),
            "awaiting_consensus": list(selectors.panels_awaiting_consensus(user=request.user)),
        },
    )
