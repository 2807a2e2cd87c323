"""Thin views: authenticate, authorise (rules), validate a form, call one service, redirect
or render. Another user's or organisation's object answers 404."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_fsm import ConcurrentTransition, TransitionNotAllowed

from applications.enums import ApplicationState as S
from applications.models import Application, Round
from applications.services import refusal_message
from audit.services import access_log
from ppir.downloads import attachment_response
from ppir.security import sensitive_action

from . import exports, forms, selectors, services
from . import rules as r
from .enums import ExportKind, ExtensionState, ObjectionDecision
from .models import Certificate, ExtensionRequest, Objection, ObjectionDocument, seoul_today

PAGE_SIZE = 20


def _staff_only(predicate):
    """Login required, then the predicate on the user; a 403 for the wrong role."""

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not predicate.test(request.user, None):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


pps_or_officer = _staff_only(r.can_use_procurement)
officer_only = _staff_only(r.can_decide)


def _apply_errors(form, exc: ValidationError) -> None:
    """Show a service's refusal beside the field it concerns, or at the top of the form."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            for error in errors:
                form.add_error(name if name in form.fields else None, error)
    else:
        for message in exc.messages:
            form.add_error(None, message)


def _attempt(form, service, **kwargs):
    """Call a write service. A refusal lands on the form (beside the field it names, else
    above it, the same sentence admin shows for a concurrent change) and None comes back,
    so the page shows again with everything entered; otherwise the service's result."""
    try:
        return service(**kwargs)
    except ValidationError as exc:
        _apply_errors(form, exc)
    except (TransitionNotAllowed, ConcurrentTransition) as exc:
        form.add_error(None, refusal_message(exc))
    return None


def _page(request, qs):
    return Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))


# PPS staff and officers --------------------------------------------------------------------


@pps_or_officer
def dashboard(request):
    ctx = {
        "suitability_count": selectors.suitability_queue().count(),
        "awaiting_registration_count": selectors.certified_awaiting_registration().count(),
        "catalogue_count": selectors.catalogue_entries().count(),
        "is_officer": r.can_decide.test(request.user, None),
    }
    if ctx["is_officer"]:
        ctx.update(
            decision_count=selectors.decision_queue().count(),
            unreleased_count=selectors.decided_unreleased().count(),
            objection_count=selectors.pending_objections().count(),
            extension_count=selectors.pending_extensions().count(),
        )
    return render(request, "procurement/dashboard.html", ctx)


@pps_or_officer
def suitability_queue(request):
    page = _page(request, selectors.suitability_queue())
    return render(request, "procurement/suitability_queue.html", {"page": page})


@pps_or_officer
def suitability_detail(request, pk: int):
    application = selectors.suitability_application(pk=pk)
    form = forms.SuitabilityForm(request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and _attempt(
            form,
            services.suitability_record,
            application=application,
            by=request.user,
            suitable=form.cleaned_data["suitable"],
            notes=form.cleaned_data["notes"],
        )
    ):
        messages.success(request, _("The suitability review was recorded."))
        return redirect("procurement:suitability_queue")
    return render(
        request,
        "procurement/suitability_detail.html",
        {"application": application, "form": form},
    )


@pps_or_officer
def catalogue_list(request):
    search = forms.CatalogueSearchForm(request.GET or None)
    q = fast_track = ""
    if search.is_valid():
        q, fast_track = search.cleaned_data["q"], search.cleaned_data["fast_track"]
    page = _page(request, selectors.catalogue_entries(q=q, fast_track=fast_track))
    return render(
        request,
        "procurement/catalogue_list.html",
        {
            "page": page,
            "search": search,
            "awaiting": selectors.certified_awaiting_registration()[:50],
            "today": seoul_today(),
        },
    )


@pps_or_officer
def catalogue_register(request, pk: int):
    application = get_object_or_404(
        Application.objects.select_related("organisation", "subfield").filter(
            state__in=(S.CERTIFIED, *services.PRE_REGISTRABLE_STATES)
        ),
        pk=pk,
    )
    initial = {"registered_on": seoul_today(), "unit_price": application.indicative_price}
    form = forms.CatalogueEntryForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        entry = _attempt(
            form,
            services.catalogue_register,
            application=application,
            by=request.user,
            **form.cleaned_data,
        )
        if entry is not None:
            if entry.pre_registered:
                messages.success(request, _("The product was pre-registered in the catalogue."))
            else:
                messages.success(request, _("The product was registered in the catalogue."))
            return redirect("procurement:catalogue_detail", pk=entry.pk)
    return render(
        request,
        "procurement/catalogue_register.html",
        {"application": application, "form": form},
    )


@pps_or_officer
def catalogue_detail(request, pk: int):
    entry = selectors.catalogue_entry(pk=pk)
    form = forms.PilotPurchaseForm(request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and _attempt(
            form,
            services.pilot_purchase_record,
            application=entry.application,
            by=request.user,
            **form.cleaned_data,
        )
    ):
        messages.success(request, _("The pilot purchase was recorded."))
        return redirect("procurement:catalogue_detail", pk=entry.pk)
    return render(
        request,
        "procurement/catalogue_detail.html",
        {
            "entry": entry,
            "purchases": selectors.pilot_purchases_of(entry.application),
            "form": form,
        },
    )


# Officers ------------------------------------------------------------------------------


@officer_only
def decision_queue(request):
    return render(
        request,
        "procurement/decision_queue.html",
        {
            "awaiting": selectors.decision_queue(),
            "unreleased": selectors.decided_unreleased(),
            "objections": selectors.pending_objections(),
            "extensions": selectors.pending_extensions(),
            "certificates": selectors.certificates_recent(),
        },
    )


@officer_only
def decision_detail(request, pk: int):
    application = selectors.application_for_officer(pk=pk)
    return render(
        request,
        "procurement/decision_detail.html",
        {
            "application": application,
            "form": forms.DecisionForm(),
            "summary": selectors.result_summary(application=application),
            "certificate": Certificate.objects.filter(application=application).first(),
        },
    )


@officer_only
@sensitive_action
@require_POST
def decision_decide(request, pk: int):
    application = selectors.application_for_officer(pk=pk)
    form = forms.DecisionForm(request.POST)
    if form.is_valid():
        certify = form.cleaned_data["decision"] == "certify"
        result = _attempt(
            form,
            services.application_certify if certify else services.application_reject,
            application=application,
            by=request.user,
            reason=form.cleaned_data["reason"],
        )
        if result is not None:
            messages.success(
                request,
                _("Certified. Certificate %(number)s was issued.") % {"number": result.number}
                if certify
                else _("The decision not to certify was recorded."),
            )
            return redirect("procurement:decision_detail", pk=application.pk)
    return render(
        request,
        "procurement/decision_detail.html",
        {
            "application": application,
            "form": form,
            "summary": selectors.result_summary(application=application),
        },
        status=400,
    )


@officer_only
@require_POST
def result_release(request, pk: int):
    application = selectors.application_for_officer(pk=pk)
    try:
        services.results_release(application=application, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The result was released to the applicant."))
    return redirect("procurement:decision_detail", pk=application.pk)


@officer_only
def objection_decide(request, pk: int):
    objection = get_object_or_404(
        Objection.objects.select_related("application__organisation", "application__round"),
        pk=pk,
    )
    form = forms.ObjectionDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        service = (
            services.objection_accept
            if form.cleaned_data["decision"] == "accept"
            else services.objection_dismiss
        )
        if _attempt(
            form, service, objection=objection, by=request.user, reason=form.cleaned_data["reason"]
        ):
            messages.success(request, _("The decision on the objection was recorded."))
            return redirect("procurement:decision_queue")
    return render(
        request,
        "procurement/objection_decide.html",
        {
            "objection": objection,
            "documents": objection.documents.all(),
            "form": form,
            "pending": objection.decision == ObjectionDecision.PENDING,
        },
    )


@officer_only
def objection_document(request, pk: int):
    document = get_object_or_404(ObjectionDocument.objects.select_related("objection"), pk=pk)
    access_log(
        request=request,
        action="objection_document:download",
        obj=document,
        application=document.objection.application,
    )
    return attachment_response(
        document.file.open("rb"), document.original_name, document.content_type
    )


@officer_only
def extension_decide(request, pk: int):
    extension = get_object_or_404(
        ExtensionRequest.objects.select_related("certificate__application__organisation"),
        pk=pk,
    )
    form = forms.ExtensionDecisionForm(request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and _attempt(
            form,
            services.certificate_decide_extension,
            extension=extension,
            by=request.user,
            approve=form.cleaned_data["decision"] == "approve",
            reason=form.cleaned_data["reason"],
        )
    ):
        messages.success(request, _("The decision on the extension was recorded."))
        return redirect("procurement:decision_queue")
    return render(
        request,
        "procurement/extension_decide.html",
        {
            "extension": extension,
            "certificate": extension.certificate,
            "purchases": selectors.pilot_purchases_of(extension.certificate.application),
            "form": form,
            "pending": extension.state == ExtensionState.PENDING,
        },
    )


@officer_only
@sensitive_action
def certificate_revoke(request, pk: int):
    certificate = get_object_or_404(
        Certificate.objects.select_related("application__organisation"), pk=pk
    )
    form = forms.ReasonForm(request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and _attempt(
            form,
            services.certificate_revoke,
            certificate=certificate,
            by=request.user,
            reason=form.cleaned_data["reason"],
        )
    ):
        messages.success(
            request, _("Certificate %(number)s was revoked.") % {"number": certificate.number}
        )
        return redirect("procurement:decision_detail", pk=certificate.application_id)
    return render(
        request,
        "procurement/certificate_revoke.html",
        {"certificate": certificate, "form": form},
    )


# Certificates (applicant's members, PPS staff, officers) ------------------------------------


@login_required
def certificate_download(request, pk: int):
    certificate = selectors.certificate_for_download(pk=pk)
    if not r.can_download_certificate.test(request.user, certificate):
        raise Http404
    if not certificate.pdf or not certificate.pdf.storage.exists(certificate.pdf.name):
        # The PDF task has not run yet (broker down): make it now rather than fail.
        services.certificate_pdf_store(certificate=certificate)
        certificate.refresh_from_db()
    access_log(
        request=request,
        action="certificate:download",
        obj=certificate,
        application=certificate.application,
    )
    return attachment_response(
        certificate.pdf.open("rb"), f"{certificate.number}.pdf", "application/pdf"
    )


# Exports -------------------------------------------------------------------------------


@pps_or_officer
def export_index(request):
    rounds = Round.objects.order_by("-opens_at")
    return render(request, "procurement/export_index.html", {"rounds": rounds})


CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _export_response(request, *, kind: str, fmt: str, round_=None):
    if fmt not in CONTENT_TYPES:
        raise Http404
    content, filename = exports.build_export(kind=kind, fmt=fmt, by=request.user, round_=round_)
    return attachment_response(content, filename, CONTENT_TYPES[fmt])


@pps_or_officer
@sensitive_action
def export_register(request, fmt: str):
    return _export_response(request, kind=ExportKind.REGISTER, fmt=fmt)


@pps_or_officer
@sensitive_action
def export_catalogue(request, fmt: str):
    return _export_response(request, kind=ExportKind.CATALOGUE, fmt=fmt)


@pps_or_officer
@sensitive_action
def export_round_results(request, pk: int, fmt: str):
    round_ = get_object_or_404(Round, pk=pk)
    return _export_response(request, kind=ExportKind.ROUND_RESULTS, fmt=fmt, round_=round_)


# Applicants ----------------------------------------------------------------------------


@login_required
def my_results(request):
    applications = selectors.applicant_decisions(user=request.user)
    return render(request, "procurement/my_results.html", {"applications": applications})


@login_required
def result_detail(request, pk: int):
    application = selectors.applicant_application(user=request.user, pk=pk)
    released = r.can_view_result.test(request.user, application)
    ctx = {"application": application, "released": released}
    if released:
        access_log(request=request, action="result:view", application=application)
        deadline = services.objection_deadline_for(application)
        ctx.update(
            summary=selectors.result_summary(application=application),
            objection_deadline=deadline,
            can_object=(
                application.state in (S.REJECTED, S.INELIGIBLE)
                and not application.objections.filter(
                    filed_at__gte=application.result_released_at
                ).exists()
            ),
        )
    ctx["certificate"] = Certificate.objects.filter(application=application).first()
    ctx["objections"] = application.objections.all()
    return render(request, "procurement/result_detail.html", ctx)


@login_required
def objection_file(request, pk: int):
    application = selectors.applicant_application(user=request.user, pk=pk)
    if not r.can_file_objection.test(request.user, application):
        raise Http404
    form = forms.ObjectionForm(request.POST or None, request.FILES or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and _attempt(
            form,
            services.objection_file,
            application=application,
            by=request.user,
            ground=form.cleaned_data["ground"],
            explanation=form.cleaned_data["explanation"],
            files=form.cleaned_data["documents"],
        )
    ):
        messages.success(request, _("Your objection was received."))
        return redirect("procurement:result_detail", pk=application.pk)
    return render(
        request,
        "procurement/objection_form.html",
        {
            "application": application,
            "form": form,
            "deadline": services.objection_deadline_for(application),
        },
    )


@login_required
def extension_request(request, pk: int):
    certificate = selectors.applicant_certificate(user=request.user, pk=pk)
    form = forms.ExtensionRequestForm(request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and _attempt(
            form,
            services.certificate_request_extension,
            certificate=certificate,
            by=request.user,
            reason=form.cleaned_data["reason"],
        )
    ):
        messages.success(request, _("Your extension request was sent to the officer."))
        return redirect("procurement:result_detail", pk=certificate.application_id)
    return render(
        request,
        "procurement/extension_request.html",
        {
            "certificate": certificate,
            "form": form,
            "requests": certificate.extension_requests.all(),
        },
    )


# Public pages (no login) ---------------------------------------------------------------


def register(request):
    """The public register of certified products: no personal data."""
    search = forms.RegisterSearchForm(request.GET or None)
    q, subfield, status = "", None, ""
    if search.is_valid():
        q = search.cleaned_data["q"].strip()
        subfield = search.cleaned_data["subfield"]
        status = search.cleaned_data["status"]
    today = seoul_today()
    page = _page(request, selectors.public_register(q=q, subfield=subfield, status=status))
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "procurement/register.html",
        {"page": page, "search": search, "today": today, "query_string": params.urlencode()},
    )


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
    certificate = selectors.certificate_by_number(number)
    return render(
        request,
        "procurement/verify.html",
        {
            "number": number,
            "certificate": certificate,
            "status": certificate.status if certificate else "",
        },
        status=200 if certificate else 404,
    )
