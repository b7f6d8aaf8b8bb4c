from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from talentcloud.talents.authority import FileFactAdapter, facts_import


class Command(BaseCommand):
    help = "Import facts from an authoritative system's export: `facts import FILE --source social_insurance` (.xlsx or .csv)."

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import")
        imp.add_argument("file", type=Path)
        imp.add_argument(
            "--source", required=True, help="which system the file comes from, e.g. social_insurance"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.exists():
            raise CommandError(f"no such file: {path}")
        adapter = FileFactAdapter(data=path.read_bytes(), filename=path.name, source_name=options["source"])
        try:
            report = facts_import(adapter=adapter)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        if report.errors:
            lines = "\n".join(f"  row {row}: {message}" for row, message in report.errors[:50])
            raise CommandError(f"nothing imported; {len(report.errors)} bad rows:\n{lines}")
        self.stdout.write(
            f"{report.rows} rows: {report.applied} facts applied, {report.unknown_people} for people not on the platform"
        )
