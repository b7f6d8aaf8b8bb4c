from django.apps import AppConfig


class EnterprisesConfig(AppConfig):
    name = "talentcloud.enterprises"
    label = "enterprises"
    verbose_name = "Enterprises"

    def ready(self) -> None:
        # Registers the Excel importer, so every process (a worker never loads the URL configuration) has it.
        from . import importing  # noqa: F401
