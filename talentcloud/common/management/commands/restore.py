from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from talentcloud.common.backup import BackupError, restore


class Command(BaseCommand):
    help = "Restore FILE into the configured database (SQLite: replaced after checks; PostgreSQL: must be empty)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = restore(options["file"])
        except BackupError as exc:
            raise CommandError(f"restore failed: {exc}") from exc
        self.stdout.write(
            f"restored {report.tables} tables, {report.rows} rows; row counts match the backup; "
            f"audit chain verified ({report.audit_links} links)"
        )
