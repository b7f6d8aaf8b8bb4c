from django.urls import path

from . import views

app_name = "operations"
urlpatterns = [
    path("", views.jobs_view, name="jobs"),
    path("slots/<int:slot_id>/rerun/", views.slot_rerun_view, name="slot_rerun"),
    path("health/", views.health_view, name="health"),
    path("sessions/", views.sessions_view, name="sessions"),
]
