from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from talentcloud.infra.backup import BackupError, RestoreReport, restore, restore_verify


class Command(BaseCommand):
    help = (
        "Restore FILE into a NEW database (PostgreSQL: a database name on the configured server; SQLite: a new "
        "file) and a new folder for the encrypted uploads, ready only when every check passes; or, with "
        "--verify-only, restore into a scratch database, check everything, drop it and report (the drill)."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--database", help="the new database (PostgreSQL name, or SQLite file path)")
        parser.add_argument("--media", type=Path, help="the new folder for the encrypted uploads")
        parser.add_argument(
            "--verify-only", action="store_true", help="restore into a scratch database and drop it"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["verify_only"]:
                report = restore_verify(options["file"])
            else:
                if not options["database"] or not options["media"]:
                    raise CommandError("name the new --database and --media folder, or use --verify-only")
                report = restore(options["file"], database=options["database"], media=options["media"])
        except BackupError as exc:
            raise CommandError(f"restore failed: {exc}") from exc
        self.stdout.write(self.summary(report, drill=options["verify_only"]))

    @staticmethod
    def summary(report: RestoreReport, *, drill: bool) -> str:
        files = (
            f"{report.files} encrypted files open"
            if report.files_opened
            else f"{report.files} encrypted files restored (not opened: no personal-data keys configured here)"
        )
        checks = (
            f"backup of {report.created_at}: {report.tables} tables, {report.rows} rows, row counts match; "
            f"audit chain verified ({report.audit_links} links, {report.anchors} anchors); {files}"
        )
        if drill:
            return f"drill passed, scratch database dropped: {checks}"
        return (
            f"ready: restored into {report.database} and {report.media}: {checks}. To use it, point "
            f"DATABASE_URL (or TALENTCLOUD_SQLITE_PATH) at {report.database} and TALENTCLOUD_PRIVATE_MEDIA_ROOT "
            f"at {report.media}, then restart (docs/operations.md)."
        )
