import base64
import secrets
from typing import Any

from django.core.management.base import BaseCommand

from talentcloud.privacy.rotation import rotate, stale_counts


class Command(BaseCommand):
    help = "Personal-data keys: `keygen` prints new keys; `status` counts rows not under the active key; `rotate` re-encrypts them."

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        keygen = sub.add_parser("keygen")
        keygen.add_argument("--key-id", default="k1")
        sub.add_parser("status")
        rotate_parser = sub.add_parser("rotate")
        rotate_parser.add_argument("--batch", type=int, default=1000)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "keygen":
            key = base64.b64encode(secrets.token_bytes(16)).decode()
            index = base64.b64encode(secrets.token_bytes(32)).decode()
            self.stdout.write(
                f"new SM4 data key (append to TALENTCLOUD_PRIVACY_KEYS): {options['key_id']}:{key}"
            )
            self.stdout.write(
                f"blind-index key (only for a new installation): TALENTCLOUD_BLIND_INDEX_KEY={index}"
            )
        elif options["action"] == "status":
            for label, count in stale_counts().items():
                self.stdout.write(f"{label}: {count} rows not under the active key")
        else:
            report = rotate(
                batch_size=options["batch"],
                on_batch=lambda label, n: self.stdout.write(f"{label}: re-encrypted {n} rows"),
            )
            self.stdout.write(f"done: {report.total} rows re-encrypted")
