from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from talentcloud.audit.chain import audit_prune, audit_seal, audit_verify


class Command(BaseCommand):
    help = "The audit chain: `verify` (exit 1 naming the first broken link), `seal`, `prune --days N` (as the DB owner)."

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("verify")
        sub.add_parser("seal")
        prune = sub.add_parser("prune")
        prune.add_argument("--days", type=int, default=settings.AUDIT_RETENTION_DAYS)

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "seal":
            self.stdout.write(f"sealed {audit_seal()} events")
        elif action == "prune":
            try:
                deleted = audit_prune(older_than_days=options["days"])
            except ValueError as exc:
                raise CommandError(str(exc)) from exc
            self.stdout.write(
                f"pruned {deleted} events older than {options['days']} days; checkpoint recorded"
            )
        else:
            result = audit_verify()
            if not result.ok:
                raise CommandError(
                    f"audit chain broken: {result.problem} ({result.checked} links verified before it)"
                )
            self.stdout.write(
                f"audit chain intact: {result.checked} links verified, {result.unsealed} recent events not yet sealed"
            )
