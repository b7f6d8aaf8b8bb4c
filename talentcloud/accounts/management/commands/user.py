import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from talentcloud.accounts.models import OrgUnit, Role
from talentcloud.accounts.services import user_create
from talentcloud.common.errors import DomainError


class Command(BaseCommand):
    help = "Manage accounts from the console. `user create --username U --role R --unit CODE` reads the password from stdin."

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create")
        create.add_argument("--username", required=True)
        create.add_argument("--role", required=True, action="append", help="role code; repeat for several")
        create.add_argument("--unit", default=None, help="org unit code")
        create.add_argument("--display-name", default="")

    def handle(self, *args: Any, **options: Any) -> None:
        roles = list(Role.objects.filter(code__in=options["role"]))
        missing = sorted(set(options["role"]) - {r.code for r in roles})
        if missing:
            raise CommandError(
                f"unknown role(s): {', '.join(missing)}; known: {', '.join(Role.objects.values_list('code', flat=True))}"
            )
        unit = None
        if options["unit"]:
            unit = OrgUnit.objects.filter(code=options["unit"]).first()
            if unit is None:
                raise CommandError(f"unknown unit code: {options['unit']}")
        password = sys.stdin.readline().rstrip("\n")
        try:
            user = user_create(
                actor=None,
                username=options["username"],
                password=password,
                unit=unit,
                roles=roles,
                display_name=options["display_name"],
            )
        except DomainError as exc:
            details = "; ".join(
                f"{name}: {' '.join(str(m) for m in msgs)}" for name, msgs in exc.fields.items()
            )
            raise CommandError(details or str(exc.message)) from exc
        self.stdout.write(f"created user {user.username} (id {user.pk})")
