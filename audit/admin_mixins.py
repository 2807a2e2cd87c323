"""Mixins other apps' admin classes use so their pages of personal data are logged."""

from django.contrib.admin.utils import unquote

from .services import access_log


class AccessLoggedAdminMixin:
    """Log every display of one object's change page (who, when, from where, what).

    Put it first in the bases of a ModelAdmin whose change page shows personal data:
    `class UserAdmin(AccessLoggedAdminMixin, BaseUserAdmin)`. Set `access_log_action` to
    name the read; `access_log_application(obj)` may return the application it belongs to."""

    access_log_action = ""

    def access_log_application(self, obj):
        return None

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        if request.method == "GET" and response.status_code == 200:
            obj = self.get_object(request, unquote(object_id))
            if obj is not None:
                access_log(
                    request=request,
                    action=self.access_log_action or f"admin_view:{obj._meta.label_lower}",
                    obj=obj,
                    application=self.access_log_application(obj),
                )
        return response
