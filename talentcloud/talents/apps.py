from django.apps import AppConfig


class TalentsConfig(AppConfig):
    name = "talentcloud.talents"
    label = "talents"
    verbose_name = "Talents"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate  # noqa: PLC0415 (ready(): connects after the apps are loaded)

        from .search import ensure_search_index  # noqa: PLC0415 (ready(): the search module imports the models)

        # SQLite rebuilds a table for many schema changes and its triggers go with it: after every migrate,
        # make sure the full-text index and its triggers exist and match the rows.
        post_migrate.connect(ensure_search_index, sender=self, dispatch_uid="talents.ensure_search_index")
