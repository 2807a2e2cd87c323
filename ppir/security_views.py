"""A person's own security page and the export of their own personal data."""

import json

import rules
from allauth.mfa.models import Authenticator
from axes.models import AccessAttempt, AccessLog
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from audit.services import access_log

from .downloads import attachment_response
from .security import has_mfa, requires_mfa, sensitive_action

# Only one's own account: there is no object to compare, so being signed in is the rule.
can_manage_own_account = rules.is_authenticated


@login_required
@require_GET
def overview(request):
    """Two-factor status, recent sign-ins and the export of one's own data."""
    if not can_manage_own_account(request.user):
        raise PermissionDenied
    user = request.user
    recent = AccessLog.objects.filter(username=user.email).order_by("-attempt_time")[:10]
    return render(
        request,
        "security/overview.html",
        {
            "has_mfa": has_mfa(user),
            "requires_mfa": requires_mfa(user),
            "recovery_codes": Authenticator.objects.filter(
                user=user, type=Authenticator.Type.RECOVERY_CODES
            ).exists(),
            "recent_signins": recent,
        },
    )


def _own_data(user) -> dict:
    memberships = user.memberships.select_related("organisation").order_by("id")
    data = {
        "exported_at": timezone.now().isoformat(),
        "account": {
            "email": user.email,
            "name": user.name,
            "phone": user.phone,
            "language": user.language,
            "roles": user.roles,
            "date_joined": user.date_joined.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
            "two_factor": bool(has_mfa(user)),
        },
        "memberships": [
            {
                "organisation": m.organisation.name,
                "business_number": m.organisation.business_number_display,
                "status": m.status,
                "is_admin": m.is_admin,
            }
            for m in memberships
        ],
        "sign_in_attempts": {
            "successful": AccessLog.objects.filter(username=user.email).count(),
            "failed_now_counted": sum(
                a.failures_since_start for a in AccessAttempt.objects.filter(username=user.email)
            ),
        },
    }
    profile = getattr(user, "expert_profile", None)
    if profile is not None:
        data["expert_profile"] = {
            "organisation_name": profile.organisation_name,
            "department": profile.department,
            "researcher_number": profile.researcher_number,
            "subfields": [str(s) for s in profile.subfields.all()],
            "keywords": profile.keywords,
            "is_active": profile.is_active,
        }
    return data


@login_required
@require_http_methods(["GET", "POST"])
@sensitive_action
def export_own_data(request):
    """Download everything the system holds about the signed-in person, as JSON. A sensitive
    action: the person confirms with their second factor (or password) first."""
    if not can_manage_own_account(request.user):
        raise PermissionDenied
    if request.method == "GET":
        return render(request, "security/export.html")
    access_log(request=request, action="export_own_data", obj=request.user)
    payload = json.dumps(_own_data(request.user), ensure_ascii=False, indent=2, default=str)
    stamp = timezone.localdate().isoformat()
    return attachment_response(payload, f"ppir-my-data-{stamp}.json", "application/json")
