"""Pages of reviewer assignment (programme staff) and invitations (experts). Thin: check the
permission, validate a form, call one service, redirect or render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from applications.rules import is_officer
from audit.services import access_log

from . import services
from .assignment_selectors import (
    my_invitations,
    recent_runs,
    rounds_for_assignment,
    run_committees,
    run_proposal,
)
from .enums import OPEN_RUN_STATES, AssignmentRunState, AssignmentState
from .forms import AssignmentLaunchForm, ConflictDeclarationForm, DeclineForm
from .models import Assignment, AssignmentRun
from .rules import can_manage_assignment, can_respond_invitation


def _staff(request) -> None:
    if not can_manage_assignment(request.user):
        raise PermissionDenied


def _messages_of(exc: ValidationError) -> list[str]:
    return [str(m) for m in exc.messages]


# --- Officer pages -------------------------------------------------------------------------


@login_required
def assignment_home(request):
    _staff(request)
    form = AssignmentLaunchForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        run = services.assignment_run_launch(
            round=form.cleaned_data["round"],
            committee=form.cleaned_data["committee"],
            by=request.user,
        )
        messages.success(request, _("Assignment has started. This page shows its progress."))
        return redirect("panels:assignment_run", pk=run.pk)
    return render(
        request,
        "panels/assignment/home.html",
        {"form": form, "rounds": rounds_for_assignment(), "runs": recent_runs()},
    )


def _run_or_404(pk: int) -> AssignmentRun:
    return get_object_or_404(
        AssignmentRun.objects.select_related(
            "round", "committee__subfield", "application", "launched_by", "decided_by"
        ),
        pk=pk,
    )


@login_required
def assignment_run(request, pk: int):
    _staff(request)
    run = _run_or_404(pk)
    committees = run_committees(run)
    selected = None
    proposal = []
    if committees:
        wanted = request.GET.get("committee")
        selected = next((c for c in committees if str(c["subfield_id"]) == wanted), committees[0])
        proposal = run_proposal(run, subfield_id=selected["subfield_id"])
        access_log(request=request, action="view_assignment_proposal", obj=run)
    return render(
        request,
        "panels/assignment/run_detail.html",
        {
            "run": run,
            "committees": committees,
            "selected": selected,
            "proposal": proposal,
            "is_open": run.state in OPEN_RUN_STATES,
            "can_decide": run.state == AssignmentRunState.PROPOSED,
            "can_override": is_officer(request.user),
        },
    )


@login_required
def assignment_run_progress(request, pk: int):
    """The htmx poll: the progress bar while the run works, a full reload when it is done."""
    _staff(request)
    run = _run_or_404(pk)
    response = render(request, "panels/assignment/_progress.html", {"run": run})
    if run.state not in (AssignmentRunState.QUEUED, AssignmentRunState.RUNNING):
        response["HX-Refresh"] = "true"
    return response


@login_required
@require_POST
def assignment_run_confirm(request, pk: int):
    _staff(request)
    run = _run_or_404(pk)
    try:
        count = services.assignment_run_confirm(run=run, by=request.user)
    except ValidationError as exc:
        for m in _messages_of(exc):
            messages.error(request, m)
    else:
        messages.success(
            request,
            _("The proposal is confirmed: %(count)d invitations are being sent.")
            % {"count": count},
        )
    return redirect("panels:assignment_run", pk=run.pk)


@login_required
@require_POST
def assignment_run_discard(request, pk: int):
    _staff(request)
    run = _run_or_404(pk)
    try:
        services.assignment_run_discard(run=run, by=request.user)
    except ValidationError as exc:
        for m in _messages_of(exc):
            messages.error(request, m)
    else:
        messages.success(request, _("The run was discarded; nothing from it is kept."))
    return redirect("panels:assignment_run", pk=run.pk)


# --- Invitations (experts) -----------------------------------------------------------------


@login_required
def invitation_list(request):
    if not request.user.has_role("expert"):
        raise PermissionDenied
    rows = list(my_invitations(request.user))
    open_rows = [a for a in rows if a.state == AssignmentState.INVITED]
    other_rows = [a for a in rows if a.state != AssignmentState.INVITED]
    return render(
        request,
        "panels/invitation_list.html",
        {"open": open_rows, "answered": other_rows, "now": timezone.now()},
    )


def _own_or_404(request, pk: int) -> Assignment:
    """Another expert's invitation, or a proposal not yet sent, answers 404."""
    assignment = (
        Assignment.objects.select_related(
            "expert__user",
            "application__round",
            "application__subfield",
            "application__organisation",
        )
        .exclude(state=AssignmentState.PROPOSED)
        .filter(pk=pk)
        .first()
    )
    if assignment is None or not can_respond_invitation(request.user, assignment):
        raise Http404
    return assignment


@login_required
def invitation_detail(request, pk: int):
    assignment = _own_or_404(request, pk)
    access_log(
        request=request,
        action="view_invitation",
        obj=assignment,
        application=assignment.application,
    )
    return render(
        request,
        "panels/invitation_detail.html",
        {
            "a": assignment,
            "projects": assignment.application.rd_projects.all(),
            "decline_form": DeclineForm(),
            "conflict_form": ConflictDeclarationForm(),
            "is_open": assignment.state == AssignmentState.INVITED,
            "holds_place": assignment.state in (AssignmentState.INVITED, AssignmentState.ACCEPTED),
        },
    )


@login_required
@require_POST
def invitation_accept(request, pk: int):
    assignment = _own_or_404(request, pk)
    try:
        services.invitation_accept(assignment=assignment, by=request.user)
    except ValidationError as exc:
        for m in _messages_of(exc):
            messages.error(request, m)
    else:
        messages.success(request, _("Thank you: you accepted this review."))
    return redirect("panels:invitation_detail", pk=assignment.pk)


def _render_form_page(request, assignment, template, form):
    return render(request, template, {"a": assignment, "form": form})


@login_required
def invitation_decline(request, pk: int):
    assignment = _own_or_404(request, pk)
    form = DeclineForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.invitation_decline(
                assignment=assignment, by=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                for m in _messages_of(exc):
                    messages.error(request, m)
                return redirect("panels:invitation_detail", pk=assignment.pk)
        else:
            messages.success(request, _("You declined this review. Thank you for telling us."))
            return redirect("panels:invitation_list")
    return _render_form_page(request, assignment, "panels/invitation_decline.html", form)


@login_required
def invitation_conflict(request, pk: int):
    assignment = _own_or_404(request, pk)
    form = ConflictDeclarationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.conflict_declare(
                assignment=assignment,
                by=request.user,
                reason=form.cleaned_data["reason"],
                is_recusal=form.cleaned_data["kind"] == "recusal",
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                for m in _messages_of(exc):
                    messages.error(request, m)
                return redirect("panels:invitation_detail", pk=assignment.pk)
        else:
            messages.success(
                request,
                _("Your declaration is recorded; you are no longer assigned to this application."),
            )
            return redirect("panels:invitation_list")
    return _render_form_page(request, assignment, "panels/invitation_conflict.html", form)
