from django.urls import path

from . import security_views

app_name = "security"
urlpatterns = [
    path("", security_views.overview, name="overview"),
    path("export/", security_views.export_own_data, name="export"),
]
