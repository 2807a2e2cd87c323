"""Pages of the scoring work: an expert's pledge, application and scoring form; the chair's
consensus page; the officers' expert mileage. Views are thin: authorise, validate, call one
service, redirect or render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_fsm import ConcurrentTransition, TransitionNotAllowed

from applications.enums import ApplicationState
from applications.services import refusal_message
from audit.services import access_log
from ppir.downloads import attachment_response

from . import rules as r
from . import selectors, services
from .enums import AssignmentState, ConflictRule, ReviewState
from .forms_review import ConsensusForm, PanelCloseForm, PledgeForm, ReviewForm

S = ApplicationState


def _assignment(request, pk: int):
    return selectors.assignment_for_expert(user=request.user, application_pk=pk)


@login_required
def review_detail(request, pk: int):
    """Before the pledge: the pledge form, with the product name only. After: the full
    application with its projects and documents."""
    assignment = _assignment(request, pk)
    if assignment.pledge_signed_at is None:
        return render(
            request,
            "panels/review_pledge.html",
            {
                "assignment": assignment,
                "application": assignment.application,
                "form": PledgeForm(),
                "conflict_rules": ConflictRule.choices,
            },
        )
    application = selectors.application_content(application_pk=pk)
    access_log(request=request, action="review:view_application", application=application)
    return render(
        request,
        "panels/review_detail.html",
        {
            "assignment": assignment,
            "application": application,
            "review": selectors.review_of(assignment=assignment),
            "panel_open": services.panel_is_open(application=application, assignment=assignment),
            "days_left": selectors.days_left(application.round.review_deadline),
        },
    )


@login_required
@require_POST
def review_pledge(request, pk: int):
    assignment = _assignment(request, pk)
    if assignment.state != AssignmentState.ACCEPTED:
        messages.error(request, _("Accept the invitation before signing the pledge."))
        return redirect("panels:review_detail", pk=pk)
    form = PledgeForm(request.POST)
    if not form.is_valid():
        return render(
            request,
            "panels/review_pledge.html",
            {
                "assignment": assignment,
                "application": assignment.application,
                "form": form,
                "conflict_rules": ConflictRule.choices,
            },
            status=400,
        )
    services.review_sign_pledge(assignment=assignment, by=request.user)
    messages.success(request, _("Pledge signed. You can now read and score the application."))
    return redirect("panels:review_detail", pk=pk)


@login_required
def review_document(request, pk: int, document_pk: int):
    assignment = _assignment(request, pk)
    if assignment.pledge_signed_at is None:
        raise Http404
    # Superseded versions stay with the officers; experts review what is current.
    document = get_object_or_404(
        assignment.application.documents.filter(is_current=True), pk=document_pk
    )
    access_log(
        request=request,
        action="review:download_document",
        obj=document,
        application=assignment.application,
    )
    return attachment_response(
        document.file.open("rb"),
        document.original_name,
        document.content_type or "application/octet-stream",
    )


@login_required
def review_score(request, pk: int):
    assignment = _assignment(request, pk)
    if assignment.pledge_signed_at is None:
        return redirect("panels:review_detail", pk=pk)
    application = assignment.application
    rnd = application.round
    gates, criteria = list(rnd.gates.all()), list(rnd.criteria.all())
    review = selectors.review_of(assignment=assignment)
    is_open = services.panel_is_open(application=application, assignment=assignment)
    status = 200
    if request.method == "POST":
        submit = request.POST.get("action") == "submit" or bool(
            review and review.state == ReviewState.SUBMITTED
        )
        form = ReviewForm(request.POST, gates=gates, criteria=criteria, submit=submit)
        if not is_open:
            messages.error(request, _("The panel is closed: this review can no longer be changed."))
            return redirect("panels:review_detail", pk=pk)
        if form.is_valid():
            try:
                services.review_save(
                    assignment=assignment,
                    by=request.user,
                    gate_answers=form.gate_answers(),
                    answers=form.answers(),
                    overall_opinion=form.cleaned_data.get("overall_opinion") or "",
                    submit=submit,
                )
            except ValidationError as exc:
                for name, errs in exc.message_dict.items():
                    form.add_error(name if name in form.fields else None, errs)
            except services.ReviewClosed as exc:
                messages.error(request, str(exc))
                return redirect("panels:review_detail", pk=pk)
            else:
                if submit:
                    messages.success(request, _("Your review is submitted. Thank you."))
                    return redirect("panels:dashboard")
                messages.success(request, _("Draft saved."))
                return redirect("panels:review_score", pk=pk)
        status = 400
    else:
        form = ReviewForm(initial=ReviewForm.initial_from(review), gates=gates, criteria=criteria)
    return render(
        request,
        "panels/review_form.html",
        {
            "assignment": assignment,
            "application": application,
            "review": review,
            "form": form,
            "panel_open": is_open,
            "days_left": selectors.days_left(rnd.review_deadline),
        },
        status=status,
    )


# --- consensus ------------------------------------------------------------------------------

CONSENSUS_VISIBLE_TO_CHAIR = (
    S.CONSENSUS,
    S.SUITABILITY_REVIEW,
    S.AWAITING_DECISION,
    S.CERTIFIED,
    S.REJECTED,
    S.OBJECTION,
)


@login_required
def consensus_detail(request, pk: int):
    application = selectors.consensus_application(pk=pk)
    is_staff = r.is_programme_staff(request.user)
    is_chair = r.can_chair_consensus(request.user, application)
    if not (is_staff or (is_chair and application.state in CONSENSUS_VISIBLE_TO_CHAIR)):
        raise Http404
    can_record = is_chair and application.state == S.CONSENSUS
    view = selectors.panel_view(application=application, with_calibration=is_staff)
    # The page shows experts' scores and, to staff, their names.
    access_log(request=request, action="review:view_panel", application=application)
    status = 200
    if request.method == "POST":
        if not can_record:
            raise Http404
        form = ConsensusForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.consensus_record(
                    application=application,
                    by=request.user,
                    score=data["score"],
                    opinion=data["opinion"],
                    recommended=data["recommended"],
                    meeting_kind=data["meeting_kind"],
                    meeting_date=data["meeting_date"],
                    meeting_notes=data["meeting_notes"],
                )
            except ValidationError as exc:
                for name, errs in exc.message_dict.items():
                    form.add_error(name if name in form.fields else None, errs)
            except (TransitionNotAllowed, ConcurrentTransition, PermissionDenied) as exc:
                messages.error(request, refusal_message(exc))
                return redirect("panels:consensus", pk=pk)
            else:
                messages.success(request, _("The panel consensus is recorded."))
                return redirect("panels:dashboard")
        status = 400
    else:
        agg = view.aggregate
        form = ConsensusForm(
            initial={
                "score": agg.panel_score,
                "recommended": {True: "yes", False: "no"}.get(agg.recommended, ""),
            }
        )
    return render(
        request,
        "panels/consensus_detail.html",
        {
            "application": application,
            "panel": view,
            "form": form if can_record else None,
            "show_names": is_staff or application.round.reveal_reviewer_names,
            "show_calibration": is_staff,
        },
        status=status,
    )


# --- mileage ------------------------------------------------------------------------------


@login_required
def expert_mileage(request):
    if not r.can_view_mileage(request.user):
        raise Http404
    return _overview(request, PanelCloseForm())


def _overview(request, close_form, status=200):
    access_log(request=request, action="review:view_expert_mileage")
    return render(
        request,
        "panels/review_experts.html",
        {
            "experts": selectors.expert_mileage(),
            "in_consensus": selectors.panels_in_consensus(),
            "closures": selectors.panel_closures(),
            "close_form": close_form,
        },
        status=status,
    )


@login_required
@require_POST
def panel_close(request):
    if not r.can_view_mileage(request.user):
        raise Http404
    form = PanelCloseForm(request.POST)
    if not form.is_valid():
        return _overview(request, form, status=400)
    services.panel_close(
        round=form.cleaned_data["round"], committee=form.cleaned_data["committee"], by=request.user
    )
    messages.success(request, _("The panel is closed: experts can no longer change their reviews."))
    return redirect("panels:expert_mileage")
