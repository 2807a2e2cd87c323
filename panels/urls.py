from django.urls import path

from . import views, views_assignment

app_name = "panels"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
]

# --- Assignment and invitations (assignment work) ----------------------------------------
urlpatterns += [
    path("assignment/", views_assignment.assignment_home, name="assignment_home"),
    path("assignment/runs/<int:pk>/", views_assignment.assignment_run, name="assignment_run"),
    path(
        "assignment/runs/<int:pk>/progress/",
        views_assignment.assignment_run_progress,
        name="assignment_run_progress",
    ),
    path(
        "assignment/runs/<int:pk>/confirm/",
        views_assignment.assignment_run_confirm,
        name="assignment_run_confirm",
    ),
    path(
        "assignment/runs/<int:pk>/discard/",
        views_assignment.assignment_run_discard,
        name="assignment_run_discard",
    ),
    path("invitations/", views_assignment.invitation_list, name="invitation_list"),
    path("invitations/<int:pk>/", views_assignment.invitation_detail, name="invitation_detail"),
    path(
        "invitations/<int:pk>/accept/",
        views_assignment.invitation_accept,
        name="invitation_accept",
    ),
    path(
        "invitations/<int:pk>/decline/",
        views_assignment.invitation_decline,
        name="invitation_decline",
    ),
    path(
        "invitations/<int:pk>/conflict/",
        views_assignment.invitation_conflict,
        name="invitation_conflict",
    ),
]
