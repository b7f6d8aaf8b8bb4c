from django.urls import path

from . import views

app_name = "programs"

urlpatterns = [
    path("", views.index_view, name="index"),
    path("applications/<int:application_id>/", views.application_view, name="application"),
    path("calls/new/", views.call_new_view, name="call_new"),
    path("calls/<int:call_id>/", views.call_view, name="call"),
    path("experts/", views.experts_view, name="experts"),
    path("calls/<int:call_id>/draws.json", views.draws_view, name="draws"),
    path("calls/<int:call_id>/publicity/", views.publicity_view, name="publicity"),
    path("export.xlsx", views.export_view, name="export"),
    path("calls/<int:call_id>/scores.xlsx", views.scores_export_view, name="scores_export"),
    path("calls/<int:call_id>/publicity.xlsx", views.publicity_export_view, name="publicity_export"),
    path("reviews/", views.reviews_view, name="reviews"),
    path("reviews/<int:application_id>/", views.review_view, name="review"),
    path(
        "reviews/<int:application_id>/materials/<slug:key>/",
        views.review_material_view,
        name="review_material",
    ),
]
