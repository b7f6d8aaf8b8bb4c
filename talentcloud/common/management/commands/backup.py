from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from talentcloud.common.backup import BackupError, backup


class Command(BaseCommand):
    help = (
        "Back up the database to FILE (SQLite online backup or pg_dump -Fc, with a manifest of row counts)."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            manifest = backup(options["file"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        rows = sum(manifest["counts"].values())
        self.stdout.write(
            f"backup written to {options['file']}: {len(manifest['counts'])} tables, {rows} rows"
        )
