from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "talentcloud.api"
    label = "api"
    verbose_name = "API"
