from django.urls import path

from .views import archive as views
from .views import clashes as clash_views
from .views import liaison as liaison_views
from .views import programmes as programme_views
from .views import register as register_views

app_name = "talents"
urlpatterns = [
    path("", views.talent_list_view, name="list"),
    path("<uuid:talent_id>/", views.talent_detail_view, name="detail"),
    path("<uuid:talent_id>/unmask/", views.talent_unmask_view, name="unmask"),
    path("<uuid:talent_id>/data.json", views.talent_data_copy_view, name="data_copy"),
    path("<uuid:talent_id>/archive.pdf", views.talent_pdf_view, name="pdf"),
    path("<uuid:talent_id>/requests/new/", views.rights_request_new_view, name="request_new"),
    path("requests/", views.rights_request_list_view, name="requests"),
    path("mine/", liaison_views.my_talents_view, name="mine"),
    path("register/", register_views.register_view, name="register"),
    path("register/code/", register_views.register_code_view, name="register_code"),
    path("me/", views.my_profile_view, name="me"),
    path("facts/review/", views.fact_review_view, name="fact_review"),
    path("programmes/", programme_views.programmes_view, name="programmes"),
    path("programmes/<slug:code>/", programme_views.programme_edit_view, name="programme_edit"),
    path("<uuid:talent_id>/edit/", views.talent_edit_view, name="edit"),
    path("<uuid:talent_id>/education/", views.education_add_view, name="education_add"),
    path("<uuid:talent_id>/contributions/", views.contribution_add_view, name="contribution_add"),
    path("<uuid:talent_id>/family/", views.family_add_view, name="family_add"),
    path("<uuid:talent_id>/qualifications/", views.qualification_add_view, name="qualification_add"),
    path("<uuid:talent_id>/contacts/new/", liaison_views.contact_new_view, name="contact_new"),
    path("needs/", liaison_views.need_list_view, name="needs"),
    path("needs/<uuid:need_id>/", liaison_views.need_detail_view, name="need_detail"),
    path("<uuid:talent_id>/documents/", views.document_add_view, name="document_add"),
    path("<uuid:talent_id>/forms/<slug:kind>/", views.add_form_view, name="add_form"),
    path("<uuid:talent_id>/sections/<slug:section>/", views.section_view, name="section"),
    path("documents/<uuid:document_id>/", views.document_view, name="document"),
    path("documents/<uuid:document_id>/remove/", views.document_remove_view, name="document_remove"),
    path("import/", views.talent_import_view, name="import"),
    path("export/", views.talent_export_view, name="export"),
    path("import/template.xlsx", views.talent_import_template_view, name="import_template"),
    path("requests/<uuid:request_id>/", views.rights_request_detail_view, name="request_detail"),
    path("clashes/", clash_views.clash_list_view, name="clashes"),
    path("clashes/talents/<uuid:clash_id>/", clash_views.talent_clash_view, name="clash"),
    path("clashes/enterprises/<uuid:clash_id>/", clash_views.enterprise_clash_view, name="enterprise_clash"),
]
