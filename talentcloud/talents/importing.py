"""Excel import of talents: every row validated, all or nothing, re-importing adds nothing.

A file with any bad row saves nothing and yields a report (row, column, message) on screen and as .xlsx.
A good file creates new talents and updates those already there, matched by the ID number's blind index,
in one transaction; the import is one audit event with counts and the file's SM3 digest.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill

from talentcloud.accounts.models import OrgUnit
from talentcloud.audit.services import audit_record
from talentcloud.common.excel import safe_cell
from talentcloud.common.validators import validate_mobile, validate_resident_id
from talentcloud.enterprises.models import Enterprise
from talentcloud.privacy.crypto import blind_index, sm3_hex

from .enums import Degree, Gender, PyramidCategory
from .models import Talent
from .search import talent_tokens

MAX_ROWS = 100_000
ProgressCallback = Callable[[int, int], None]


class ImportFileError(Exception):
    """The file as a whole cannot be read (not .xlsx, no header row, too many rows)."""


@dataclass(frozen=True)
class Column:
    key: str
    header: Any  # lazy translation: the template speaks the user's language, the import accepts both
    required: bool = True
    example: str = ""


COLUMNS: tuple[Column, ...] = (
    Column("name", pgettext_lazy("import column", "Name"), example="王小明"),
    Column("gender", pgettext_lazy("import column", "Gender"), example="男"),
    Column("birth_date", pgettext_lazy("import column", "Birth date"), example="1988-05-17"),
    Column("id_number", pgettext_lazy("import column", "ID number"), example="32011519880517123X"),
    Column("phone", pgettext_lazy("import column", "Mobile number"), required=False, example="13812345678"),
    Column("highest_degree", pgettext_lazy("import column", "Highest degree"), example="博士"),
    Column("category", pgettext_lazy("import column", "Pyramid category"), example="青年人才"),
    Column(
        "employer_code",
        pgettext_lazy("import column", "Employer's unified social credit code"),
        required=False,
    ),
    Column("post", pgettext_lazy("import column", "Post"), required=False, example="高级工程师"),
    Column(
        "residence_street",
        pgettext_lazy("import column", "Street of residence"),
        required=False,
        example="东山街道",
    ),
    Column(
        "arrived_on",
        pgettext_lazy("import column", "Arrival in the district"),
        required=False,
        example="2021-07-01",
    ),
)


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


def _choice_lookup(choices: type[Any]) -> dict[str, str]:
    """Accept the code, the Chinese label and the English label of each choice."""
    from django.utils import translation

    lookup: dict[str, str] = {}
    for value, label in choices.choices:
        lookup[str(value).lower()] = value
        for language in ("zh-hans", "en"):
            with translation.override(language):
                lookup[str(label).strip().lower()] = value
    return lookup


def _parse_date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip().replace("/", "-").replace(".", "-")
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValidationError(_("Write the date as YYYY-MM-DD, for example 1988-05-17.")) from None


def template_workbook() -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "talents"
    sheet.append([str(c.header) + ("" if c.required else _(" (optional)")) for c in COLUMNS])
    sheet.append([c.example for c in COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _header_map(header_row: tuple[Any, ...]) -> dict[str, int]:
    """Column key → index, by header text in Chinese or English (the "(optional)" suffix is ignored)."""
    from django.utils import translation

    names: dict[str, str] = {}
    for column in COLUMNS:
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


def read_rows(data: bytes) -> tuple[dict[str, int], list[tuple[int, tuple[Any, ...]]]]:
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not .xlsx
        raise ImportFileError(_("This is not an Excel (.xlsx) file.")) from exc
    sheet = workbook.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header = next(rows, None)
    if header is None:
        raise ImportFileError(_("The sheet is empty."))
    mapping = _header_map(header)
    missing = [str(c.header) for c in COLUMNS if c.required and c.key not in mapping]
    if missing:
        raise ImportFileError(
            _("These columns are missing: %(names)s. Start from the template.")
            % {"names": "、".join(missing)}
        )
    body = [
        (number, values)
        for number, values in enumerate(rows, start=2)
        if any(v not in (None, "") for v in values)
    ]
    if len(body) > MAX_ROWS:
        raise ImportFileError(_("At most %(n)d rows in one file.") % {"n": MAX_ROWS})
    return mapping, body


class _Validator:
    def __init__(self) -> None:
        self.genders = _choice_lookup(Gender)
        self.degrees = _choice_lookup(Degree)
        self.categories = _choice_lookup(PyramidCategory)
        self.streets = {u.name: u for u in OrgUnit.objects.filter(kind="street")}
        self.seen_ids: dict[str, int] = {}

    def row(
        self, number: int, values: tuple[Any, ...], mapping: dict[str, int], employers: dict[str, Enterprise]
    ) -> tuple[dict[str, Any], list[RowError]]:
        cleaned: dict[str, Any] = {}
        errors: list[RowError] = []

        def cell(key: str) -> Any:
            index = mapping.get(key)
            value = values[index] if index is not None and index < len(values) else None
            return value.strip() if isinstance(value, str) else value

        for column in COLUMNS:
            raw = cell(column.key)
            header = str(column.header)
            if raw in (None, ""):
                if column.required:
                    errors.append(RowError(number, header, _("This column is required.")))
                continue
            try:
                cleaned[column.key] = self.parse(column.key, raw, employers)
            except ValidationError as exc:
                errors.append(RowError(number, header, " ".join(str(m) for m in exc.messages)))
        id_number = cleaned.get("id_number")
        if id_number:
            first = self.seen_ids.setdefault(id_number, number)
            if first != number:
                errors.append(
                    RowError(
                        number,
                        str(COLUMNS[3].header),
                        _("The same ID number is already in row %(row)d.") % {"row": first},
                    )
                )
            born = cleaned.get("birth_date")
            if born and id_number[6:14] != born.strftime("%Y%m%d"):
                errors.append(
                    RowError(
                        number,
                        str(COLUMNS[2].header),
                        _("The birth date differs from the one in the ID number."),
                    )
                )
        return cleaned, errors

    def parse(self, key: str, raw: Any, employers: dict[str, Enterprise]) -> Any:
        text = str(raw).strip()
        if key == "name":
            if len(text) > 100:
                raise ValidationError(_("At most 100 characters."))
            return text
        if key == "gender":
            return self._choice(self.genders, text)
        if key in ("highest_degree", "category"):
            return self._choice(self.degrees if key == "highest_degree" else self.categories, text)
        if key in ("birth_date", "arrived_on"):
            return _parse_date(raw)
        if key == "id_number":
            return validate_resident_id(text)
        if key == "phone":
            return validate_mobile(text)
        if key == "employer_code":
            employer = employers.get(text.upper())
            if employer is None:
                raise ValidationError(_("No enterprise with this credit code is on the platform."))
            return employer
        if key == "residence_street":
            street = self.streets.get(text)
            if street is None:
                raise ValidationError(_("Not a street of the district: %(name)s.") % {"name": text})
            return street
        if key == "post":
            return text[:100]
        raise KeyError(key)

    @staticmethod
    def _choice(lookup: dict[str, str], text: str) -> str:
        value = lookup.get(text.lower())
        if value is None:
            labels = sorted({k for k in lookup if not k.isascii()})
            raise ValidationError(_("Not one of: %(labels)s.") % {"labels": "、".join(labels)})
        return value


FIELDS = (
    "name",
    "gender",
    "birth_date",
    "id_number",
    "phone",
    "highest_degree",
    "category",
    "post",
    "arrived_on",
)


def import_talents(*, data: bytes, actor: Any, progress: ProgressCallback | None = None) -> ImportResult:
    mapping, body = read_rows(data)
    result = ImportResult(rows=len(body))
    codes = set()
    if "employer_code" in mapping:
        codes = {
            str(v[mapping["employer_code"]]).strip().upper()
            for _n, v in body
            if mapping["employer_code"] < len(v) and v[mapping["employer_code"]]
        }
    employers = {e.credit_code: e for e in Enterprise.objects.filter(credit_code__in=codes)}
    validator = _Validator()
    cleaned_rows: list[dict[str, Any]] = []
    for position, (number, values) in enumerate(body, start=1):
        cleaned, errors = validator.row(number, values, mapping, employers)
        result.errors.extend(errors)
        cleaned_rows.append(cleaned)
        if progress and position % 500 == 0:
            progress(position, len(body) * 2)
    if result.errors:
        return result
    purpose = "talents.Talent.id_number"
    indexes = {blind_index(r["id_number"], purpose=purpose): r for r in cleaned_rows}
    with transaction.atomic():
        existing = {
            t.id_number_index: t
            for t in Talent.objects.select_for_update().filter(id_number_index__in=list(indexes))
        }
        to_create, to_update = [], []
        for index, row in indexes.items():
            talent = existing.get(index)
            wanted = {
                **{k: row.get(k, "" if k in ("phone", "post") else None) for k in FIELDS},
                "employer": row.get("employer"),
                "residence_street": row.get("residence_street"),
            }
            if talent is None:
                to_create.append(Talent(**wanted))
                continue
            changed = False
            for key, value in wanted.items():
                if getattr(talent, key) != value:
                    setattr(talent, key, value)
                    changed = True
            if changed:
                talent.search_tokens = talent_tokens(talent)  # bulk_update does not run pre_save
                to_update.append(talent)
            else:
                result.unchanged += 1
        Talent.objects.bulk_create(to_create, batch_size=2000)
        if to_update:
            Talent.objects.bulk_update(
                to_update, [*FIELDS, "employer", "residence_street", "search_tokens"], batch_size=2000
            )
        result.created, result.updated = len(to_create), len(to_update)
        audit_record(
            actor=actor,
            action="talent.import",
            object_type="talent",
            details={
                "rows": result.rows,
                "created": result.created,
                "updated": result.updated,
                "unchanged": result.unchanged,
                "sm3": sm3_hex(data),
            },
        )
    if progress:
        progress(len(body) * 2, len(body) * 2)
    return result


def error_report(data: bytes, errors: list[RowError]) -> bytes:
    """The uploaded sheet with a first column naming what is wrong in each bad row, bad rows highlighted."""
    _mapping, body = read_rows(data)
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
            ["；".join(f"{e.column}: {e.message}" for e in problems), number, *[safe_cell(v) for v in values]]
        )
        if problems:
            for cell in sheet[sheet.max_row]:
                cell.fill = fill
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def iter_errors(result: ImportResult, limit: int = 200) -> Iterator[RowError]:
    yield from result.errors[:limit]
