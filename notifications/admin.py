from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from applications.rules import is_officer, is_programme_staff

from . import services
from .enums import DeliveryState
from .models import Notification, NotificationPreference, ProgrammeEventSwitch


class StaffViewMixin:
    """Programme staff read these tables; only officers change what can be changed."""

    def has_module_permission(self, request):
        return is_programme_staff(request.user)

    def has_view_permission(self, request, obj=None):
        return is_programme_staff(request.user)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Notification)
class NotificationAdmin(StaffViewMixin, admin.ModelAdmin):
    list_display = [
        "created_at",
        "event",
        "recipient",
        "email_state",
        "attempts",
        "short_error",
        "sent_at",
        "read_at",
    ]
    list_filter = ["email_state", "event", "skip_reason", "created_at"]
    search_fields = ["recipient__email", "recipient__name", "idempotency_key", "last_error"]
    list_select_related = ["recipient"]
    date_hierarchy = "created_at"
    actions = ["resend"]
    readonly_fields = [f.name for f in Notification._meta.fields]

    def has_change_permission(self, request, obj=None):
        return False

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not is_officer(request.user):
            actions.pop("resend", None)
        return actions

    @admin.display(description=_("last error"))
    def short_error(self, obj):
        return (obj.last_error[:80] + "…") if len(obj.last_error) > 80 else obj.last_error

    @admin.action(description=_("Send the selected notifications again"))
    def resend(self, request, queryset):
        resent = 0
        for notification in queryset.exclude(
            email_state__in=[DeliveryState.SENT, DeliveryState.SENDING, DeliveryState.DIGESTED]
        ):
            services.notification_resend(notification=notification, by=request.user)
            resent += 1
        self.message_user(
            request,
            ngettext(
                "%(count)d notification queued to be sent again.",
                "%(count)d notifications queued to be sent again.",
                resent,
            )
            % {"count": resent},
            messages.SUCCESS,
        )


@admin.register(ProgrammeEventSwitch)
class ProgrammeEventSwitchAdmin(StaffViewMixin, admin.ModelAdmin):
    list_display = ["event", "enabled", "note", "changed_by", "changed_at"]
    list_filter = ["enabled"]
    list_select_related = ["changed_by"]
    fields = ["event", "enabled", "note", "changed_by", "changed_at"]
    readonly_fields = ["changed_by", "changed_at"]

    def has_add_permission(self, request):
        return is_officer(request.user)

    def has_change_permission(self, request, obj=None):
        return is_officer(request.user)

    def save_model(self, request, obj, form, change):
        from audit.services import audit_record

        obj.changed_by = request.user
        super().save_model(request, obj, form, change)
        audit_record(
            action="notification:programme_switch",
            actor=request.user,
            obj=obj,
            to_state="on" if obj.enabled else "off",
            comment=obj.note,
            data={"event": obj.event},
        )


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(StaffViewMixin, admin.ModelAdmin):
    list_display = ["user", "event", "email", "in_app"]
    list_filter = ["event", "email", "in_app"]
    search_fields = ["user__email", "user__name"]
    list_select_related = ["user"]

    def has_change_permission(self, request, obj=None):
        return False
