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
        items.append((reverse("panels:invitation_list"), _("Invitations")))
    if user.has_role(Role.APPLICANT):
        items.append((reverse("procurement:my_results"), _("Results and certificates")))
    if user.has_role(Role.PPS) or user.has_role(Role.OFFICER):
        items.append((reverse("procurement:dashboard"), _("Procurement")))
    if is_programme_staff(user):
        items.append((reverse("applications:screening_queue"), _("Screening")))
        items.append((reverse("panels:assignment_home"), _("Reviewer assignment")))
        items.append((reverse("admin:index"), _("Administration")))
    path = request.path
    # The longest matching prefix is the current item (/reviews/ vs /reviews/invitations/).
    matches = [url for url, _label in items if path.startswith(url)]
    current = max(matches, key=len) if matches else None
    return [{"url": url, "label": label, "active": url == current} for url, label in items]


def site(request):
    user = getattr(request, "user", None)
    ctx = {
        "PPIR_ENVIRONMENT": getattr(settings, "PPIR_ENVIRONMENT", ""),
        "unread_notifications": 0,
        "nav_items": [],
    }
    if user is not None and user.is_authenticated:
        from notifications.selectors import unread_count

        ctx["unread_notifications"] = unread_count(user=user)
        ctx["nav_items"] = _nav_items(request, user)
    return ctx
