from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("organisation/", views.organisation, name="organisation"),
    path("memberships/<int:pk>/decide/", views.membership_decide, name="membership_decide"),
]
