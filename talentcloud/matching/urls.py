from django.urls import path

from . import views

app_name = "matching"

urlpatterns = [
    path("", views.demand_list_view, name="demands"),
    path("demand/<uuid:demand_id>/", views.demand_matches_view, name="demand"),
    path("demand/<uuid:demand_id>/matches.xlsx", views.demand_export_view, name="demand_export"),
    path("me/", views.me_view, name="me"),
]
