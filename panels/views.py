from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from .rules import can_use_review_dashboard


@login_required
def dashboard(request):
    if not can_use_review_dashboard(request.user):
        raise PermissionDenied
    profile = getattr(request.user, "expert_profile", None)
    committees = profile.subfields.all() if profile else []
    chaired = profile.chaired_committees.select_related("subfield") if profile else []
    return render(
        request,
        "panels/dashboard.html",
        {"profile": profile, "committees": committees, "chaired": chaired},
    )
