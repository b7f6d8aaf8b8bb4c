from importlib import import_module

from django.apps import AppConfig


class PoliciesConfig(AppConfig):
    name = "talentcloud.policies"
    label = "policies"
    verbose_name = "Policies"

    def ready(self) -> None:
        # the rule vocabulary reads the office-defined facts through this module (``rules.facts``)
        import_module("talentcloud.policies.office_facts")
