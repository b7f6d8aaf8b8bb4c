from django.urls import path

from . import views

app_name = "recruitment"

urlpatterns = [
    path("demand/", views.demand_list_view, name="demand_list"),
    path("demand/new/", views.demand_new_view, name="demand_new"),
    path("demand/export.xlsx", views.demand_export_view, name="demand_export"),
    path("demand/import/", views.demand_import_view, name="demand_import"),
    path("demand/import/template.xlsx", views.demand_template_view, name="demand_template"),
    path("demand/<uuid:demand_id>/", views.demand_view, name="demand"),
    path("me/", views.profile_view, name="profile"),
    path("taxonomy/", views.taxonomy_view, name="taxonomy"),
    path("taxonomy/<str:kind>/template.xlsx", views.taxonomy_template_view, name="taxonomy_template"),
    path("manage/", views.catalogue_manage_list_view, name="catalogue_manage_list"),
    path("manage/<int:year>/", views.catalogue_manage_view, name="catalogue_manage"),
    path("catalogues/", views.catalogue_public_list_view, name="catalogues"),
    path("catalogues/<int:year>/", views.catalogue_public_view, name="catalogue"),
    path("catalogues/<int:year>/catalogue.xlsx", views.catalogue_xlsx_view, name="catalogue_xlsx"),
    path("catalogues/<int:year>/catalogue.pdf", views.catalogue_pdf_view, name="catalogue_pdf"),
]
