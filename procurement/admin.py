"""Admin for officers: lists with filters and search; each action opens the decision page
whose service writes, so the admin follows the same rules, audit rows and notifications as
the browser pages."""

from django.contrib import admin, messages
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _

from .models import (
    CatalogueEntry,
    Certificate,
    ExtensionRequest,
    Objection,
    ObjectionDocument,
    PilotPurchase,
    SuitabilityReview,
)
from .rules import can_decide


def _to_page(modeladmin, request, queryset, url_name: str):
    """Decisions need reasons the applicant reads, so an action opens the decision page of
    the one selected row, where the officer writes them and the service runs."""
    if queryset.count() != 1:
        modeladmin.message_user(
            request,
            _("Select exactly one row: its decision page asks for reasons."),
            messages.ERROR,
        )
        return None
    return redirect(url_name, pk=queryset.get().pk)


class ReadOnlyStateMixin:
    """Officers read here; every change goes through a service (from the decision pages the
    actions open), so the admin never writes a state, a decision or an audit-less edit."""

    def has_module_permission(self, request):
        return can_decide.test(request.user)

    def has_view_permission(self, request, obj=None):
        return can_decide.test(request.user, obj)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Certificate)
class CertificateAdmin(ReadOnlyStateMixin, admin.ModelAdmin):
    list_display = [
        "number",
        "application",
        "issued_on",
        "valid_until",
        "current_status",
        "extensions_used",
    ]
    list_filter = ["state", "issued_on", "valid_until", "extensions_used"]
    search_fields = ["number", "application__product_name", "application__organisation__name"]
    readonly_fields = [
        "number",
        "application",
        "issued_on",
        "valid_until",
        "state",
        "expired_on",
        "revoked_at",
        "revocation_reason",
        "extensions_used",
        "pdf",
        "pdf_valid_until",
    ]
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False  # certificates are issued by the certify decision only

    @admin.display(description=_("status today"))
    def current_status(self, obj):
        # The state field lags the date until the nightly task runs; this never does.
        return obj.status_label

    @admin.action(description=_("Revoke the selected certificate (asks for the reason)"))
    def revoke(self, request, queryset):
        return _to_page(self, request, queryset, "procurement:certificate_revoke")


@admin.register(ExtensionRequest)
class ExtensionRequestAdmin(ReadOnlyStateMixin, admin.ModelAdmin):
    list_display = ["certificate", "ordinal", "state", "requested_at", "decided_at"]
    list_filter = ["state", "ordinal"]
    search_fields = ["certificate__number", "certificate__application__product_name"]
    readonly_fields = [
        "certificate",
        "ordinal",
        "reason",
        "requested_by",
        "state",
        "previous_valid_until",
        "new_valid_until",
        "decided_by",
        "decided_at",
        "decision_reason",
    ]
    actions = ["decide"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Approve or refuse the selected request (asks for reasons)"))
    def decide(self, request, queryset):
        return _to_page(self, request, queryset, "procurement:extension_decide")


class ObjectionDocumentInline(admin.TabularInline):
    model = ObjectionDocument
    extra = 0
    fields = ["original_name", "content_type", "size", "uploaded_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Objection)
class ObjectionAdmin(ReadOnlyStateMixin, admin.ModelAdmin):
    list_display = ["application", "ground", "filed_at", "deadline", "decision"]
    list_filter = ["decision", "ground"]
    search_fields = ["application__reference", "application__product_name"]
    readonly_fields = [
        "application",
        "ground",
        "explanation",
        "filed_by",
        "deadline",
        "decision",
        "decision_reason",
        "decided_by",
        "decided_at",
    ]
    inlines = [ObjectionDocumentInline]
    actions = ["decide"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Accept or dismiss the selected objection (asks for reasons)"))
    def decide(self, request, queryset):
        return _to_page(self, request, queryset, "procurement:objection_decide")


@admin.register(CatalogueEntry)
class CatalogueEntryAdmin(ReadOnlyStateMixin, admin.ModelAdmin):
    list_display = [
        "product_identification_number",
        "classification_number",
        "application",
        "registered_on",
        "pre_registered",
        "fast_track",
    ]
    list_filter = ["pre_registered", "registered_on", "certificate__state"]
    search_fields = [
        "product_identification_number",
        "classification_number",
        "application__product_name",
        "application__organisation__name",
    ]
    list_select_related = ["application", "certificate"]
    readonly_fields = ["application", "certificate", "pre_registered", "registered_by"]

    def has_add_permission(self, request):
        return False  # registered from the PPS pages, through the service

    @admin.display(boolean=True, description=_("fast-track eligible"))
    def fast_track(self, obj):
        return obj.fast_track_eligible


@admin.register(PilotPurchase)
class PilotPurchaseAdmin(ReadOnlyStateMixin, admin.ModelAdmin):
    list_display = ["application", "public_body", "purchased_on", "amount", "rating"]
    list_filter = ["purchased_on", "rating"]
    search_fields = ["public_body", "application__product_name"]
    readonly_fields = ["recorded_by"]

    def has_add_permission(self, request):
        return False


@admin.register(SuitabilityReview)
class SuitabilityReviewAdmin(ReadOnlyStateMixin, admin.ModelAdmin):
    list_display = ["application", "suitable", "pre_registered", "reviewer", "recorded_at"]
    list_filter = ["suitable", "pre_registered"]
    search_fields = ["application__reference", "application__product_name"]
    readonly_fields = ["application", "reviewer", "suitable", "notes", "pre_registered"]

    def has_add_permission(self, request):
        return False
