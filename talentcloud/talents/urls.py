from django.urls import path

from . import views

app_name = "talents"
urlpatterns = [
    path("", views.talent_list_view, name="list"),
    path("<uuid:talent_id>/", views.talent_detail_view, name="detail"),
    path("<uuid:talent_id>/unmask/", views.talent_unmask_view, name="unmask"),
    path("<uuid:talent_id>/data.json", views.talent_data_copy_view, name="data_copy"),
    path("<uuid:talent_id>/requests/new/", views.rights_request_new_view, name="request_new"),
    path("requests/", views.rights_request_list_view, name="requests"),
    path("import/", views.talent_import_view, name="import"),
    path("export/", views.talent_export_view, name="export"),
    path("import/template.xlsx", views.talent_import_template_view, name="import_template"),
    path("requests/<uuid:request_id>/", views.rights_request_detail_view, name="request_detail"),
]
