from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from applications.models import Application
from applications.rules import is_officer

from . import selectors
from .services import access_log

PAGE_SIZE = 100


@login_required
def application_history(request, pk: int):
    """The one history of an application, for officers; anyone else gets 404."""
    if not is_officer(request.user):
        raise Http404
    application = get_object_or_404(Application.objects.select_related("round"), pk=pk)
    page = Paginator(selectors.application_history(application=application), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    access_log(
        request=request, action="view_audit_history", obj=application, application=application
    )
    return render(
        request,
        "audit/application_history.html",
        {"application": application, "page": page, "events": page.object_list},
    )
