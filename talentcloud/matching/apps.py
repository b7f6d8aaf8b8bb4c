from django.apps import AppConfig


class MatchingConfig(AppConfig):
    name = "talentcloud.matching"
    label = "matching"
    verbose_name = "Matching"

    def ready(self) -> None:
        from . import signals  # noqa: F401, PLC0415 (connects the change log to the rows it follows)
