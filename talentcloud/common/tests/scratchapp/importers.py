"""The scratch app's Excel importer (``common.sheets``): a sheet of codes and counts, checked row by row;
saving writes nothing (every good row is counted as unchanged), so the test proves the importer is found and
run without touching another app's data."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError

from talentcloud.infra.sheets import Column, ImportResult, SheetImporter


class ScratchImporter(SheetImporter):
    kind = "scratch_import"
    sheet_title = "scratch"
    columns = (
        Column("code", "Code", example="S-1", text=True),
        Column("count", "Count", example=3),
    )
    natural_key = "code"
    duplicate_message = "The same code is already in row %(row)d."
    title = "Scratch import"
    back = "web:home"
    problems = "Scratch import problems"

    def parse(self, key: str, raw: Any) -> Any:
        if key == "count":
            if isinstance(raw, bool) or not isinstance(raw, int | float) or raw != int(raw) or raw < 0:
                raise ValidationError("A whole number, 0 or more.")
            return int(raw)
        return str(raw)

    def save(self, rows: list[dict[str, Any]], *, actor: Any, result: ImportResult, digest: str) -> None:
        result.unchanged += len(rows)


IMPORTERS = [ScratchImporter()]
