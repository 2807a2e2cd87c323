from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.enums import Role


def _nav_items(request, user) -> list[dict]:
    from applications.rules import is_programme_staff

    items = []
    if user.has_role(Role.APPLICANT):
        items.append((reverse("applications:list"), _("My applications")))
    if user.has_role(Role.EXPERT):
        items.append((reverse("panels:dashboard"), _("My reviews")))
    if user.has_role(Role.APPLICANT):
        items.append((reverse("procurement:my_results"), _("Results and certificates")))
    if user.has_role(Role.PPS) or user.has_role(Role.OFFICER):
        items.append((reverse("procurement:dashboard"), _("Procurement")))
    if is_programme_staff(user):
        items.append((reverse("admin:index"), _("Administration")))
    path = request.path
    return [{"url": url, "label": label, "active": path.startswith(url)} for url, label in items]


def site(request):
    user = getattr(request, "user", None)
    ctx = {
        "PPIR_ENVIRONMENT": getattr(settings, "PPIR_ENVIRONMENT", ""),
        "unread_notifications": 0,
        "nav_items": [],
    }
    if user is not None and user.is_authenticated:
        ctx["unread_notifications"] = user.notifications.filter(read_at__isnull=True).count()
        ctx["nav_items"] = _nav_items(request, user)
    return ctx
