"""``manage.py workflow_diagram talentcloud.servicehall.workflow.CASES [--markdown]``: print a workflow's table
as Mermaid text (``--markdown``: the block docs/architecture.md holds, marker and fence included)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.module_loading import import_string

from talentcloud.workflow.diagram import markdown, mermaid
from talentcloud.workflow.tables import Workflow


class Command(BaseCommand):
    help = "Print a workflow's table as a Mermaid stateDiagram-v2."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "workflow", help="dotted path of a Workflow, e.g. talentcloud.servicehall.workflow.CASES"
        )
        parser.add_argument("--markdown", action="store_true", help="the block for docs/architecture.md")

    def handle(self, *args: Any, **options: Any) -> None:
        path = options["workflow"]
        try:
            workflow = import_string(path)
        except ImportError as exc:
            raise CommandError(str(exc)) from exc
        if not isinstance(workflow, Workflow):
            raise CommandError(f"{path} is not a Workflow")
        self.stdout.write(markdown(path, workflow) if options["markdown"] else mermaid(workflow), ending="")
