from django.apps import AppConfig


class CertificationConfig(AppConfig):
    name = "talentcloud.certification"
    label = "certification"
    verbose_name = "Certification"
