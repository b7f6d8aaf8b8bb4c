from django.apps import AppConfig


class TalentCodeConfig(AppConfig):
    name = "talentcloud.talentcode"
    label = "talentcode"
    verbose_name = "Talent code"

    def ready(self) -> None:
        from . import signals  # noqa: F401, PLC0415 (ready(): the receivers that keep the verifier's cache true)
