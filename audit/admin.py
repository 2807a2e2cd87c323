"""Read-only admin for the audit trail and the access log: nobody, superusers included, may
add, change or delete a row here (the models and, on PostgreSQL, a trigger refuse too)."""

from django.contrib import admin

from applications.rules import is_officer

from .models import AccessLog, AuditEvent


class ReadOnlyLogAdmin(admin.ModelAdmin):
    list_per_page = 50
    show_full_result_count = False

    def has_module_permission(self, request):
        return is_officer(request.user)

    def has_view_permission(self, request, obj=None):
        return is_officer(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyLogAdmin):
    list_display = [
        "at",
        "action",
        "actor",
        "actor_role",
        "application",
        "from_state",
        "to_state",
        "comment",
    ]
    list_filter = ["action", "actor_role", "at"]
    search_fields = [
        "action",
        "comment",
        "actor__email",
        "actor__name",
        "application__reference",
        "object_id",
    ]
    list_select_related = ["actor", "application"]
    date_hierarchy = "at"


@admin.register(AccessLog)
class AccessLogAdmin(ReadOnlyLogAdmin):
    list_display = ["at", "user", "action", "object_type", "object_id", "ip_address", "path"]
    list_filter = ["action", "object_type", "at"]
    search_fields = ["user__email", "user__name", "action", "path", "object_id", "ip_address"]
    list_select_related = ["user"]
    date_hierarchy = "at"
