from django.urls import path

from . import views

app_name = "scratchapp"

urlpatterns = [path("", views.page, name="page")]
