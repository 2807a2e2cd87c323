from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from .rules import can_use_procurement


@login_required
def dashboard(request):
    if not can_use_procurement(request.user):
        raise PermissionDenied
    return render(request, "procurement/dashboard.html")


def register(request):
    """The public register of certified products (no login)."""
    return render(request, "procurement/register.html")


def verify_lookup(request):
    number = (request.GET.get("number") or "").strip()
    if number:
        try:
            return redirect(reverse("public:verify", args=[number]))
        except NoReverseMatch:
            # Not even the shape of a number (a "/" in it): say so instead of a server error.
            return render(
                request,
                "procurement/verify_lookup.html",
                {"error": _("That is not a certificate number."), "number": number},
            )
    return render(request, "procurement/verify_lookup.html")


def verify(request, number: str):
    return render(request, "procurement/verify.html", {"number": number, "certificate": None})
