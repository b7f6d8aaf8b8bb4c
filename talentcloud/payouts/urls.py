from django.urls import path

from . import views, views_office

app_name = "payouts"

urlpatterns = [
    path("me/", views.mine_view, name="mine"),
    path("me/<uuid:award_id>/resume/", views.resume_view, name="resume"),
    path("me/<uuid:award_id>/account/", views.own_account_view, name="own_account"),
    path("budget/", views.budget_view, name="budget"),
    path("budget/changes/", views_office.budget_changes_view, name="budget_changes"),
    path("budget/<slug:code>/<int:year>/close/", views_office.year_close_view, name="year_close"),
    path("budget/export/", views_office.ledger_export_view, name="ledger_export"),
    path("awards/export/", views_office.awards_export_view, name="awards_export"),
    path("grants/", views_office.grants_view, name="grants"),
    path("enterprise/", views_office.enterprise_mine_view, name="enterprise_mine"),
    path("talents/<uuid:talent_id>/award/", views.award_view, name="award"),
    path("awards/<uuid:award_id>/", views.award_detail_view, name="award_detail"),
    path("batches/", views.batches_view, name="batches"),
    path("batches/<int:batch_id>/", views.batch_view, name="batch"),
    path("batches/<int:batch_id>/files/<str:kind>/", views.file_view, name="file"),
]
