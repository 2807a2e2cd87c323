"""Admin of committees, the expert pool and assignment. Officers work here; every write
that matters goes through a service (overrides, unsuitable-expert decisions), never a bare
save. Permissions come from the rules predicates, not Django's model permissions."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _

from applications.enums import ApplicationState
from applications.models import Application
from applications.rules import is_officer, is_programme_staff
from audit.admin_mixins import AccessLoggedAdminMixin
from ppir.security import sensitive_action

from . import services
from .enums import ACTIVE_ASSIGNMENT_STATES, RequestDecision
from .forms import OverrideForm
from .models import (
    Assignment,
    AssignmentRun,
    Committee,
    ConflictDeclaration,
    ExpertProfile,
    SubField,
    UnsuitableExpertRequest,
)


class StaffAdmin(admin.ModelAdmin):
    """Programme staff read; officers change (panels/rules.py registers the perms)."""

    def _perm(self, request, action: str) -> bool:
        return request.user.has_perm(f"panels.{action}_{self.opts.model_name}")

    def has_module_permission(self, request):
        return is_programme_staff(request.user)

    def has_view_permission(self, request, obj=None):
        return self._perm(request, "view")

    def has_add_permission(self, request):
        return self._perm(request, "add")

    def has_change_permission(self, request, obj=None):
        return self._perm(request, "change")

    def has_delete_permission(self, request, obj=None):
        return self._perm(request, "delete")


class RecordAdmin(StaffAdmin):
    """Records changed only through services: read-only here."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(SubField)
class SubFieldAdmin(StaffAdmin):
    list_display = ["number", "name_ko", "name_en", "is_active", "expert_count"]
    list_filter = ["is_active"]
    search_fields = ["name_ko", "name_en"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n_experts=Count("experts"))

    @admin.display(description=_("experts"), ordering="n_experts")
    def expert_count(self, obj):
        return obj.n_experts


@admin.register(Committee)
class CommitteeAdmin(StaffAdmin):
    list_display = ["subfield", "chair"]
    list_select_related = ["subfield", "chair__user"]
    autocomplete_fields = ["chair"]
    search_fields = ["subfield__name_ko", "subfield__name_en"]


@admin.register(ExpertProfile)
class ExpertProfileAdmin(AccessLoggedAdminMixin, StaffAdmin):
    access_log_action = "admin_view_expert_profile"
    list_display = ["__str__", "organisation_name", "department", "max_load", "is_active"]
    list_filter = ["is_active", "subfields"]
    list_select_related = ["user"]
    search_fields = [
        "user__name",
        "user__email",
        "organisation_name",
        "department",
        "keywords",
        "researcher_number",
    ]
    autocomplete_fields = ["user", "organisation"]
    filter_horizontal = ["subfields"]


@admin.register(Assignment)
class AssignmentAdmin(RecordAdmin):
    list_display = [
        "reference",
        "expert",
        "state",
        "affinity_display",
        "respond_by",
        "override_link",
    ]
    list_filter = ["state", "is_rereview", "application__round", "application__subfield"]
    list_select_related = ["application", "expert__user"]
    search_fields = ["application__reference", "application__product_name", "expert__user__name"]
    readonly_fields = [f.name for f in Assignment._meta.fields]
    change_list_template = "panels/assignment/admin_assignment_changelist.html"

    @admin.display(description=_("application"), ordering="application__reference")
    def reference(self, obj):
        return obj.application.reference or obj.application.product_name

    @admin.display(description=_("affinity"), ordering="affinity")
    def affinity_display(self, obj):
        return f"{obj.affinity:.3f}"

    @admin.display(description=_("change"))
    def override_link(self, obj):
        if obj.state not in ACTIVE_ASSIGNMENT_STATES:
            return "—"
        url = reverse("admin:panels_assignment_swap", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, gettext("Replace expert"))

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path(
                "<int:pk>/swap/",
                wrap(sensitive_action(self.swap_view)),
                name="panels_assignment_swap",
            ),
            path(
                "add-expert/<int:application_id>/",
                wrap(sensitive_action(self.add_expert_view)),
                name="panels_assignment_add_expert",
            ),
            path(
                "add-expert/", wrap(self.choose_application_view), name="panels_assignment_choose"
            ),
            *super().get_urls(),
        ]

    def _officer(self, request):
        if not is_officer(request.user):
            raise PermissionDenied

    def _render(self, request, *, title, form, application, assignment=None):
        context = {
            **self.admin_site.each_context(request),
            "title": title,
            "form": form,
            "application": application,
            "assignment": assignment,
            "current": application.assignments.select_related("expert__user").order_by("pk"),
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "panels/assignment/admin_override.html", context)

    def _apply(self, request, form, call):
        """Run the service; a refusal goes beside the field, nothing the officer typed lost."""
        try:
            call()
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, exc.messages)
            return False
        return True

    def swap_view(self, request, pk):
        self._officer(request)
        assignment = get_object_or_404(
            Assignment.objects.select_related("application__round", "expert__user"), pk=pk
        )
        application = assignment.application
        form = OverrideForm(
            request.POST or None,
            subfield_id=application.subfield_id,
            round_id=application.round_id,
            application_id=application.pk,
        )
        if (
            request.method == "POST"
            and form.is_valid()
            and self._apply(
                request,
                form,
                lambda: services.assignment_override_swap(
                    assignment=assignment,
                    expert=form.cleaned_data["expert"],
                    by=request.user,
                    reason=form.cleaned_data["reason"],
                ),
            )
        ):
            messages.success(request, gettext("The expert was replaced and the change recorded."))
            return redirect("admin:panels_assignment_changelist")
        title = gettext("Replace %(expert)s on %(application)s") % {
            "expert": assignment.expert,
            "application": application,
        }
        return self._render(
            request, title=title, form=form, application=application, assignment=assignment
        )

    def add_expert_view(self, request, application_id):
        self._officer(request)
        application = get_object_or_404(
            Application.objects.select_related("round"), pk=application_id
        )
        form = OverrideForm(
            request.POST or None,
            subfield_id=application.subfield_id,
            round_id=application.round_id,
            application_id=application.pk,
        )
        if (
            request.method == "POST"
            and form.is_valid()
            and self._apply(
                request,
                form,
                lambda: services.assignment_override_add(
                    application=application,
                    expert=form.cleaned_data["expert"],
                    by=request.user,
                    reason=form.cleaned_data["reason"],
                ),
            )
        ):
            messages.success(request, gettext("The expert was added and invited."))
            return redirect("admin:panels_assignment_changelist")
        title = gettext("Add an expert to %(application)s") % {"application": application}
        return self._render(request, title=title, form=form, application=application)

    def choose_application_view(self, request):
        """Pick an application in review by its reference, then add an expert to it."""
        self._officer(request)
        reference = (request.GET.get("reference") or "").strip()
        if reference:
            app = Application.objects.filter(
                reference=reference, state=ApplicationState.IN_REVIEW
            ).first()
            if app is None:
                messages.error(
                    request, gettext("No application in expert review has this reference.")
                )
            else:
                return redirect("admin:panels_assignment_add_expert", application_id=app.pk)
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Add an expert to an application"),
            "reference": reference,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "panels/assignment/admin_choose.html", context)


@admin.register(UnsuitableExpertRequest)
class UnsuitableExpertRequestAdmin(StaffAdmin):
    list_display = [
        "expert_name",
        "expert_organisation",
        "application",
        "matched_expert",
        "decision",
        "decided_at",
    ]
    list_filter = ["decision"]
    list_select_related = ["application", "matched_expert__user"]
    search_fields = ["expert_name", "expert_organisation", "application__reference"]
    autocomplete_fields = ["matched_expert"]
    readonly_fields = [
        "application",
        "expert_name",
        "expert_organisation",
        "reason",
        "decision",
        "decided_by",
        "decided_at",
    ]
    actions = ["accept_requests", "refuse_requests"]

    def get_urls(self):
        # Deciding is a conflict-of-interest decision: a POST to the list (the actions)
        # asks for the password or second factor again when the last check is old.
        urls = super().get_urls()
        wrapped = self.admin_site.admin_view(sensitive_action(self.changelist_view, allow_get=True))
        return [
            path("", wrapped, name="panels_unsuitableexpertrequest_changelist"),
            *[u for u in urls if u.name != "panels_unsuitableexpertrequest_changelist"],
        ]

    def has_add_permission(self, request):
        return False  # applicants file these with their application

    def has_delete_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        fields = list(self.readonly_fields)
        if obj is not None and obj.decision != RequestDecision.PENDING:
            fields.append("matched_expert")
        return fields

    def _decide(self, request, queryset, *, accept: bool):
        done = 0
        for req in queryset.select_related("matched_expert"):
            try:
                services.unsuitable_request_decide(request=req, by=request.user, accept=accept)
            except (ValidationError, PermissionDenied) as exc:
                text = "; ".join(getattr(exc, "messages", [str(exc)]))
                self.message_user(request, f"{req}: {text}", messages.ERROR)
            else:
                done += 1
        if done:
            self.message_user(
                request,
                gettext("%(count)d request(s) decided and recorded.") % {"count": done},
                messages.SUCCESS,
            )

    @admin.action(description=_("Accept: exclude the matched expert from the application"))
    def accept_requests(self, request, queryset):
        self._decide(request, queryset, accept=True)

    @admin.action(description=_("Refuse the selected requests"))
    def refuse_requests(self, request, queryset):
        self._decide(request, queryset, accept=False)


@admin.register(ConflictDeclaration)
class ConflictDeclarationAdmin(RecordAdmin):
    list_display = ["expert", "application", "is_recusal", "declared_at"]
    list_filter = ["is_recusal"]
    list_select_related = ["expert__user", "application"]
    search_fields = ["expert__user__name", "application__reference"]


@admin.register(AssignmentRun)
class AssignmentRunAdmin(RecordAdmin):
    list_display = ["__str__", "state", "progress", "launched_by", "created_at", "page_link"]
    list_filter = ["state", "round"]
    list_select_related = ["round", "committee__subfield", "application", "launched_by"]
    change_list_template = "panels/assignment/admin_run_changelist.html"
    readonly_fields = [f.name for f in AssignmentRun._meta.fields]

    @admin.display(description=_("proposal"))
    def page_link(self, obj):
        url = reverse("panels:assignment_run", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, pgettext("action", "Open"))

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if not is_programme_staff(request.user):
            raise Http404
        return redirect("panels:assignment_run", pk=object_id)
