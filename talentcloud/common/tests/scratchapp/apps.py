from django.apps import AppConfig


class ScratchConfig(AppConfig):
    name = "talentcloud.common.tests.scratchapp"
    label = "scratchapp"
    verbose_name = "Scratch app (tests only)"
