from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "talentcloud.common"
    label = "common"
    verbose_name = "Common"
