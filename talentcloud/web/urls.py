from django.urls import path

from . import views

app_name = "web"
urlpatterns = [
    path("", views.home_view, name="home"),
    path("portal/", views.portal_view, name="portal"),
    path("privacy/", views.privacy_view, name="privacy"),
    path("session/status/", views.session_status_view, name="session_status"),
    path("health/", views.health_view, name="health"),
    path("calendar/", views.calendar_view, name="calendar"),
    path("jobs/<uuid:job_id>/", views.job_view, name="job"),
    path("jobs/<uuid:job_id>/result/", views.job_result_view, name="job_result"),
]
