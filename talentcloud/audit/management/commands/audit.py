from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from talentcloud.audit.anchors import AnchorError, anchor_store, audit_anchor
from talentcloud.audit.chain import audit_prune, audit_seal, audit_verify


class Command(BaseCommand):
    help = (
        "The audit chain: `verify` (exit 1 naming the first broken link, checked against the anchors), `seal`, "
        "`anchor` (write the head to the anchor store now), `prune --days N` (as the DB owner)."
    )

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("verify")
        sub.add_parser("seal")
        sub.add_parser("anchor")
        prune = sub.add_parser("prune")
        prune.add_argument("--days", type=int, default=settings.AUDIT_RETENTION_DAYS)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            self.run(options)
        except ImproperlyConfigured as exc:  # a keyed chain without its key, a bad key
            raise CommandError(str(exc)) from exc

    def run(self, options: dict[str, Any]) -> None:
        action = options["action"]
        if action == "seal":
            self.stdout.write(f"sealed {audit_seal()} events")
        elif action == "anchor":
            if anchor_store() is None:
                raise CommandError("no anchor store: set TALENTCLOUD_AUDIT_ANCHOR_PATH")
            try:
                anchor = audit_anchor(force=True)
            except (OSError, AnchorError) as exc:
                raise CommandError(f"the anchor could not be written: {exc}") from exc
            if anchor is None:
                self.stdout.write("nothing to anchor: the chain has no seals yet")
            else:
                self.stdout.write(f"anchored seal {anchor.seq} ({anchor.hash[:16]}…)")
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
            anchors = (
                f"{result.anchors} anchors match"
                if anchor_store() is not None
                else "no anchor store configured (TALENTCLOUD_AUDIT_ANCHOR_PATH)"
            )
            self.stdout.write(
                f"audit chain intact: {result.checked} links verified, {anchors}, "
                f"{result.unsealed} recent events not yet sealed"
            )
