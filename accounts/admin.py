from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from accounts.enums import Role
from applications.admin import BusinessNumberSearchMixin, OfficerAdmin, OfficerInline
from audit.admin_mixins import AccessLoggedAdminMixin

from .models import Membership, Organisation, User


@admin.register(User)
class UserAdmin(AccessLoggedAdminMixin, OfficerAdmin, BaseUserAdmin):
    # Officers look people up; only superusers change accounts and roles.
    officer_permissions = ("view",)
    access_log_action = "admin_view_user"
    ordering = ["email"]
    list_display = ["email", "name", "role_list", "language", "is_active", "is_staff", "last_login"]
    list_filter = ["groups", "is_active", "is_staff", "language"]
    search_fields = ["email", "name"]
    readonly_fields = ["last_login", "date_joined"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Personal info"), {"fields": ("name", "phone", "language")}),
        (_("Permissions"), {"fields": ("is_active", "is_staff", "is_superuser", "groups")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("email", "name", "password1", "password2")}),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups")

    @admin.display(description=_("roles"))
    def role_list(self, obj):
        labels = dict(Role.choices)
        return ", ".join(str(labels.get(g.name, g.name)) for g in obj.groups.all())


class MembershipInline(OfficerInline, admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]
    fields = ["user", "is_admin", "status", "created_at", "decided_at"]
    readonly_fields = ["created_at"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user")


@admin.register(Organisation)
class OrganisationAdmin(BusinessNumberSearchMixin, OfficerAdmin):
    officer_permissions = ("view", "add", "change")
    list_display = [
        "name",
        "name_en",
        "business_number_display",
        "is_sme",
        "contact_email",
        "application_count",
        "created_at",
    ]
    list_filter = ["is_sme"]
    search_fields = ["name", "name_en", "business_number"]
    date_hierarchy = "created_at"
    inlines = [MembershipInline]
    fieldsets = (
        (None, {"fields": ("name", "name_en", "business_number", "is_sme", "address")}),
        (_("Contact"), {"fields": ("contact_name", "contact_email", "contact_phone")}),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n_applications=Count("applications"))

    @admin.display(description=_("business registration number"), ordering="business_number")
    def business_number_display(self, obj):
        return obj.business_number_display

    @admin.display(description=_("applications"), ordering="n_applications")
    def application_count(self, obj):
        return obj.n_applications


@admin.register(Membership)
class MembershipAdmin(OfficerAdmin):
    officer_permissions = ("view", "change")
    list_display = ["user", "organisation", "is_admin", "status", "created_at", "decided_at"]
    list_filter = ["status", "is_admin"]
    list_select_related = ["user", "organisation"]
    search_fields = ["user__email", "user__name", "organisation__name"]
    autocomplete_fields = ["user", "organisation"]
    date_hierarchy = "created_at"
