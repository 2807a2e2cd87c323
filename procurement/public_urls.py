from django.urls import path

from . import views

# Public pages (no login) live at the site root in their own namespace.
app_name = "public"
urlpatterns = [
    path("register/", views.register, name="register"),
    path("verify/", views.verify_lookup, name="verify_lookup"),
    path("verify/<str:number>/", views.verify, name="verify"),
]
