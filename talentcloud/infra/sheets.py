"""Excel imports that staff can trust: every row validated, all or nothing, re-importing adds nothing.

An app declares a ``SheetImporter`` (in its ``importers.py``: ``IMPORTERS = [TalentImporter()]``, found by
``importers()``): its columns (headers in Chinese and English, both accepted), how a row
is parsed and checked, and how the checked rows are saved (an upsert by a natural key, in one transaction).
This module does the rest the same way for every import: reading the workbook, mapping headers, the
downloadable template, the error report (the uploaded sheet with a first column naming what is wrong),
and the background job that runs the import with a progress page.

A file with any bad row saves nothing; the report names the row, the column and the reason.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import from_excel
from openpyxl.worksheet.datavalidation import DataValidation

from talentcloud.audit.services import audit_record
from talentcloud.common.crypto import sm3_hex
from talentcloud.common.errors import ValidationFailed
from talentcloud.common.excel import safe_cell
from talentcloud.common.models import BackgroundJob
from talentcloud.common.registries import Declarations, forgotten_with_apps
from talentcloud.privacy.storage import encrypted_storage

if TYPE_CHECKING:
    from talentcloud.accounts.models import User

MAX_ROWS = 100_000
MAX_BYTES = 20 * 1024 * 1024
# What the parts of a workbook may unpack to (the zip's declared sizes, which zipfile holds reads to): 100,000
# rows of the widest template with every cell an inline string stay well under it.
MAX_UNPACKED_BYTES = 256 * 1024 * 1024
XLSX_MAGIC = b"PK\x03\x04"
PROGRESS_EVERY = 1000  # rows checked between two progress steps (each also a heartbeat)
SAVE_PROGRESS_EVERY = 2000  # rows saved between two progress steps of the save phase
TEMPLATE_ROWS = 2000  # rows of a template formatted (text columns) and given drop-down lists
ProgressCallback = Callable[[int, int], None]
Row = tuple[int, tuple[Any, ...]]  # (row number in the sheet, cell values)


class ImportFileError(Exception):
    """The file as a whole cannot be read (not .xlsx, no header row, a required column missing, too big)."""


@dataclass(frozen=True)
class Column:
    key: str
    header: Any  # lazy translation: the template speaks the user's language, the import accepts both
    required: bool = True
    example: Any = ""
    help: Any = ""  # lazy text for the template's instructions sheet: what the column holds
    text: bool = False  # formatted as text in the template (ID, phone, credit code: no 3.20115E+17)
    choices: Any = None  # an enumeration (TextChoices): the template offers its labels in a drop-down list
    date: bool = False  # a date: the instructions list the spellings accepted


class _Masked:
    """A cell of a masked export (``3201**********1234``): ignored on import, never written back."""

    def __repr__(self) -> str:
        return "MASKED"

    def __bool__(self) -> bool:
        return False


MASKED: Any = _Masked()


def is_masked(raw: Any) -> bool:
    return isinstance(raw, str) and "*" in raw


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str


@dataclass
class ImportResult:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "rows": self.rows,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
        }
        if self.errors:
            data["errors"] = [
                {"row": e.row, "column": e.column, "message": e.message} for e in self.errors[:500]
            ]
            data["error_count"] = len(self.errors)
        return data


_SHEET = re.compile(rb"<(?:\w+:)?sheet\b[^>]*?\br(?:elationships)?:id=\"([^\"]+)\"")
_RELATION = re.compile(rb"<(?:\w+:)?Relationship\b[^>]*>")
_ATTRIBUTE = re.compile(rb"\b(Id|Target)=\"([^\"]+)\"")
_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\b[^>]*?\bref=\"[A-Za-z]*(\d+)(?::[A-Za-z]*(\d+))?\"")
_HEAD_BYTES = 64 * 1024  # the sheet XML's start, where <dimension> is (after the small <sheetPr>)
_SMALL_PART = 1024 * 1024  # at most what is read of workbook.xml and its relationships


def _first_sheet(archive: zipfile.ZipFile) -> str | None:
    """The zip path of the workbook's first sheet (as openpyxl finds it: workbook.xml, then its rels)."""
    names = set(archive.namelist())
    try:
        with archive.open("xl/workbook.xml") as book:
            first = _SHEET.search(book.read(_SMALL_PART))
        with archive.open("xl/_rels/workbook.xml.rels") as rels:
            relations = rels.read(_SMALL_PART)
    except KeyError:
        first = None
    if first is not None:
        for element in _RELATION.findall(relations):
            attributes = dict(_ATTRIBUTE.findall(element))
            if attributes.get(b"Id") == first.group(1) and b"Target" in attributes:
                target = attributes[b"Target"].decode(errors="replace")
                path = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
                if path in names:
                    return path
    sheets = sorted(n for n in names if n.startswith("xl/worksheets/") and n.endswith(".xml"))
    return sheets[0] if sheets else None


def sheet_declared_rows(data: bytes) -> tuple[int | None, int]:
    """(rows of the first sheet by its ``<dimension ref>``, or None; bytes the parts unpack to), read from
    the zip's directory and the sheet XML's first bytes: nothing is parsed."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError) as exc:
        raise ImportFileError(_("This is not an Excel (.xlsx) file.")) from exc
    with archive:
        unpacked = sum(info.file_size for info in archive.infolist())
        sheet = _first_sheet(archive)
        if sheet is None:
            return None, unpacked
        try:
            with archive.open(sheet) as xml:
                head = xml.read(_HEAD_BYTES)
        except (zipfile.BadZipFile, zlib.error, OSError, EOFError, NotImplementedError) as exc:
            raise ImportFileError(_("This is not an Excel (.xlsx) file.")) from exc
    found = _DIMENSION.search(head)
    if found is None:
        return None, unpacked
    return int(found.group(2) or found.group(1)), unpacked


def xlsx_guard(data: bytes) -> None:
    """Refuse, before any row is parsed, a workbook too large to import: one whose parts unpack to more than
    ``MAX_UNPACKED_BYTES`` or whose first sheet declares more than ``MAX_ROWS`` rows under its header."""
    rows, unpacked = sheet_declared_rows(data)
    if unpacked > MAX_UNPACKED_BYTES:
        raise ImportFileError(
            _("The file unpacks to %(size)d MB; at most %(max)d MB can be imported. Split it.")
            % {"size": unpacked // (1024 * 1024), "max": MAX_UNPACKED_BYTES // (1024 * 1024)}
        )
    if rows is not None and rows - 1 > MAX_ROWS:
        raise ImportFileError(
            _("The sheet has %(rows)s rows; at most %(n)s rows can be imported from one file. Split it.")
            % {"rows": f"{rows - 1:,}", "n": f"{MAX_ROWS:,}"}
        )


def choice_lookup(choices: type[Any]) -> dict[str, str]:
    """Accept the code, the Chinese label and the English label of each choice (case-insensitive)."""
    lookup: dict[str, str] = {}
    for value, label in choices.choices:
        lookup[str(value).lower()] = value
        for language in ("zh-hans", "en"):
            with translation.override(language):
                lookup[str(label).strip().lower()] = value
    return lookup


def choice_parse(lookup: dict[str, str], text: str) -> str:
    value = lookup.get(text.strip().lower())
    if value is None:
        labels = sorted({k for k in lookup if not k.isascii()})
        raise ValidationError(_("Not one of: %(labels)s.") % {"labels": "、".join(labels)})
    return value


_DATE = re.compile(
    r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
)
_COMPACT_DATE = re.compile(r"(\d{4})(\d{2})(\d{2})")
EXCEL_LAST_SERIAL = 2958465  # 9999-12-31


def date_parse(value: Any) -> date:
    """A date as staff write it: 2022-03-01, 2022-3-1, 2022/3/1, 2022.3.1, 2022年3月1日, 20220301, or a
    real Excel date (a date cell, or the serial number Excel keeps when the cell is formatted as a number)."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if value == int(value) and _COMPACT_DATE.fullmatch(str(int(value))):
            return date_parse(str(int(value)))
        if 1 <= value <= EXCEL_LAST_SERIAL:
            return from_excel(value).date()
        raise ValidationError(_("Write the date as YYYY-MM-DD, for example 1988-05-17."))
    text = str(value).strip()
    found = _DATE.fullmatch(text) or _COMPACT_DATE.fullmatch(text)
    if found is None:
        raise ValidationError(_("Write the date as YYYY-MM-DD, for example 1988-05-17."))
    year, month, day = (int(part) for part in found.groups())
    try:
        return date(year, month, day)
    except ValueError:
        raise ValidationError(_("There is no such date: %(text)s.") % {"text": text}) from None


class SheetImporter:
    """One kind of import. Subclasses set ``kind``, ``sheet_title`` and ``columns`` and implement
    ``check`` (rows → cleaned rows and errors; nothing written) and ``save`` (cleaned rows → counts,
    inside the transaction that this class opens)."""

    kind: ClassVar[str]
    sheet_title: ClassVar[str]
    columns: ClassVar[tuple[Column, ...]]
    natural_key: ClassVar[str]  # the column that identifies a row's record (a second row with it is an error)
    duplicate_message: ClassVar[Any]  # lazy text with %(row)d: the row where the key first appeared
    title: ClassVar[Any] = None  # lazy text: what its job's progress page is called ("Import talents")
    back: ClassVar[str] = "web:home"  # the URL name the progress page's "back" link goes to
    problems: ClassVar[Any] = None  # lazy text: the name of its error report download
    actor: User | None = None  # the person importing, while a file is checked

    def checked_for(self) -> User:
        """The person the rows are checked for (their scope): set by ``check`` and ``run``."""
        if self.actor is None:
            raise RuntimeError("rows are checked for the person importing; none was given")
        return self.actor

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)

    def identity(self, cleaned: dict[str, Any]) -> tuple[str, Any]:
        """(column, value) naming the row's record; a second row with the same is an error. The natural key,
        unless an importer also accepts an export's record key."""
        return self.natural_key, cleaned.get(self.natural_key)

    def choice_labels(self, column: Column) -> list[str]:
        """The values a template's drop-down list offers for a column (in the reader's language)."""
        if column.choices is None:
            return []
        return [str(label) for _value, label in column.choices.choices]

    def saving(self, done: int) -> None:
        """Progress of the save phase (``done`` rows of ``len(rows)`` saved); ``save`` calls it as it goes."""
        if self._save_progress is not None:
            self._save_progress(self._rows + done, self._rows * 2)

    _save_progress: ProgressCallback | None = None
    _rows: int = 0

    def prepare(self, mapping: dict[str, int], body: list[Row]) -> None:
        """Load the reference data ``parse`` needs, once per file."""

    def parse(self, key: str, raw: Any) -> Any:
        """One cell's value, or ValidationError with the reason."""
        raise NotImplementedError

    def row_checks(self, number: int, cleaned: dict[str, Any]) -> list[RowError]:
        """Checks across the cells of one row (after each cell is parsed)."""
        return []

    def check(
        self,
        mapping: dict[str, int],
        body: list[Row],
        progress: ProgressCallback | None = None,
        *,
        actor: User | None = None,
    ) -> tuple[list[dict[str, Any]], list[RowError]]:
        """Every cell parsed, every row checked, repeated natural keys named; nothing is written.
        ``progress(done, 2 × rows)`` is called every ``PROGRESS_EVERY`` rows (saving is the second half).
        ``actor`` (the person importing) is ``self.actor`` for ``prepare`` and ``row_checks``: a row may
        name only what the actor's scope allows."""
        self.actor = actor
        self.prepare(mapping, body)
        seen: dict[Any, int] = {}
        rows: list[dict[str, Any]] = []
        errors: list[RowError] = []
        for done, (number, values) in enumerate(body):
            if progress and done and done % PROGRESS_EVERY == 0:
                progress(done, len(body) * 2)
            present, row_errors = self.cells(number, values, mapping)
            cleaned: dict[str, Any] = {}
            for key, raw in present.items():
                try:
                    cleaned[key] = self.parse(key, raw)
                except ValidationError as exc:
                    row_errors.append(RowError(number, str(self.column(key).header), " ".join(exc.messages)))
            key_column, identity = self.identity(cleaned)
            if identity:
                first = seen.setdefault((key_column, identity), number)
                if first != number:
                    header = str(self.column(key_column).header)
                    row_errors.append(RowError(number, header, str(self.duplicate_message) % {"row": first}))
            if identity or self.natural_key in cleaned:
                row_errors += self.row_checks(number, cleaned)
            errors.extend(row_errors)
            rows.append(cleaned)
        return rows, errors

    def save(self, rows: list[dict[str, Any]], *, actor: User, result: ImportResult, digest: str) -> None:
        raise NotImplementedError

    # -- shared by every import -------------------------------------------------------------------

    def template(self) -> bytes:
        """The sheet to fill (headers, an example row that passes its own checks, text-formatted ID, phone
        and code columns, drop-down lists for every enumeration) and an instructions sheet."""
        workbook = Workbook()
        sheet = workbook.active
        assert sheet is not None
        sheet.title = self.sheet_title
        sheet.append([str(c.header) + ("" if c.required else _(" (optional)")) for c in self.columns])
        sheet.append([c.example for c in self.columns])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
        lists = workbook.create_sheet("lists")
        lists.sheet_state = "hidden"
        for index, column in enumerate(self.columns, start=1):
            letter = get_column_letter(index)
            sheet.column_dimensions[letter].width = max(12, len(str(column.header)) * 2 + 4)
            if column.text:
                sheet.column_dimensions[letter].number_format = "@"
                for row in range(2, TEMPLATE_ROWS + 2):
                    sheet.cell(row=row, column=index).number_format = "@"
            if column.date:
                sheet.cell(row=2, column=index).number_format = "yyyy-mm-dd"
            labels = self.choice_labels(column)
            if labels:
                for row, label in enumerate(labels, start=1):
                    lists.cell(row=row, column=index, value=label)
                source = f"lists!${letter}$1:${letter}${len(labels)}"
                validation = DataValidation(
                    type="list", formula1=f"={source}", allow_blank=not column.required
                )
                validation.error = _("Choose a value from the list.")
                validation.errorTitle = str(column.header)
                validation.showErrorMessage = True
                sheet.add_data_validation(validation)
                validation.add(f"{letter}2:{letter}{TEMPLATE_ROWS + 1}")
        # The sheet to fill stays first (the import reads the first sheet); the instructions come next.
        self.instructions(workbook.create_sheet(_("Instructions"), 1))
        buffer = io.BytesIO()
        workbook.save(buffer)
        return buffer.getvalue()

    def instructions(self, sheet: Any) -> None:
        """What each column means, whether it is required and the values it takes."""
        sheet.append([_("How to fill in the sheet %(name)s") % {"name": self.sheet_title}])
        sheet["A1"].font = Font(bold=True, size=13)
        notes = [
            _("Fill one row per record under the header row; the second row is an example: replace it."),
            _("A file with any wrong row saves nothing; the report names each wrong row, column and reason."),
            _("Importing the same file again changes nothing: each row is matched to its record."),
            _(
                "An exported sheet can be edited and imported again: its record number column matches each "
                "row to its record; masked cells (with *) are left as they are."
            ),
        ]
        for note in notes:
            sheet.append([note])
        sheet.append([])
        sheet.append([_("Column"), _("Required"), _("What it holds"), _("Allowed values")])
        for cell in sheet[sheet.max_row]:
            cell.font = Font(bold=True)
        dates = _("A date: 2022-03-01, 2022/3/1, 2022.3.1, 2022年3月1日 or an Excel date.")
        for column in self.columns:
            labels = self.choice_labels(column)
            allowed = "、".join(labels) if labels else (dates if column.date else "")
            if column.text:
                allowed = " ".join(
                    filter(None, [allowed, _("Formatted as text, so that Excel keeps every digit.")])
                )
            sheet.append(
                [
                    str(column.header),
                    _("Required") if column.required else _("Optional"),
                    str(column.help),
                    allowed,
                ]
            )
        for letter, width in zip("ABCD", (28, 10, 60, 60), strict=True):
            sheet.column_dimensions[letter].width = width
        for row in sheet.iter_rows(min_row=2):
            for cell in row:
                cell.alignment = Alignment(wrap_text=True, vertical="top")

    def header_map(self, header_row: tuple[Any, ...]) -> dict[str, int]:
        """Column key → index, by header text in Chinese or English (the "(optional)" suffix is ignored)."""
        names: dict[str, str] = {}
        for column in self.columns:
            for language in ("zh-hans", "en"):
                with translation.override(language):
                    names[str(column.header).strip().lower()] = column.key
        mapping: dict[str, int] = {}
        for index, raw in enumerate(header_row):
            text = str(raw or "").strip().lower()
            for suffix in ("（可选）", " (optional)", "(optional)"):
                text = text.removesuffix(suffix)
            key = names.get(text.strip())
            if key:
                mapping[key] = index
        return mapping

    def read(self, data: bytes) -> tuple[dict[str, int], list[Row]]:
        """The header mapping and the non-empty rows. A file over the limits is refused before its rows are
        parsed (``xlsx_guard``); a sheet that does not declare its size, at the first row past the limit."""
        xlsx_guard(data)
        try:
            workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds for a file that is not .xlsx
            raise ImportFileError(_("This is not an Excel (.xlsx) file.")) from exc
        rows = workbook.worksheets[0].iter_rows(values_only=True)
        header = next(rows, None)
        if header is None:
            raise ImportFileError(_("The sheet is empty."))
        mapping = self.header_map(header)
        missing = [str(c.header) for c in self.columns if c.required and c.key not in mapping]
        if missing:
            raise ImportFileError(
                _("These columns are missing: %(names)s. Start from the template.")
                % {"names": "、".join(missing)}
            )
        body: list[Row] = []
        for number, values in enumerate(rows, start=2):
            if any(v not in (None, "") for v in values):
                body.append((number, values))
                if len(body) > MAX_ROWS:
                    raise ImportFileError(_("At most %(n)d rows in one file.") % {"n": MAX_ROWS})
        return mapping, body

    def cells(
        self, number: int, values: tuple[Any, ...], mapping: dict[str, int]
    ) -> tuple[dict[str, Any], list[RowError]]:
        """Each present cell of a row (strings stripped); errors for the required ones left empty."""
        present: dict[str, Any] = {}
        errors: list[RowError] = []
        for column in self.columns:
            index = mapping.get(column.key)
            value = values[index] if index is not None and index < len(values) else None
            value = value.strip() if isinstance(value, str) else value
            if value in (None, ""):
                if column.required:
                    errors.append(RowError(number, str(column.header), _("This column is required.")))
                continue
            present[column.key] = value
        return present, errors

    def run(
        self,
        *,
        data: bytes,
        actor: User,
        progress: ProgressCallback | None = None,
        still_running: Callable[[], None] | None = None,
        save_progress: ProgressCallback | None = None,
    ) -> ImportResult:
        """Read, check, and save all rows in one transaction. ``still_running`` is called inside that
        transaction before it commits (the background job checks it was not given up meanwhile; it raises
        to roll everything back). ``progress`` reports the check (the first half); ``save_progress`` (default
        ``progress``) the save, from inside the transaction, so the job keeps it where readers see it before
        the commit (the cache)."""
        save_progress = save_progress or progress

        mapping, body = self.read(data)
        result = ImportResult(rows=len(body))
        rows, errors = self.check(mapping, body, progress, actor=actor)
        result.errors.extend(errors)
        if progress:
            progress(len(body), len(body) * 2)
        if result.errors:
            return result
        self._rows, self._save_progress = len(body), save_progress
        with transaction.atomic():
            self.save(rows, actor=actor, result=result, digest=sm3_hex(data))
            if still_running:
                still_running()
        if progress:
            progress(len(body) * 2, len(body) * 2)
        return result

    def error_report(self, data: bytes, errors: list[RowError]) -> bytes:
        """The uploaded sheet with a first column naming what is wrong in each bad row (highlighted)."""
        _mapping, body = self.read(data)
        by_row: dict[int, list[RowError]] = {}
        for error in errors:
            by_row.setdefault(error.row, []).append(error)
        workbook = Workbook()
        sheet = workbook.active
        assert sheet is not None
        sheet.title = "errors"
        source = load_workbook(io.BytesIO(data), read_only=True, data_only=True).worksheets[0]
        header = next(source.iter_rows(values_only=True))
        sheet.append([_("Problems"), _("Row"), *[safe_cell(v) for v in header]])
        fill = PatternFill("solid", fgColor="FFF2CC")
        for number, values in body:
            problems = by_row.get(number, [])
            sheet.append(
                [
                    "；".join(f"{e.column}: {e.message}" for e in problems),
                    number,
                    *[safe_cell(v) for v in values],
                ]
            )
            if problems:
                for cell in sheet[sheet.max_row]:
                    cell.fill = fill
        buffer = io.BytesIO()
        workbook.save(buffer)
        return buffer.getvalue()


DECLARED: Declarations[SheetImporter] = Declarations("importers", "IMPORTERS")


@forgotten_with_apps
@cache
def importers() -> dict[str, SheetImporter]:
    """Every installed app's importers (``<app>/importers.py``: ``IMPORTERS = [SomeImporter()]``) by kind:
    how the background job finds the importer of its kind, in every process (a worker never loads the URL
    configuration). A kind declared twice is an error."""
    found: dict[str, SheetImporter] = {}
    for importer in DECLARED.items():
        if importer.kind in found:
            raise ValueError(f"importers.IMPORTERS: {importer.kind!r} declared twice")
        found[importer.kind] = importer
    return found


def import_start(*, importer: SheetImporter, actor: User, filename: str, data: bytes) -> Any:
    """Check the upload, keep it encrypted, and queue the import; the progress page follows the job.
    The caller has checked the actor's permission."""

    from .tasks import sheet_import_job  # noqa: PLC0415 (cycle: the tasks module runs the importers)

    if len(data) > MAX_BYTES:
        raise ValidationFailed(fields={"file": [_("The file is larger than 20 MB; split it.")]})
    if not data.startswith(XLSX_MAGIC):
        raise ValidationFailed(fields={"file": [_("This is not an Excel (.xlsx) file.")]})
    try:
        xlsx_guard(data)  # too many rows or too large unpacked: said now, on the upload page
    except ImportFileError as exc:
        raise ValidationFailed(fields={"file": [str(exc)]}) from exc
    with transaction.atomic():
        job = BackgroundJob.objects.create(
            kind=importer.kind,
            owner=actor,
            input_label=Path(filename).name[:255],
            summary={"language": translation.get_language() or ""},
        )
        job.input_name = encrypted_storage.save(f"jobs/{job.pk}/upload.xlsx", ContentFile(data))
        job.save(update_fields=["input_name"])
        audit_record(
            actor=actor,
            action=f"{importer.kind.removesuffix('_import')}.import_start",
            object_type="job",
            object_id=job.pk,
        )
        job_id = str(job.pk)
        transaction.on_commit(lambda: sheet_import_job.enqueue(job_id=job_id))
    return job
