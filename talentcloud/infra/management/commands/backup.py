from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from talentcloud.infra.backup import BackupError, backup


class Command(BaseCommand):
    help = (
        "Back up the database and the encrypted uploads to FILE: one archive encrypted with the backup key "
        "(TALENTCLOUD_BACKUP_KEYS), written 0600, with a manifest of row counts and digests from the dump's own "
        "snapshot."
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
            f"backup written to {options['file']}: {len(manifest['counts'])} tables, {rows} rows, "
            f"{len(manifest['files'])} encrypted files, audit chain up to seal {manifest['audit_head']['seq']}; "
            f"encrypted with backup key {manifest['key_id']}"
        )
