"""A thin submit page for the Redis-outage test, shaped like every submit view: authorise,
call the one service, redirect. (The applicant work's own submit view replaces it here once
it is on main.)"""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.urls import include, path
from django.views.decorators.http import require_POST

from applications import selectors, services


@login_required
@require_POST
def submit(request, pk: int):
    application = selectors.application_for_applicant(user=request.user, pk=pk)
    services.application_submit(application=application, by=request.user)
    return redirect("applications:detail", pk=application.pk)


urlpatterns = [
    path("fault-test/submit/<int:pk>/", submit, name="fault_test_submit"),
    path("", include("ppir.urls")),
]
