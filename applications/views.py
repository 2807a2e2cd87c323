from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from audit.services import access_log

from . import selectors
from .rules import can_view_application, is_applicant


@login_required
def application_list(request):
    if not is_applicant(request.user):
        raise PermissionDenied
    applications = selectors.applications_for_applicant(user=request.user)
    return render(request, "applications/application_list.html", {"applications": applications})


@login_required
def application_detail(request, pk: int):
    application = selectors.application_for_applicant(user=request.user, pk=pk)
    if not can_view_application(request.user, application):
        raise PermissionDenied
    access_log(request=request, action="view_application", obj=application, application=application)
    history = application.history.select_related("actor").order_by("at", "id")
    return render(
        request,
        "applications/application_detail.html",
        {"application": application, "history": history},
    )
