"""talentcloud policies test | import | export: the policy library's YAML files and their test cases.

``import`` makes drafts only: a second person with the publish permission publishes them on the editor page
or through the API (``--by`` names the account the drafts are recorded as written by; it cannot publish them).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from talentcloud.accounts.models import User
from talentcloud.policies.loader import (
    LIBRARY,
    PolicyFileError,
    export_policy,
    import_policy,
    office_facts_file,
    parameters_install,
    read_file,
    run_tests,
)
from talentcloud.policies.models import Policy, PolicyStatus
from talentcloud.policies.office_facts import hold_library_definitions
from talentcloud.policies.sweep import sweep


class Command(BaseCommand):
    help = "Run the policies' YAML test cases, import policies from YAML, or export them."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("action", choices=["test", "import", "export", "sweep"])
        parser.add_argument("paths", nargs="*", help="YAML files or folders (default: the seeded library)")
        parser.add_argument("--out", default="", help="export: the folder to write to")
        parser.add_argument(
            "--by",
            default="",
            help="import: the username the drafts are written by (who then cannot publish)",
        )

    def _files(self, paths: list[str]) -> list[Path]:
        roots = [Path(p) for p in paths] or [LIBRARY]
        files: list[Path] = []
        for root in roots:
            files += sorted(root.glob("*.yaml")) if root.is_dir() else [root]
        return [f for f in files if f.name != "parameters.yaml"]

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "sweep":
            run = sweep()
            self.stdout.write(f"sweep {run.pk}: {len(run.done)} policies, {run.new} new matches")
            return
        if action == "export":
            out = Path(options["out"] or ".")
            out.mkdir(parents=True, exist_ok=True)

            for policy in Policy.objects.filter(status=PolicyStatus.PUBLISHED):
                (out / f"{policy.code}.yaml").write_text(export_policy(policy), encoding="utf-8")
                self.stdout.write(f"{policy.code} v{policy.version}")
            return
        if action == "import":
            actor = None
            if options["by"]:
                actor = User.objects.filter(username=options["by"], is_active=True).first()
                if actor is None:
                    raise CommandError(f"no active account {options['by']!r}")
            parameters_install()
            for path in self._files(options["paths"]):
                try:
                    outcome = import_policy(read_file(path), actor=actor)
                except PolicyFileError as exc:
                    raise CommandError(str(exc)) from exc
                if outcome.action == "draft":
                    self.stdout.write(
                        f"{outcome.code}: draft v{outcome.version} (publishing needs a second person "
                        "with the publish permission)"
                    )
                else:
                    self.stdout.write(f"{outcome.code}: {outcome.action} (v{outcome.version})")
            return
        # Checks every rule before running its cases (the import's check: an unknown fact is named with its
        # clause path, never a traceback), with the library's parameters where the database has none.
        failures = 0
        total = 0
        library_facts = office_facts_file()
        for path in self._files(options["paths"]):
            try:
                data = read_file(path)
            except PolicyFileError as exc:
                raise CommandError(str(exc)) from exc
            hold_library_definitions(library_facts)  # the library's own facts, where the database has none
            for result in run_tests(data):
                total += 1
                if not result.ok:
                    failures += 1
                    self.stdout.write(f"FAIL {result.policy} · {result.text()}")
        self.stdout.write(f"{total - failures} of {total} policy test cases pass")
        if failures:
            raise CommandError(f"{failures} policy test cases fail")
