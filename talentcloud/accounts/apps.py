from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "talentcloud.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from . import receivers  # noqa: F401, PLC0415 (ready(): receivers that record logins, failures and lockouts in the audit log)
