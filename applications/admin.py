"""Django admin for programme officers: rounds and their rubric, R&D projects, applications.

Officers (the `is_officer` rules predicate) work here without per-model Django permissions.
An application's state never changes through a form: the buttons on its change page and
the bulk actions on the changelist call the services registered in transitions.py."""

import re

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count
from django.forms.models import BaseInlineFormSet
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from accounts.enums import Role
from audit.models import AuditEvent
from ppir.security import sensitive_action

from .enums import STATE_TONE, ApplicationState, RoundState
from .models import (
    Application,
    ApplicationDocument,
    ProjectParticipant,
    RDProject,
    Round,
    RubricCriterion,
    RubricGate,
)
from .rules import is_officer
from .services import REFUSALS, refusal_message
from .transitions import TRANSITIONS, TransitionAction, available_actions, get_action
from .validators import normalise_business_number

admin.site.site_header = _("PPIR Workbench administration")
admin.site.site_title = _("PPIR Workbench")
admin.site.index_title = _("Programme administration")
# Officers work in wide lists; the home page and breadcrumbs are enough to move around.
admin.site.enable_nav_sidebar = False

# A download view for documents is written by the applicant work; until its URL name
# exists, admin shows the file name only.
DOCUMENT_DOWNLOAD_URL = "applications:document_download"


class OfficerAdmin(admin.ModelAdmin):
    """Grants officers the listed kinds of access on top of ordinary Django permissions."""

    officer_permissions: tuple[str, ...] = ("view", "add", "change", "delete")

    def _officer_may(self, request, kind: str) -> bool:
        return kind in self.officer_permissions and bool(is_officer(request.user))

    def has_module_permission(self, request):
        return super().has_module_permission(request) or self._officer_may(request, "view")

    def has_view_permission(self, request, obj=None):
        return (
            super().has_view_permission(request, obj)
            or self._officer_may(request, "view")
            or self._officer_may(request, "change")
        )

    def has_add_permission(self, request):
        return super().has_add_permission(request) or self._officer_may(request, "add")

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) or self._officer_may(request, "change")

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) or self._officer_may(request, "delete")


class OfficerInline:
    """Inline counterpart of OfficerAdmin (mix in before the Django inline class)."""

    officer_permissions: tuple[str, ...] = ("view", "add", "change", "delete")

    def _officer_may(self, request, kind: str) -> bool:
        return kind in self.officer_permissions and bool(is_officer(request.user))

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) or self._officer_may(request, "view")

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) or self._officer_may(request, "add")

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) or self._officer_may(request, "change")

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) or self._officer_may(request, "delete")


class BusinessNumberSearchMixin:
    def get_search_results(self, request, queryset, search_term):
        # Officers paste business numbers with hyphens; they are stored as digits.
        if re.fullmatch(r"\d{3}-\d{2}-\d{5}", search_term.strip()):
            search_term = normalise_business_number(search_term)
        return super().get_search_results(request, queryset, search_term)


def state_badge_html(state: str):
    label = ApplicationState(state).label if state in ApplicationState.values else state
    return format_html(
        '<span class="ppir-badge ppir-badge--{}">{}</span>',
        STATE_TONE.get(state, "secondary"),
        label,
    )


# Rounds and their rubric


# Rubric rows are edited side by side: keep the guidance box small.
RUBRIC_WIDGETS = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 28})}}


class RubricGateInline(OfficerInline, admin.TabularInline):
    model = RubricGate
    extra = 0
    formfield_overrides = RUBRIC_WIDGETS
    classes = ["ppir-rubric"]
    fields = ["order", "code", "label", "label_en", "guidance"]


class CriterionWeightsFormSet(BaseInlineFormSet):
    """The weights of a round's criteria must add up to 100 once any criterion is given."""

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        weights = [
            form.cleaned_data["weight"]
            for form in self.forms
            if form.cleaned_data
            and not form.cleaned_data.get("DELETE")
            and form.cleaned_data.get("weight") is not None
        ]
        if weights and sum(weights) != 100:
            raise ValidationError(
                _(
                    "The weights of the criteria add up to %(total)s. "
                    "Change them so that they add up to 100."
                ),
                code="weights_total",
                params={"total": f"{sum(weights).normalize():f}"},
            )


class RubricCriterionInline(OfficerInline, admin.TabularInline):
    model = RubricCriterion
    formset = CriterionWeightsFormSet
    extra = 0
    formfield_overrides = RUBRIC_WIDGETS
    classes = ["ppir-rubric"]
    fields = ["order", "code", "label", "label_en", "weight", "max_score", "guidance"]


@admin.register(Round)
class RoundAdmin(OfficerAdmin):
    list_display = [
        "code",
        "title",
        "opens_at",
        "closes_at",
        "round_state",
        "reviewers_per_application",
        "application_count",
    ]
    search_fields = ["code", "title", "title_en"]
    date_hierarchy = "opens_at"
    filter_horizontal = ["subfields"]
    inlines = [RubricGateInline, RubricCriterionInline]
    fieldsets = (
        (None, {"fields": ("code", "title", "title_en", "description")}),
        (_("Dates"), {"fields": ("opens_at", "closes_at", "review_deadline")}),
        (_("Sub-fields"), {"fields": ("subfields",)}),
        (
            _("Review"),
            {
                "fields": (
                    "reviewers_per_application",
                    "threshold",
                    "trim_min_scores",
                    "conflict_scope",
                    "load_balance_cost",
                    "reveal_reviewer_names",
                )
            },
        ),
        (_("Deadlines for applicants"), {"fields": ("supplement_days", "objection_days")}),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n_applications=Count("applications"))

    @admin.display(description=_("status"))
    def round_state(self, obj):
        return RoundState(obj.state_at()).label

    @admin.display(description=_("applications"), ordering="n_applications")
    def application_count(self, obj):
        url = reverse("admin:applications_application_changelist")
        return format_html(
            '<a href="{}?round__id__exact={}">{}</a>', url, obj.pk, obj.n_applications
        )


# R&D projects


class ProjectParticipantInline(OfficerInline, admin.TabularInline):
    model = ProjectParticipant
    extra = 0
    fields = [
        "role",
        "organisation_name",
        "business_number",
        "department",
        "researcher_name",
        "researcher_number",
    ]


class EndYearFilter(admin.SimpleListFilter):
    title = _("end year")
    parameter_name = "end_year"

    def lookups(self, request, model_admin):
        years = model_admin.get_queryset(request).dates("end_date", "year", order="DESC")
        return [(str(d.year), str(d.year)) for d in years]

    def queryset(self, request, queryset):
        if self.value() and self.value().isdigit():
            return queryset.filter(end_date__year=int(self.value()))
        return queryset


@admin.register(RDProject)
class RDProjectAdmin(BusinessNumberSearchMixin, OfficerAdmin):
    list_display = [
        "ntis_number",
        "title",
        "ministry",
        "lead_organisation",
        "start_date",
        "end_date",
        "result_grade",
    ]
    list_filter = ["ministry", "result_grade", EndYearFilter]
    search_fields = [
        "ntis_number",
        "title",
        "title_en",
        "lead_organisation",
        "lead_business_number",
    ]
    inlines = [ProjectParticipantInline]
    # Tens of thousands of projects: skip the second full COUNT on filtered pages.
    show_full_result_count = False


# Applications


class DocumentInline(OfficerInline, admin.TabularInline):
    model = ApplicationDocument
    extra = 0
    can_delete = False
    officer_permissions = ("view",)
    fields = [
        "kind",
        "title",
        "file_link",
        "size",
        "issue_date",
        "expiry_date",
        "is_current",
        "uploaded_at",
    ]
    readonly_fields = fields
    verbose_name_plural = _("documents")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("file"))
    def file_link(self, obj):
        try:
            url = reverse(DOCUMENT_DOWNLOAD_URL, args=[obj.pk])
        except NoReverseMatch:
            return obj.original_name
        return format_html('<a href="{}">{}</a>', url, obj.original_name)


class HistoryInline(OfficerInline, admin.TabularInline):
    """The transition history: audit rows of the application, read-only and append-only."""

    model = AuditEvent
    fk_name = "application"
    extra = 0
    can_delete = False
    officer_permissions = ("view",)
    fields = ["at", "action_label", "actor", "role_label", "from_label", "to_label", "comment"]
    readonly_fields = fields
    ordering = ["at", "id"]
    verbose_name = _("history entry")
    verbose_name_plural = _("history")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("action"))
    def action_label(self, obj):
        name = obj.action.removeprefix("transition:")
        action = get_action(name)
        return action.label if action and obj.action.startswith("transition:") else obj.action

    @admin.display(description=_("acting as"))
    def role_label(self, obj):
        if obj.actor_role == "system":
            return gettext("system")
        return dict(Role.choices).get(obj.actor_role, obj.actor_role)

    @admin.display(description=pgettext_lazy("state change", "from"))
    def from_label(self, obj):
        return state_badge_html(obj.from_state) if obj.from_state else "–"

    @admin.display(description=pgettext_lazy("state change", "to"))
    def to_label(self, obj):
        return state_badge_html(obj.to_state) if obj.to_state else "–"


class TransitionTextForm(forms.Form):
    text = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 5, "cols": 70}), required=False
    )
    expected_state = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, action: TransitionAction, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["text"]
        field.required = action.text_required
        if action.text_label:
            field.label = action.text_label
        elif action.text_arg == "comment":
            field.label = _("Comment")
        if action.text_required:
            field.error_messages["required"] = _("Write the reason: the applicant will read it.")
        else:
            field.help_text = _("Optional.")


@admin.register(Application)
class ApplicationAdmin(BusinessNumberSearchMixin, OfficerAdmin):
    officer_permissions = ("view", "change")
    change_form_template = "admin/applications/application/change_form.html"
    list_display = [
        "reference",
        "product",
        "status",
        "organisation",
        "round_code",
        "subfield",
        "submitted_at",
    ]
    list_display_links = ["reference", "product"]
    list_filter = ["state", "round", "subfield"]
    search_fields = [
        "reference",
        "product_name",
        "product_name_en",
        "organisation__name",
        "organisation__name_en",
        "organisation__business_number",
    ]
    date_hierarchy = "submitted_at"
    list_select_related = ["round", "subfield", "organisation"]
    list_per_page = 50
    autocomplete_fields = ["organisation", "rd_projects"]
    inlines = [DocumentInline, HistoryInline]
    fieldsets = (
        (None, {"fields": ("reference", "round", "subfield", "organisation")}),
        (
            _("Product"),
            {
                "fields": (
                    "product_name",
                    "product_name_en",
                    "product_description",
                    "trl",
                    "intended_buyers",
                    "intended_use",
                    "indicative_price",
                )
            },
        ),
        (_("Linked R&D projects"), {"fields": ("rd_projects",)}),
        (_("Declarations"), {"fields": ("declared_not_designated", "declared_truthful")}),
        (
            _("Progress"),
            {
                "fields": (
                    "submitted_at",
                    "decided_at",
                    "result_released_at",
                    "decision_reason",
                    "version",
                    "created_by",
                    "created_at",
                    "updated_at",
                )
            },
        ),
    )
    # Set by the services, never by a form. The state is not even shown as a field: the
    # panel above the form shows it, and only the transition buttons change it.
    always_readonly = [
        "reference",
        "submitted_at",
        "decided_at",
        "result_released_at",
        "decision_reason",
        "version",
        "created_by",
        "created_at",
        "updated_at",
    ]

    @admin.display(description=_("product"), ordering="product_name")
    def product(self, obj):
        return obj.display_product_name

    @admin.display(description=_("round"), ordering="round__code")
    def round_code(self, obj):
        return format_html('<span title="{}">{}</span>', obj.round.display_title, obj.round.code)

    @admin.display(description=_("status"), ordering="state")
    def status(self, obj):
        return state_badge_html(obj.state)

    def get_readonly_fields(self, request, obj=None):
        return self.always_readonly

    def has_change_permission(self, request, obj=None):
        # Submitted applications change only through transitions. A draft is the applicant's
        # own work, declared true by them when they submit: officers may read it (to help
        # on the phone) but not change it; only a superuser may, for repairs.
        if obj is not None and not self._may_alter(request, obj):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and not self._may_alter(request, obj):
            return False
        return super().has_delete_permission(request, obj)

    @staticmethod
    def _may_alter(request, obj) -> bool:
        return obj.state == ApplicationState.DRAFT and request.user.is_superuser

    def save_model(self, request, obj, form, change):
        if not change and obj.created_by_id is None:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    # Transitions: buttons on the change page

    def get_urls(self):
        urls = [
            path(
                "<path:object_id>/transition/<slug:name>/",
                self.admin_site.admin_view(self.transition_view),
                name="applications_application_transition",
            )
        ]
        return urls + super().get_urls()

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            context["transition_buttons"] = [
                {
                    "name": name,
                    "action": action,
                    "url": reverse(
                        "admin:applications_application_transition", args=[obj.pk, name]
                    ),
                }
                for name, action in available_actions(obj, request.user)
            ]
            context["state_badge"] = state_badge_html(obj.state)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def transition_view(self, request, object_id, name):
        """Show the reason form (when the transition takes text), then call the service.

        Every refusal of the service becomes an error message; the service's transaction
        guarantees that nothing was written."""
        application = self.get_object(request, unquote(object_id))
        if application is None or not self.has_view_permission(request, application):
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        change_url = reverse("admin:applications_application_change", args=[application.pk])
        action = get_action(name)
        if action is None:
            self.message_user(request, gettext("There is no such action."), messages.ERROR)
            return HttpResponseRedirect(change_url)
        if request.method != "POST" and not action.text_arg:
            return HttpResponseRedirect(change_url)
        acting = request.method == "POST" and (
            not action.text_arg or request.POST.get("confirmed") == "1"
        )
        if action.sensitive and acting:
            # Asked when the officer acts (after the reason form); allauth resumes this POST.
            return sensitive_action(
                lambda req: self._transition(req, application, name, action, change_url)
            )(request)
        return self._transition(request, application, name, action, change_url)

    def _transition(self, request, application, name, action, change_url):
        expected = request.POST.get("expected_state") if request.method == "POST" else None
        if expected and expected != application.state:
            self.message_user(
                request,
                gettext(
                    "The application changed to “%(state)s” since you opened it. "
                    "Nothing was done; check its history and try again."
                )
                % {"state": application.get_state_display()},
                messages.ERROR,
            )
            return HttpResponseRedirect(change_url)
        text = ""
        if action.text_arg:
            confirmed = request.method == "POST" and request.POST.get("confirmed") == "1"
            form = TransitionTextForm(
                request.POST if confirmed else None,
                action=action,
                initial={"expected_state": application.state},
            )
            if not confirmed or not form.is_valid():
                return self._text_form_response(request, application, name, action, form)
            text = form.cleaned_data["text"]
        try:
            action.run(application=application, by=request.user, text=text)
        except REFUSALS as exc:
            self.message_user(
                request,
                gettext("“%(action)s” was not done: %(reason)s")
                % {"action": action.label, "reason": refusal_message(exc)},
                messages.ERROR,
            )
            return HttpResponseRedirect(change_url)
        self.message_user(
            request,
            gettext("Done: %(action)s. The application is now “%(state)s”.")
            % {"action": action.label, "state": application.get_state_display()},
            messages.SUCCESS,
        )
        return HttpResponseRedirect(change_url)

    def _text_form_response(self, request, application, name, action, form):
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": action.label,
            "subtitle": str(application),
            "application": application,
            "action": action,
            "form": form,
            "state_badge": state_badge_html(application.state),
            "change_url": reverse("admin:applications_application_change", args=[application.pk]),
        }
        return TemplateResponse(
            request, "admin/applications/application/transition_form.html", context
        )

    # Transitions: bulk actions on the changelist

    def get_actions(self, request):
        actions = super().get_actions(request)
        for name, action in TRANSITIONS.items():
            if action.bulk and not action.text_required and not action.sensitive:
                key = f"transition_{name}"
                actions[key] = (_bulk_transition(name), key, action.label)
        return actions


def _bulk_transition(name: str):
    def run_bulk(modeladmin, request, queryset):
        """Call the transition's service for each selected application, each in its own
        transaction, and report how many succeeded and, grouped by reason, which failed."""
        action = TRANSITIONS[name]
        done, failed = 0, {}
        for application in queryset.select_related("organisation", "subfield", "round"):
            try:
                action.run(application=application, by=request.user)
            except REFUSALS as exc:
                label = application.reference or f"#{application.pk}"
                failed.setdefault(refusal_message(exc), []).append(label)
            else:
                done += 1
        if done:
            modeladmin.message_user(
                request,
                gettext("%(action)s: done for %(count)d application(s).")
                % {"action": action.label, "count": done},
                messages.SUCCESS,
            )
        for reason, labels in failed.items():
            shown = ", ".join(labels[:10])
            if len(labels) > 10:
                shown += " " + gettext("and %(more)d more") % {"more": len(labels) - 10}
            modeladmin.message_user(
                request,
                gettext("%(action)s: not done for %(count)d application(s) (%(which)s). %(reason)s")
                % {"action": action.label, "count": len(labels), "which": shown, "reason": reason},
                messages.ERROR,
            )

    run_bulk.__name__ = f"transition_{name}"
    return run_bulk
