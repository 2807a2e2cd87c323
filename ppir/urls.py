from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

from . import views

# No password-only door into admin: its login page hands over to the site's two-factor
# sign-in (allauth), and signed-in non-staff are refused.
admin.site.login = secure_admin_login(admin.site.login)

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("i18n/setlang/", views.set_language, name="set_language"),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("accounts/", include("allauth.urls")),
    path("account/security/", include("ppir.security_urls")),
    path("account/", include("accounts.urls")),
    path("applications/", include("applications.urls")),
    path("reviews/", include("panels.urls")),
    path("procurement/", include("procurement.urls")),
    path("notifications/", include("notifications.urls")),
    path("audit/", include("audit.urls")),
    path("", include("procurement.public_urls")),
    path("admin/", admin.site.urls),
]
