from django.urls import path

from . import views

app_name = "enterprises"
urlpatterns = [
    path("", views.enterprise_list_view, name="list"),
    path("new/", views.enterprise_new_view, name="new"),
    path("import/", views.enterprise_import_view, name="import"),
    path("import/template.xlsx", views.enterprise_import_template_view, name="import_template"),
    path("export.xlsx", views.enterprise_export_view, name="export"),
    path("join/", views.enterprise_join_view, name="join"),
    path("mine/", views.my_requests_view, name="requests_mine"),
    path("requests/<uuid:membership_id>/decide/", views.membership_decide_view, name="request_decide"),
    path("<uuid:enterprise_id>/", views.enterprise_detail_view, name="detail"),
    path("<uuid:enterprise_id>/edit/", views.enterprise_edit_view, name="edit"),
    path("<uuid:enterprise_id>/members/", views.enterprise_members_view, name="members"),
    path(
        "<uuid:enterprise_id>/members/<int:member_id>/remove/",
        views.member_remove_view,
        name="member_remove",
    ),
]
