from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import selectors, services
from .forms import PreferencesForm
from .models import NotificationPreference, NotificationSettings

PAGE_SIZE = 20


def _is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


@login_required
def notification_list(request):
    page = Paginator(selectors.notifications_for_user(user=request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    template = (
        "notifications/partials/notification_items.html"
        if _is_htmx(request)
        else "notifications/notification_list.html"
    )
    return render(request, template, {"page": page, "notifications": page.object_list})


def _safe_link(request, url: str) -> str | None:
    from urllib.parse import urlsplit

    from django.conf import settings

    hosts = {request.get_host(), urlsplit(getattr(settings, "SITE_URL", "")).netloc}
    if url and url_has_allowed_host_and_scheme(url, allowed_hosts=hosts):
        return url
    return None


@login_required
@require_POST
def notification_open(request, pk: int):
    """Mark one notice read and follow its link (or, from htmx, answer with the row)."""
    notification = get_object_or_404(selectors.notifications_for_user(user=request.user), pk=pk)
    services.notification_mark_read(notification=notification, by=request.user)
    if _is_htmx(request):
        response = render(
            request, "notifications/partials/notification_item.html", {"n": notification}
        )
        response["HX-Trigger"] = "notificationsChanged"
        return response
    if request.POST.get("follow") and (link := _safe_link(request, notification.link)):
        return redirect(link)
    return redirect("notifications:list")


@login_required
@require_POST
def notification_read_all(request):
    count = services.notifications_mark_all_read(by=request.user)
    if _is_htmx(request):
        response = HttpResponse(status=204)
        response["HX-Refresh"] = "true"
        return response
    messages.success(request, _("%(count)d notices marked as read.") % {"count": count})
    return redirect("notifications:list")


@login_required
def preferences(request):
    user = request.user
    current = {
        p.event: (p.email, p.in_app) for p in NotificationPreference.objects.filter(user=user)
    }
    digest = NotificationSettings.objects.filter(user=user, daily_digest=True).exists()
    form = PreferencesForm(request.POST or None, user=user, current=current, digest=digest)
    if request.method == "POST" and form.is_valid():
        services.preferences_save(
            user=user,
            choices=form.choices(),
            daily_digest=form.cleaned_data.get("daily_digest", False),
        )
        messages.success(request, _("Your notification settings are saved."))
        return redirect(reverse("notifications:preferences"))
    return render(request, "notifications/preferences.html", {"form": form})
