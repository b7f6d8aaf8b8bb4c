from django.apps import AppConfig


class OperationsConfig(AppConfig):
    name = "talentcloud.operations"
    label = "operations"
    verbose_name = "Operations"
