from django.apps import AppConfig


class RecruitmentConfig(AppConfig):
    name = "talentcloud.recruitment"
    label = "recruitment"
    verbose_name = "Recruitment"
