from typing import Any

from django.core.management.base import BaseCommand, CommandError

from talentcloud.demo.seed import seed_all


class Command(BaseCommand):
    help = "Seed synthetic Jiangning data (deterministic for a given --seed): units, roles, demo accounts, talents, enterprises."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--talents", type=int, default=300, help="number of talents (enterprises: a third)"
        )
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["talents"] < 0:
            raise CommandError("--talents must be 0 or more")
        result = seed_all(talents=options["talents"], seed=options["seed"])
        self.stdout.write(
            f"seeded {result.units} units, {result.chains} chains, {result.enterprises} enterprises, "
            f"{result.talents} talents; demo accounts: {', '.join(result.accounts)}"
        )
