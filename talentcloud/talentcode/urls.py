from django.urls import path

from . import views

app_name = "talentcode"

urlpatterns = [
    path("me/", views.mine_view, name="mine"),
    path("me/qr/", views.qr_view, name="qr"),
    path("me/photo/", views.photo_view, name="photo"),
    path("me/history/<uuid:verification_id>/report/", views.report_view, name="report"),
    path("verify/", views.verify_view, name="verify"),
    path("codes/", views.codes_view, name="codes"),
    path("talents/<uuid:talent_id>/", views.talent_view, name="talent"),
    path("revoke/<uuid:code_id>/", views.revoke_view, name="revoke"),
    path("verifiers/", views.verifiers_view, name="verifiers"),
    path("scenes/<slug:code>/", views.scene_rule_view, name="scene_rule"),
]
