from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "talentcloud.common"
    label = "common"
    verbose_name = "Common"

    def ready(self) -> None:
        from . import checks  # noqa: F401, PLC0415 (ready(): registers the system checks)
