from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "talentcloud.privacy"
    label = "privacy"
    verbose_name = "Privacy"
