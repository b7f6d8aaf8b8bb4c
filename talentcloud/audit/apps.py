from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "talentcloud.audit"
    label = "audit"
    verbose_name = "Audit"
