from django.urls import path

from . import views, views_export, views_facts, views_manage

app_name = "policies"
urlpatterns = [
    path("", views.library_view, name="library"),
    path("calculator/", views.my_calculator_view, name="calculator"),
    path("quick/", views.quick_view, name="quick"),
    path("calculator/<uuid:talent_id>/", views.talent_calculator_view, name="talent_calculator"),
    path(
        "calculator/enterprise/<uuid:enterprise_id>/",
        views.enterprise_calculator_view,
        name="enterprise_calculator",
    ),
    path("prepared/<slug:code>/", views.prepared_view, name="prepared"),
    path(
        "prepared/<slug:code>/enterprise/<uuid:enterprise_id>/",
        views.prepared_view,
        name="prepared_enterprise",
    ),
    path("manage/", views_manage.manage_list_view, name="manage"),
    path("manage/new/", views_manage.editor_view, name="manage_new"),
    path("manage/sweeps/", views_manage.sweeps_view, name="sweeps"),
    path("manage/parameters/", views_manage.parameters_view, name="parameters"),
    path("manage/facts/", views_facts.facts_view, name="facts"),
    path("manage/facts/<slug:key>/", views_facts.fact_view, name="fact"),
    path("manage/sweeps/<int:run_id>/", views_manage.sweep_view, name="sweep"),
    path("manage/sweeps/<int:run_id>/export.xlsx", views_export.sweep_export_view, name="sweep_export"),
    path("manage/<slug:code>/", views_manage.editor_view, name="manage_policy"),
    path("manage/<slug:code>/publish/", views_manage.publish_view, name="publish"),
    path("manage/<slug:code>/discard/", views_manage.discard_view, name="discard"),
    path("manage/<slug:code>/simulate/", views_manage.simulate_view, name="simulate"),
    path("<slug:code>/", views.policy_view, name="policy"),
]
