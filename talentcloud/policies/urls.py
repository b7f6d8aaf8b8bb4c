from django.urls import path

from . import views

app_name = "policies"
urlpatterns = [
    path("", views.library_view, name="library"),
    path("calculator/", views.my_calculator_view, name="calculator"),
    path("quick/", views.quick_view, name="quick"),
    path("calculator/<uuid:talent_id>/", views.talent_calculator_view, name="talent_calculator"),
    path("<slug:code>/", views.policy_view, name="policy"),
]
