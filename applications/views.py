"""Applicant and screening pages. Views are thin: authorise, validate a form, call one
service, redirect or render. Another organisation's objects answer 404 (selectors)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST
from django_fsm import ConcurrentTransition, TransitionNotAllowed

from audit.services import access_log

from . import eligibility, forms, selectors, services
from .enums import EDITABLE_BY_APPLICANT, WITHDRAWABLE_STATES, ApplicationState, DocumentKind
from .models import ApplicationVersion, Round
from .rules import is_applicant, is_application_owner, is_programme_staff

STEPS = [
    ("product", gettext_lazy("Product")),
    ("round", gettext_lazy("Sub-field and round")),
    ("projects", gettext_lazy("R&D projects")),
    ("documents", gettext_lazy("Documents")),
    ("declarations", gettext_lazy("Declarations")),
    ("review", gettext_lazy("Review and submit")),
]
STEP_CODES = [code for code, _label in STEPS]


def _step_done(application, code: str) -> bool:
    """A step with required answers is done when none is missing (what submission checks);
    the projects and documents steps when something is linked or uploaded."""
    if application is None or code == "review":
        return False
    if code in selectors.REQUIRED_FOR_SUBMISSION:
        return all(gap["step"] != code for gap in selectors.submission_gaps(application))
    related = application.rd_projects if code == "projects" else application.documents
    return bool(related.all())


def _steps(application, current: str) -> list[dict]:
    return [
        {
            "code": code,
            "label": label,
            "number": i,
            "current": code == current,
            "done": _step_done(application, code),
            "url": reverse("applications:step", args=[application.pk, code])
            if application is not None and code != "review"
            else (reverse("applications:review", args=[application.pk]) if application else ""),
        }
        for i, (code, label) in enumerate(STEPS, start=1)
    ]


def _next_url(application, step: str) -> str:
    following = STEP_CODES[STEP_CODES.index(step) + 1]
    if following == "review":
        return reverse("applications:review", args=[application.pk])
    return reverse("applications:step", args=[application.pk, following])


def _wizard_ctx(application, step: str, **extra) -> dict:
    results = eligibility.check(application) if application is not None else []
    return {
        "application": application,
        "step": step,
        "steps": _steps(application, step),
        "results": results,
        "blocking": eligibility.blocking(results),
        "flagged": [r for r in results if r.flagged],
        **extra,
    }


def _editable_draft(request, pk: int):
    """The user's draft; a submitted one is frozen, so we send them to its page."""
    application = selectors.draft_for_owner(user=request.user, pk=pk)
    if application.state not in EDITABLE_BY_APPLICANT:
        messages.info(request, _("This application has been submitted and is now frozen."))
        return None, redirect("applications:detail", pk=application.pk)
    return application, None


@login_required
def application_list(request):
    if not is_applicant(request.user):
        raise PermissionDenied
    organisations = list(selectors.organisations_of(user=request.user))
    if not organisations:
        return redirect("accounts:organisation")
    applications = selectors.application_list_for_applicant(user=request.user)
    return render(
        request,
        "applications/application_list.html",
        {"applications": applications, "organisations": organisations},
    )


@login_required
def application_new(request):
    """Step 1 for a new draft. The draft is created on the first save, in the open round that
    closes soonest; step 2 lets the applicant choose another."""
    if not is_applicant(request.user):
        raise PermissionDenied
    organisation = selectors.organisations_of(user=request.user).first()
    if organisation is None:
        return redirect("accounts:organisation")
    now = timezone.now()
    open_round = (
        Round.objects.filter(opens_at__lte=now, closes_at__gt=now).order_by("closes_at").first()
    )
    form = forms.ProductForm(request.POST or None)
    if request.method == "POST" and open_round is None:
        # The round closed while the page was open: keep what was typed on the page.
        form.full_clean()
        form.add_error(
            None,
            _(
                "No round is open for applications now, so the draft could not be saved. "
                "Your answers are still below: copy them before leaving this page."
            ),
        )
    if request.method == "POST" and open_round is not None and form.is_valid():
        application = services.application_create_draft(
            by=request.user, organisation=organisation, round=open_round, fields=form.cleaned_data
        )
        messages.success(request, _("Draft saved. You can come back to it at any time."))
        return redirect("applications:step", pk=application.pk, step="round")
    ctx = _wizard_ctx(None, "product", form=form, open_round=open_round)
    ctx["steps"] = _steps(None, "product")
    return render(request, "applications/wizard_product.html", ctx)


@login_required
def resume(request, pk: int):
    """Continue a draft at its first unfinished step."""
    application, response = _editable_draft(request, pk)
    if response:
        return response
    for code in STEP_CODES[:-1]:
        if not _step_done(application, code):
            return redirect("applications:step", pk=pk, step=code)
    return redirect("applications:review", pk=pk)


@login_required
def wizard_step(request, pk: int, step: str):
    if step not in STEP_CODES or step == "review":
        raise Http404
    application, response = _editable_draft(request, pk)
    if response:
        return response
    handler = {
        "product": _step_model_form,
        "round": _step_model_form,
        "declarations": _step_declarations,
        "projects": _step_projects,
        "documents": _step_documents,
    }[step]
    return handler(request, application, step)


STEP_FORMS = {
    "product": (forms.ProductForm, "applications/wizard_product.html"),
    "round": (forms.RoundForm, "applications/wizard_round.html"),
}


def _save_and_continue(request, application, step: str, fields: dict):
    try:
        services.application_update_draft(application=application, by=request.user, fields=fields)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, services.refusal_message(exc))
        return redirect("applications:detail", pk=application.pk)
    messages.success(request, _("Saved."))
    if "save_exit" in request.POST:
        return redirect("applications:list")
    return redirect(_next_url(application, step))


def _step_model_form(request, application, step: str):
    form_class, template = STEP_FORMS[step]
    form = form_class(request.POST or None, instance=application)
    if request.method == "POST" and form.is_valid():
        return _save_and_continue(request, application, step, form.cleaned_data)
    if request.method == "POST":
        # The form mutated the instance while validating; reload so the sidebar is truthful.
        application = selectors.draft_for_owner(user=request.user, pk=application.pk)
    return render(request, template, _wizard_ctx(application, step, form=form))


def _step_declarations(request, application, step: str):
    form = forms.DeclarationsForm(
        request.POST if "save_declarations" in request.POST else None, instance=application
    )
    expert_form = forms.UnsuitableExpertForm(request.POST if "add_expert" in request.POST else None)
    if request.method == "POST":
        if "add_expert" in request.POST and expert_form.is_valid():
            services.unsuitable_expert_add(
                application=application, by=request.user, **expert_form.cleaned_data
            )
            messages.success(request, _("Expert added to your list."))
            return redirect("applications:step", pk=application.pk, step=step)
        if "save_declarations" in request.POST and form.is_valid():
            return _save_and_continue(request, application, step, form.cleaned_data)
        application = selectors.draft_for_owner(user=request.user, pk=application.pk)
    return render(
        request,
        "applications/wizard_declarations.html",
        _wizard_ctx(
            application,
            step,
            form=form,
            expert_form=expert_form,
            experts=list(application.unsuitable_experts.all()),
        ),
    )


@login_required
@require_POST
def expert_remove(request, pk: int, expert_pk: int):
    application, response = _editable_draft(request, pk)
    if response:
        return response
    request_obj = get_object_or_404(application.unsuitable_experts, pk=expert_pk)
    services.unsuitable_expert_remove(request_obj=request_obj, by=request.user)
    messages.success(request, _("Removed."))
    return redirect("applications:step", pk=application.pk, step="declarations")


def _project_rows(application, projects) -> list[dict]:
    from .validators import normalise_business_number

    brn = normalise_business_number(application.organisation.business_number)
    return [
        {"project": p, "took_part": eligibility.organisation_took_part(p, brn)} for p in projects
    ]


def _step_projects(request, application, step: str):
    form = forms.ProjectLinkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.application_link_project(
            application=application, by=request.user, project=form.project
        )
        messages.success(
            request, _("Project %(number)s linked.") % {"number": form.project.ntis_number}
        )
        return redirect("applications:step", pk=application.pk, step=step)
    ctx = _wizard_ctx(
        application,
        step,
        form=form,
        linked=_project_rows(application, application.rd_projects.all()),
        next_url=_next_url(application, step),
    )
    return render(request, "applications/wizard_projects.html", ctx)


@login_required
@require_GET
def project_search(request, pk: int):
    """The live search (htmx): a partial list of matching projects."""
    application = selectors.draft_for_owner(user=request.user, pk=pk)
    query = request.GET.get("q", "")
    results = selectors.project_search(
        query=query, business_number=application.organisation.business_number
    )
    linked = {p.pk for p in application.rd_projects.all()}
    return render(
        request,
        "applications/partials/project_results.html",
        {"application": application, "results": results, "query": query, "linked": linked},
    )


@login_required
@require_POST
def project_link(request, pk: int, project_pk: int):
    from .models import RDProject

    application, response = _editable_draft(request, pk)
    if response:
        return response
    project = get_object_or_404(RDProject, pk=project_pk)
    services.application_link_project(application=application, by=request.user, project=project)
    messages.success(request, _("Project %(number)s linked.") % {"number": project.ntis_number})
    return redirect("applications:step", pk=application.pk, step="projects")


@login_required
@require_POST
def project_unlink(request, pk: int, project_pk: int):
    application, response = _editable_draft(request, pk)
    if response:
        return response
    project = get_object_or_404(application.rd_projects, pk=project_pk)
    services.application_unlink_project(application=application, by=request.user, project=project)
    messages.success(request, _("Project %(number)s removed.") % {"number": project.ntis_number})
    return redirect("applications:step", pk=application.pk, step="projects")


def _step_documents(request, application, step: str):
    form = forms.DocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        services.document_add(application=application, by=request.user, **form.service_kwargs())
        messages.success(request, _("Document uploaded."))
        return redirect("applications:step", pk=application.pk, step=step)
    documents = list(application.documents.all())
    ctx = _wizard_ctx(
        application,
        step,
        form=form,
        documents=documents,
        next_url=_next_url(application, step),
    )
    return render(request, "applications/wizard_documents.html", ctx)


@login_required
@require_POST
def document_delete(request, pk: int, doc_pk: int):
    application, response = _editable_draft(request, pk)
    if response:
        return response
    document = get_object_or_404(application.documents, pk=doc_pk)
    services.document_remove(document=document, by=request.user)
    messages.success(request, _("Document removed."))
    return redirect("applications:step", pk=application.pk, step="documents")


@login_required
def review(request, pk: int):
    application, response = _editable_draft(request, pk)
    if response:
        return response
    ctx = _wizard_ctx(
        application,
        "review",
        round=application.round,
        round_open=application.round.is_open,
        now=timezone.now(),
        experts=list(application.unsuitable_experts.all()),
        linked=_project_rows(application, application.rd_projects.all()),
    )
    labels = dict(STEPS)
    ctx["gaps"] = [
        {
            **gap,
            "label": labels[gap["step"]],
            "url": reverse("applications:step", args=[application.pk, gap["step"]]),
        }
        for gap in selectors.submission_gaps(application)
    ]
    return render(request, "applications/wizard_review.html", ctx)


@login_required
@require_POST
def submit(request, pk: int):
    application, response = _editable_draft(request, pk)
    if response:
        return response
    try:
        services.application_submit(application=application, by=request.user)
    except (ValidationError, TransitionNotAllowed, ConcurrentTransition) as exc:
        messages.error(
            request,
            _("The application was not submitted. %(why)s")
            % {"why": services.refusal_message(exc)},
        )
        return redirect("applications:review", pk=pk)
    return redirect("applications:receipt", pk=pk)


@login_required
def receipt(request, pk: int):
    application = selectors.draft_for_owner(user=request.user, pk=pk)
    if application.state == ApplicationState.DRAFT:
        return redirect("applications:review", pk=pk)
    return render(request, "applications/receipt.html", {"application": application})


@login_required
def application_detail(request, pk: int):
    application = selectors.application_for_viewer(user=request.user, pk=pk)
    access_log(request=request, action="view_application", obj=application, application=application)
    is_owner = is_application_owner(request.user, application)
    supplements = selectors.supplements_for(application=application)
    open_supplement = next((s for s in supplements if s.is_open), None)
    answer_form = doc_formset = None
    if is_owner and open_supplement and application.state == ApplicationState.SUPPLEMENT_REQUESTED:
        answer_form = forms.SupplementAnswerForm(
            request.POST if request.method == "POST" else None,
            documents=[d for d in application.documents.all() if d.is_current],
        )
        doc_formset = forms.SupplementDocumentFormSet(
            request.POST if request.method == "POST" else None,
            request.FILES if request.method == "POST" else None,
            prefix="doc",
            form_kwargs={"kinds": DocumentKind.choices},
        )
        if request.method == "POST" and answer_form.is_valid() and doc_formset.is_valid():
            documents = [
                {**f.service_kwargs()} for f in doc_formset.forms if f.cleaned_data.get("file")
            ]
            replaces = answer_form.replaced_documents()
            if unmatched := services.replacement_missing(replaces=replaces, documents=documents):
                answer_form.add_error("replaces", unmatched)
            elif _answer_sent(request, application, answer_form, documents, replaces):
                return redirect("applications:detail", pk=pk)
    elif request.method == "POST":
        raise Http404
    ctx = {
        "application": application,
        "is_owner": is_owner,
        "history": selectors.history_for(
            application=application, staff=is_programme_staff(request.user)
        ),
        "supplements": supplements,
        "open_supplement": open_supplement,
        "answer_form": answer_form,
        "doc_formset": doc_formset,
        "versions": selectors.versions_for(application=application),
        "can_withdraw": is_owner and application.state in WITHDRAWABLE_STATES,
        "is_draft": application.state in EDITABLE_BY_APPLICANT,
        "is_staff": is_programme_staff(request.user),
    }
    return render(request, "applications/application_detail.html", ctx)


def _answer_sent(request, application, answer_form, documents, replaces) -> bool:
    try:
        services.application_answer_supplement(
            application=application,
            by=request.user,
            comment=answer_form.cleaned_data["message"],
            documents=documents,
            replaces=replaces,
        )
    except (ValidationError, TransitionNotAllowed, ConcurrentTransition) as exc:
        messages.error(request, services.refusal_message(exc))
        return False
    messages.success(request, _("Your answer was sent. The application is back in screening."))
    return True


@login_required
def withdraw(request, pk: int):
    application = selectors.draft_for_owner(user=request.user, pk=pk)
    if application.state not in WITHDRAWABLE_STATES:
        messages.error(request, _("This application can no longer be withdrawn."))
        return redirect("applications:detail", pk=pk)
    form = forms.WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.application_withdraw(
                application=application, by=request.user, reason=form.cleaned_data["reason"]
            )
        except (TransitionNotAllowed, ConcurrentTransition, PermissionDenied) as exc:
            messages.error(request, services.refusal_message(exc))
        else:
            messages.success(request, _("The application was withdrawn."))
        return redirect("applications:detail", pk=pk)
    return render(
        request, "applications/withdraw_confirm.html", {"application": application, "form": form}
    )


FIELD_LABELS = {
    "product_name": gettext_lazy("Product name"),
    "product_name_en": gettext_lazy("Product name in English"),
    "product_description": gettext_lazy("Product description"),
    "trl": gettext_lazy("Technology readiness level"),
    "intended_buyers": gettext_lazy("Intended public buyers"),
    "intended_use": gettext_lazy("Intended use"),
    "indicative_price": gettext_lazy("Indicative price (KRW)"),
    "round": gettext_lazy("Round"),
    "subfield": gettext_lazy("Sub-field"),
    "declared_not_designated": gettext_lazy("Declared not designated before"),
    "declared_truthful": gettext_lazy("Declared truthful"),
}


@login_required
def version_diff(request, pk: int):
    application = selectors.application_for_viewer(user=request.user, pk=pk)
    versions = selectors.versions_for(application=application)
    if len(versions) < 2:
        messages.info(request, _("There is only one submitted version so far."))
        return redirect("applications:detail", pk=pk)
    numbers = [v.number for v in versions]
    try:
        a = int(request.GET.get("a", numbers[-2]))
        b = int(request.GET.get("b", numbers[-1]))
    except ValueError as exc:
        raise Http404 from exc
    older = get_object_or_404(ApplicationVersion, application=application, number=min(a, b))
    newer = get_object_or_404(ApplicationVersion, application=application, number=max(a, b))
    diff = selectors.version_diff(older.snapshot, newer.snapshot)
    for row in diff["fields"]:
        row["label"] = FIELD_LABELS.get(row["name"], row["name"])
    kinds = dict(DocumentKind.choices)
    for doc in diff["documents_added"] + diff["documents_removed"]:
        doc["kind_label"] = kinds.get(doc["kind"], doc["kind"])
    return render(
        request,
        "applications/version_diff.html",
        {
            "application": application,
            "older": older,
            "newer": newer,
            "diff": diff,
            "numbers": numbers,
        },
    )


@login_required
@require_GET
def document_download(request, doc_pk: int):
    """Serve an uploaded document to its organisation's members and to programme staff, as
    an attachment with its stored content type, never inline."""
    document = selectors.document_for_viewer(user=request.user, pk=doc_pk)
    access_log(
        request=request,
        action="document:download",
        obj=document,
        application=document.application,
    )
    try:
        handle = document.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=document.original_name,
        content_type=document.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


# Officer screening.


def _require_staff(request):
    # A role refusal is 403; another organisation's object would be 404.
    if not is_programme_staff(request.user):
        raise PermissionDenied


@login_required
def screening_queue(request):
    _require_staff(request)
    form = forms.ScreeningFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    queue = selectors.screening_queue(
        round_id=getattr(filters.get("round"), "pk", None),
        subfield_id=getattr(filters.get("subfield"), "pk", None),
        state=filters.get("state") or None,
        flagged_only=bool(filters.get("flagged")),
        overdue_only=bool(filters.get("overdue")),
    )
    page = Paginator(queue, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "applications/screening_queue.html",
        {"form": form, "page": page, "query": query.urlencode()},
    )


@login_required
def screening_detail(request, pk: int):
    _require_staff(request)
    application = selectors.application_for_viewer(user=request.user, pk=pk)
    if application.state == ApplicationState.DRAFT:
        raise Http404
    action = request.POST.get("action") if request.method == "POST" else None
    forms_by_action = {
        "supplement": forms.SupplementRequestForm(
            request.POST if action == "supplement" else None,
            initial={
                "deadline": timezone.localtime(
                    services.supplement_deadline_default(application.round)
                ).date()
            },
        ),
        "eligible": forms.EligibleForm(request.POST if action == "eligible" else None),
        "ineligible": forms.IneligibleForm(request.POST if action == "ineligible" else None),
        "override": forms.OverrideForm(request.POST if action == "override" else None),
        # Its own ids: "reason" is also the ineligible form's field on this page.
        "correct": forms.CorrectionForm(
            request.POST if action == "correct" else None,
            application=application,
            auto_id="id_correct_%s",
        ),
    }
    if action in forms_by_action:
        form = forms_by_action[action]
        if form.is_valid():
            data = form.cleaned_data
            if action == "correct":
                data = {**data, "changes": form.changes()}
            try:
                _screening_action(request, application, action, data)
            except (ValidationError, TransitionNotAllowed, ConcurrentTransition) as exc:
                messages.error(request, services.refusal_message(exc))
            else:
                return redirect("applications:screening_detail", pk=pk)
    elif action is not None:
        raise Http404
    flags = list(application.eligibility_flags.select_related("overridden_by").order_by("id"))
    labels = eligibility.RULE_LABELS
    for flag in flags:
        flag.label = labels.get(flag.rule, flag.rule)
    ctx = {
        "application": application,
        "flags": flags,
        "unresolved": [flag for flag in flags if not flag.effective_passed],
        "needs_verdict": [flag for flag in flags if flag.needs_screening],
        "judged_failing": [flag for flag in flags if flag.override_passed is False],
        "projects": _project_rows(application, application.rd_projects.all()),
        "history": selectors.history_for(application=application, staff=True),
        "supplements": selectors.supplements_for(application=application),
        "versions": selectors.versions_for(application=application),
        "experts": list(application.unsuitable_experts.all()),
        "forms": forms_by_action,
        "action": action,
        "in_screening": application.state
        in (ApplicationState.SUBMITTED, ApplicationState.SUPPLEMENT_REQUESTED),
    }
    return render(request, "applications/screening_detail.html", ctx)


def _screening_action(request, application, action: str, data: dict) -> None:
    if action == "supplement":
        services.application_request_supplement(
            application=application,
            by=request.user,
            reason=data["message"],
            documents_wanted=data["documents_wanted"],
            deadline=data["deadline"],
        )
        messages.success(request, _("Supplement requested; the applicant has been notified."))
    elif action == "eligible":
        services.application_mark_eligible(
            application=application, by=request.user, comment=data["comment"]
        )
        messages.success(request, _("Marked eligible: the application moves to expert review."))
    elif action == "ineligible":
        services.application_mark_ineligible(
            application=application, by=request.user, reason=data["reason"]
        )
        messages.success(request, _("Marked ineligible; the applicant has been notified."))
    elif action == "correct":
        services.application_correct(
            application=application,
            by=request.user,
            fields=data["changes"],
            reason=data["reason"],
            read_version=data["read_version"],
        )
        messages.success(
            request, _("Corrected: a new version is stored and the eligibility check re-run.")
        )
    elif action == "override":
        services.eligibility_override(
            application=application,
            by=request.user,
            rule=data["rule"],
            passed=data["passed"],
            reason=data["reason"],
        )
        messages.success(request, _("Verdict overridden; the reason is kept in the history."))
