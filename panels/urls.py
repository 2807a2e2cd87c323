from django.urls import path

from . import views, views_review

app_name = "panels"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
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
