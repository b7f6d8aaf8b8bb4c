from django.apps import AppConfig


class EnterprisesConfig(AppConfig):
    name = "talentcloud.enterprises"
    label = "enterprises"
    verbose_name = "Enterprises"
