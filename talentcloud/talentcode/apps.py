from django.apps import AppConfig


class TalentCodeConfig(AppConfig):
    name = "talentcloud.talentcode"
    label = "talentcode"
    verbose_name = "Talent code"
