from django.urls import path

from . import views

app_name = "notifications"
urlpatterns = [
    path("", views.inbox_view, name="inbox"),
    path("<int:notification_id>/read/", views.read_view, name="read"),
    path("preferences/", views.preferences_view, name="preferences"),
]
