from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "talentcloud.audit"
    label = "audit"
    verbose_name = "Audit"

    def ready(self) -> None:
        from . import checks  # noqa: F401, PLC0415 (ready(): registers the deployment checks)
