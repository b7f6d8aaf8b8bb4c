from django.urls import path

from . import views

app_name = "payouts"

urlpatterns = [
    path("me/", views.mine_view, name="mine"),
    path("me/<uuid:award_id>/resume/", views.resume_view, name="resume"),
    path("me/<uuid:award_id>/account/", views.own_account_view, name="own_account"),
    path("budget/", views.budget_view, name="budget"),
    path("talents/<uuid:talent_id>/award/", views.award_view, name="award"),
    path("awards/<uuid:award_id>/", views.award_detail_view, name="award_detail"),
    path("batches/", views.batches_view, name="batches"),
    path("batches/<int:batch_id>/", views.batch_view, name="batch"),
    path("batches/<int:batch_id>/files/<str:kind>/", views.file_view, name="file"),
]
