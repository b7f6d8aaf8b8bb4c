from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AccountsConfig(AppConfig):
    name = "talentcloud.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from . import receivers  # noqa: F401  (records logins, failures and lockouts in the audit log)
        from .roles import standard_grants_after_migrate

        post_migrate.connect(standard_grants_after_migrate, sender=self)
