from django.urls import path

from . import views

app_name = "applications"
urlpatterns = [
    path("", views.application_list, name="list"),
    path("new/", views.application_new, name="new"),
    path("<int:pk>/", views.application_detail, name="detail"),
    path("<int:pk>/continue/", views.resume, name="resume"),
    path("<int:pk>/edit/<slug:step>/", views.wizard_step, name="step"),
    path("<int:pk>/projects/search/", views.project_search, name="project_search"),
    path("<int:pk>/projects/<int:project_pk>/link/", views.project_link, name="project_link"),
    path("<int:pk>/projects/<int:project_pk>/unlink/", views.project_unlink, name="project_unlink"),
    path("<int:pk>/documents/<int:doc_pk>/delete/", views.document_delete, name="document_delete"),
    path("<int:pk>/experts/<int:expert_pk>/remove/", views.expert_remove, name="expert_remove"),
    path("<int:pk>/review/", views.review, name="review"),
    path("<int:pk>/submit/", views.submit, name="submit"),
    path("<int:pk>/receipt/", views.receipt, name="receipt"),
    path("<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("<int:pk>/versions/", views.version_diff, name="version_diff"),
    path("documents/<int:doc_pk>/download/", views.document_download, name="document_download"),
    path("screening/", views.screening_queue, name="screening_queue"),
    path("screening/<int:pk>/", views.screening_detail, name="screening_detail"),
]
