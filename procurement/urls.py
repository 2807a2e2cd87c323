from django.urls import path

from . import views

app_name = "procurement"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("suitability/", views.suitability_queue, name="suitability_queue"),
    path("suitability/<int:pk>/", views.suitability_detail, name="suitability_detail"),
    path("catalogue/", views.catalogue_list, name="catalogue_list"),
    path("catalogue/<int:pk>/", views.catalogue_detail, name="catalogue_detail"),
    path("catalogue/register/<int:pk>/", views.catalogue_register, name="catalogue_register"),
    path("decisions/", views.decision_queue, name="decision_queue"),
    path("decisions/<int:pk>/", views.decision_detail, name="decision_detail"),
    path("decisions/<int:pk>/decide/", views.decision_decide, name="decision_decide"),
    path("decisions/<int:pk>/release/", views.result_release, name="result_release"),
    path("objections/<int:pk>/", views.objection_decide, name="objection_decide"),
    path("objections/documents/<int:pk>/", views.objection_document, name="objection_document"),
    path("extensions/<int:pk>/", views.extension_decide, name="extension_decide"),
    path("certificates/<int:pk>/revoke/", views.certificate_revoke, name="certificate_revoke"),
    path("certificates/<int:pk>/pdf/", views.certificate_download, name="certificate_download"),
    path("certificates/<int:pk>/extension/", views.extension_request, name="extension_request"),
    path("exports/", views.export_index, name="export_index"),
    path("exports/register.<str:fmt>", views.export_register, name="export_register"),
    path("exports/catalogue.<str:fmt>", views.export_catalogue, name="export_catalogue"),
    path(
        "exports/rounds/<int:pk>/results.<str:fmt>",
        views.export_round_results,
        name="export_round_results",
    ),
    path("my/", views.my_results, name="my_results"),
    path("results/<int:pk>/", views.result_detail, name="result_detail"),
    path("results/<int:pk>/objection/", views.objection_file, name="objection_file"),
]
