from django.urls import path

from .views import applicant, case, guide, manage, staff

app_name = "servicehall"
urlpatterns = [
    path("", applicant.catalogue_view, name="catalogue"),
    path("services/<slug:code>/", applicant.service_view, name="service"),
    path("guide/", guide.guide_list_view, name="guide"),
    path("guide/<slug:code>/", guide.guide_service_view, name="guide_service"),
    path("guide/<slug:code>/form/", guide.guide_form_view, name="guide_form"),
    path("guide/<slug:code>/materials/<slug:key>/", guide.guide_material_view, name="guide_material"),
    path("services/<slug:code>/apply/", applicant.apply_view, name="apply"),
    path("cases/", applicant.my_cases_view, name="my_cases"),
    path("cases/<uuid:case_id>/", case.case_view, name="case"),
    path("cases/<uuid:case_id>/act/", case.act_view, name="act"),
    path("cases/<uuid:case_id>/unmask/", case.answer_unmask_view, name="answer_unmask"),
    path("cases/<uuid:case_id>/edit/", applicant.case_edit_view, name="case_edit"),
    path("cases/<uuid:case_id>/submit/", applicant.submit_view, name="submit"),
    path("cases/<uuid:case_id>/rate/", applicant.rate_view, name="rate"),
    path("cases/<uuid:case_id>/notices/<slug:kind>.pdf", case.notice_view, name="notice"),
    path("cases/<uuid:case_id>/materials/", applicant.material_add_view, name="material_add"),
    path("cases/<uuid:case_id>/materials/<uuid:material_id>/", case.material_view, name="material"),
    path(
        "cases/<uuid:case_id>/materials/<uuid:material_id>/remove/",
        applicant.material_remove_view,
        name="material_remove",
    ),
    path("work/", staff.worklist_view, name="worklist"),
    path("work/accept/", staff.bulk_accept_view, name="bulk_accept"),
    path("overview/", staff.overview_view, name="overview"),
    path("ratings/", staff.ratings_view, name="ratings"),
    path("ratings/<int:rating_id>/appeal/", staff.appeal_view, name="appeal"),
    path("rectifications/<int:rectification_id>/", staff.rectification_view, name="rectification"),
    path("appeals/<int:appeal_id>/decide/", staff.appeal_decide_view, name="appeal_decide"),
    path("manage/", manage.services_view, name="manage"),
    path("manage/new/", manage.service_edit_view, name="manage_new"),
    path("manage/settings/", manage.settings_view, name="settings"),
    path("manage/<slug:code>/", manage.service_edit_view, name="manage_service"),
    path("manage/<slug:code>/limit/", manage.limit_view, name="manage_limit"),
    path("manage/<slug:code>/fields/", manage.field_add_view, name="manage_field_add"),
    path("manage/<slug:code>/fields/<slug:key>/", manage.field_change_view, name="manage_field"),
    path("manage/<slug:code>/materials/", manage.material_spec_view, name="manage_material"),
]
