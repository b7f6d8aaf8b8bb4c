from typing import Any

from django.core.management.base import BaseCommand, CommandError

from talentcloud.accounts.models import User
from talentcloud.accounts.services import token_create
from talentcloud.common.errors import DomainError


class Command(BaseCommand):
    help = (
        "Personal API tokens. `token create --username U [--days N] [--name NAME]` prints a new token once."
    )

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create")
        create.add_argument("--username", required=True)
        create.add_argument("--days", type=int, default=None)
        create.add_argument("--name", default="console")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"no such user: {options['username']}")
        try:
            _token, clear = token_create(actor=user, name=options["name"], days=options["days"], console=True)
        except DomainError as exc:
            raise CommandError(str(exc.message) + " " + str(exc.fields)) from exc
        self.stdout.write(clear)
