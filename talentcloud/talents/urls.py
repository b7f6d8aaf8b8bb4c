from django.urls import path

from . import views

app_name = "talents"
urlpatterns = [
    path("", views.talent_list_view, name="list"),
    path("<uuid:talent_id>/", views.talent_detail_view, name="detail"),
    path("<uuid:talent_id>/unmask/", views.talent_unmask_view, name="unmask"),
]
