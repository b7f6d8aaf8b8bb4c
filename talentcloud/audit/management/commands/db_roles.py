import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from talentcloud.audit.dbroles import grant_app_role


class Command(BaseCommand):
    help = "PostgreSQL: create/grant the application role (run as the owner after each migrate). Password on stdin with --password-stdin."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--app-role", required=True)
        parser.add_argument("--password-stdin", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        password = sys.stdin.readline().rstrip("\n") if options["password_stdin"] else None
        try:
            grant_app_role(role=options["app_role"], password=password)
        except RuntimeError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"role {options['app_role']}: may read and write data, may only insert and read audit rows"
        )
