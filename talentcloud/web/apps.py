from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "talentcloud.web"
    label = "web"
    verbose_name = "Web shell"
