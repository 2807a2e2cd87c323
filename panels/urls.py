from django.urls import path

from . import views, views_assignment, views_review

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

# --- scoring and consensus (review-scoring work) ------------------------------------------
urlpatterns += [
    path("applications/<int:pk>/", views_review.review_detail, name="review_detail"),
    path("applications/<int:pk>/pledge/", views_review.review_pledge, name="review_pledge"),
    path("applications/<int:pk>/score/", views_review.review_score, name="review_score"),
    path(
        "applications/<int:pk>/documents/<int:document_pk>/",
        views_review.review_document,
        name="review_document",
    ),
    path("consensus/<int:pk>/", views_review.consensus_detail, name="consensus"),
    path("experts/", views_review.expert_mileage, name="expert_mileage"),
    path("experts/close-panel/", views_review.panel_close, name="panel_close"),
]
