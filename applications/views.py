from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from audit.services import access_log

from . import selectors


@login_required
def application_list(request):
    applications = selectors.applications_for_applicant(user=request.user)
    return render(request, "applications/application_list.html", {"applications": applications})


@login_required
def application_detail(request, pk: int):
    application = selectors.application_for_applicant(user=request.user, pk=pk)
    access_log(request=request, action="view_application", obj=application, application=application)
    history = application.history.select_related("actor").order_by("at", "id")
    return render(
        request,
        "applications/application_detail.html",
        {"application": application, "history": history},
    )
