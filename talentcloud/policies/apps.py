from django.apps import AppConfig


class PoliciesConfig(AppConfig):
    name = "talentcloud.policies"
    label = "policies"
    verbose_name = "Policies"
