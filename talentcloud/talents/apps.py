from django.apps import AppConfig


class TalentsConfig(AppConfig):
    name = "talentcloud.talents"
    label = "talents"
    verbose_name = "Talents"
