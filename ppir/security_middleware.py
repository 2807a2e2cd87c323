"""Middleware that enforces the sign-in policy on every request (see SECURITY.md)."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from .security import has_mfa, requires_mfa

STARTED_KEY = "ppir_session_started"
LAST_SEEN_KEY = "ppir_session_last_seen"
# Writing the session on every request costs a write per page; a minute's resolution is
# plenty for an idle timeout measured in tens of minutes.
LAST_SEEN_RESOLUTION = 60


class SessionTimeoutMiddleware:
    """Signs a person out after PPIR_SESSION_IDLE_TIMEOUT seconds without a request, and in
    any case SESSION_COOKIE_AGE seconds after the session began, whatever the activity
    (Django alone only has a sliding expiry once the session is written every request)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = time.time()
            session = request.session
            started = session.get(STARTED_KEY)
            last_seen = session.get(LAST_SEEN_KEY)
            idle_limit = settings.PPIR_SESSION_IDLE_TIMEOUT
            too_old = started is not None and now - started > settings.SESSION_COOKIE_AGE
            too_idle = last_seen is not None and now - last_seen > idle_limit
            if too_old or too_idle:
                logout(request)
                messages.info(
                    request, _("You were signed out to protect your account. Please sign in again.")
                )
                query = urlencode({"next": request.get_full_path()})
                return HttpResponseRedirect(f"{reverse(settings.LOGIN_URL)}?{query}")
            if started is None:
                session[STARTED_KEY] = now
            if last_seen is None or now - last_seen >= LAST_SEEN_RESOLUTION:
                session[LAST_SEEN_KEY] = now
        return self.get_response(request)


def _mfa_setup_allowed_paths() -> tuple[str, ...]:
    names = [
        "mfa_activate_totp",
        "mfa_index",
        "account_logout",
        "account_reauthenticate",
        "mfa_reauthenticate",
        "account_email_verification_sent",
        "set_language",
        "javascript-catalog",
        "healthz",
    ]
    return tuple(reverse(name) for name in names)


class MFARequiredMiddleware:
    """Officers, panel secretariat, PPS staff, experts and staff accounts must have an
    authenticator app set up: until they do, every page but the set-up (and signing out)
    sends them to the set-up page, and other methods are refused the same way."""

    def __init__(self, get_response):
        self.get_response = get_response
        self._allowed: tuple[str, ...] | None = None

    def allowed(self, path: str) -> bool:
        if self._allowed is None:
            self._allowed = _mfa_setup_allowed_paths()
        if path.startswith(settings.STATIC_URL) or path.startswith("/accounts/confirm-email/"):
            return True
        return path in self._allowed

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            settings.PPIR_MFA_REQUIRED
            and user is not None
            and user.is_authenticated
            and not self.allowed(request.path)
            and requires_mfa(user)
            and not has_mfa(user)
        ):
            messages.warning(
                request,
                _("Your role needs two-factor sign-in. Set up an authenticator app to continue."),
            )
            setup = reverse("mfa_activate_totp")
            if request.headers.get("HX-Request"):
                response = HttpResponseRedirect(setup)
                response["HX-Redirect"] = setup
                return response
            return HttpResponseRedirect(setup)
        return self.get_response(request)


PERMISSIONS_POLICY = (
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), "
    "interest-cohort=(), browsing-topics=()"
)


class SecurityHeadersMiddleware:
    """Headers Django does not set itself: no powerful browser features for any page, no
    embedding of our resources by other sites, and no copy of a signed-in page in any cache
    (a shared computer's back button must not show someone's application)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and "Cache-Control" not in response:
            response["Cache-Control"] = "private, no-store"
        return response
