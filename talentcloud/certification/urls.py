from django.urls import path

from . import views

app_name = "certification"

urlpatterns = [
    path("me/", views.mine_view, name="mine"),
    path("talents/<uuid:talent_id>/", views.talent_view, name="talent"),
    path("renew/<uuid:certification_id>/", views.renew_view, name="renew"),
    path("expiring/", views.expiring_view, name="expiring"),
    path("proposals/", views.proposals_view, name="proposals"),
    path("rules/", views.rules_view, name="rules"),
    path("export.xlsx", views.export_view, name="export"),
]
