"""Organisation pages: create one, ask to join one, and (for its administrator) decide on
requests. Only approved members see an organisation's data."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import selectors, services
from .enums import MembershipStatus
from .forms import JoinForm, OrganisationForm


@login_required
def organisation(request):
    """The applicant's organisation page: choose create or join, wait, or manage members."""
    memberships = selectors.memberships_of(user=request.user)
    approved = [m for m in memberships if m.status == MembershipStatus.APPROVED]
    pending = [m for m in memberships if m.status == MembershipStatus.PENDING]
    refused = [m for m in memberships if m.status == MembershipStatus.REFUSED]
    create_form = OrganisationForm(request.POST if "create" in request.POST else None)
    join_form = JoinForm(request.POST if "join" in request.POST else None)
    if request.method == "POST" and "create" in request.POST and create_form.is_valid():
        try:
            org = services.organisation_create(by=request.user, fields=create_form.cleaned_data)
        except ValidationError as exc:
            create_form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("%(name)s is registered. You can now start an application.") % {"name": org.name},
            )
            return redirect("applications:list")
    if request.method == "POST" and "join" in request.POST and join_form.is_valid():
        services.membership_request(by=request.user, organisation=join_form.organisation)
        messages.success(
            request,
            _("Your request was sent. The organisation's administrator will decide on it."),
        )
        return redirect("accounts:organisation")
    members = []
    for m in approved:
        if m.is_admin:
            members.append((m.organisation, selectors.members_of(organisation=m.organisation)))
    return render(
        request,
        "accounts/organisation.html",
        {
            "approved": approved,
            "pending": pending,
            "refused": refused,
            "create_form": create_form,
            "join_form": join_form,
            "members": members,
            "show_choice": not approved or request.method == "POST",
        },
    )


@login_required
@require_POST
def membership_decide(request, pk: int):
    membership = selectors.pending_request_for_admin(user=request.user, pk=pk)
    approve = request.POST.get("decision") == "approve"
    try:
        services.membership_decide(membership=membership, by=request.user, approve=approve)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
    else:
        person = membership.user.get_full_name()
        if approve:
            messages.success(
                request, _("%(person)s can now work on applications.") % {"person": person}
            )
        else:
            messages.info(
                request, _("The request from %(person)s was refused.") % {"person": person}
            )
    return redirect("accounts:organisation")
