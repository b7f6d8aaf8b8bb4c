from django.apps import AppConfig


class InfraConfig(AppConfig):
    """The platform's machinery over the kernel's tables: background jobs and their worker, the scheduler,
    Excel sheet imports, backups and the holiday calendar's audited writes."""

    name = "talentcloud.infra"
    label = "infra"
    verbose_name = "Infrastructure"
