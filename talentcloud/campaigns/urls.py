from django.urls import path

from . import views

app_name = "campaigns"

urlpatterns = [
    path("", views.campaign_list_view, name="list"),
    path("<uuid:campaign_id>/", views.campaign_view, name="campaign"),
    path("posts/<uuid:demand_id>/", views.post_view, name="post"),
    path("posts/<uuid:demand_id>/apply/", views.apply_view, name="apply"),
    path("sessions/", views.session_list_view, name="sessions"),
    path("sessions/<uuid:session_id>/", views.session_view, name="session"),
    path("sessions/<uuid:session_id>/register/", views.session_register_view, name="session_register"),
    path("mine/", views.mine_view, name="mine"),
    path("applications/<uuid:job_application_id>/", views.application_view, name="application"),
    path("applicants/", views.applicants_view, name="applicants"),
    path("applicants/export.xlsx", views.applicants_export_view, name="applicants_export"),
    path("manage/", views.manage_list_view, name="manage_list"),
    path("manage/new/", views.campaign_new_view, name="campaign_new"),
    path("manage/<uuid:campaign_id>/", views.campaign_manage_view, name="campaign_manage"),
    path("manage/sessions/new/", views.session_new_view, name="session_new"),
    path("manage/analytics/", views.analytics_view, name="analytics"),
    path("manage/pipelines.xlsx", views.pipeline_export_view, name="pipeline_export"),
]
