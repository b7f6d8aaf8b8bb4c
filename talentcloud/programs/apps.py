from django.apps import AppConfig


class ProgramsConfig(AppConfig):
    name = "talentcloud.programs"
    label = "programs"
    verbose_name = "Talent programmes"
