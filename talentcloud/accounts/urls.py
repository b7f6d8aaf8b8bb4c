from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("2fa/", views.otp_verify, name="otp_verify"),
    path("2fa/setup/", views.otp_setup, name="otp_setup"),
    path("password/", views.password_change_view, name="password_change"),
    path("reauth/", views.reauth_view, name="reauth"),
    path("tokens/", views.tokens_view, name="tokens"),
    path("tokens/<int:token_id>/revoke/", views.token_revoke_view, name="token_revoke"),
    path("users/", views.users_view, name="users"),
    path("users/<int:user_id>/active/", views.user_active_view, name="user_active"),
    path("users/<int:user_id>/roles/", views.user_roles_view, name="user_roles"),
    path("units/", views.units_view, name="units"),
    path("lockouts/", views.lockouts_view, name="lockouts"),
]
