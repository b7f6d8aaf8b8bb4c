"""Excel helpers shared by every export: formula-safe cells and a streamed workbook response."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext_lazy
from openpyxl import Workbook

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """Neutralise text that a spreadsheet would run as a formula (CSV/formula injection)."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def attachment(filename: str) -> str:
    """``Content-Disposition`` for a download whose name may be Chinese: ``filename*=UTF-8''…`` (RFC 6266)
    with an ASCII ``filename=`` for old clients."""
    return content_disposition_header(True, filename) or "attachment"


def dated_name(label: Any, suffix: str = "xlsx") -> str:
    """A download's name in the reader's language with today's date: ``人才名单-20260301.xlsx``."""
    return f"{label}-{timezone.localdate():%Y%m%d}.{suffix}"


JOB_FILE_LABELS = {
    "talent_export": gettext_lazy("Talents"),
}


def job_file_name(job: Any, label: Any = None) -> str:
    """A background job's result file, named in the reader's language: ``人才名单-20260301.xlsx``. ``label``:
    what the file is called, when the caller knows (an import's error report: its importer's ``problems``)."""
    label = label or JOB_FILE_LABELS.get(job.kind, job.kind)
    return f"{label}-{timezone.localtime(job.created_at):%Y%m%d-%H%M}.xlsx"


def xlsx_bytes(*, sheet: str, header: Sequence[Any], rows: Iterable[Sequence[Any]]) -> bytes:
    workbook = Workbook(write_only=True)
    worksheet = workbook.create_sheet(title=sheet[:31])
    worksheet.append([str(h) for h in header])
    for row in rows:
        worksheet.append([safe_cell(v) for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_download(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX_TYPE)
    response["Content-Disposition"] = attachment(filename)
    return response


def xlsx_response(
    *, filename: str, sheet: str, header: Sequence[str], rows: Iterable[Sequence[Any]]
) -> HttpResponse:
    """A small, bounded table as a direct download; every cell formula-safe; the name may be Chinese."""
    return xlsx_download(xlsx_bytes(sheet=sheet, header=header, rows=rows), filename)
