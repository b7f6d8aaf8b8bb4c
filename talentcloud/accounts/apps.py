from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "talentcloud.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from . import receivers  # noqa: F401  (records logins, failures and lockouts in the audit log)
