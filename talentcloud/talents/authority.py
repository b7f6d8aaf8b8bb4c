"""Facts from authoritative systems (social insurance, property, degree records): the adapter interface and
the file adapter that works today (.xlsx or .csv exported by those systems).

An adapter yields ``AuthorityFact`` rows; ``facts_import`` checks them all (any bad row: nothing saved),
then records each as a verified ``FactRecord`` with source "authoritative system" and applies the value to
the talent found by the ID number's blind index. Rows for unknown people are counted, not errors.
A live connection to a provincial system is another class with the same ``facts()`` method.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, Protocol

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from talentcloud.audit.services import audit_record
from talentcloud.common.crypto import blind_index
from talentcloud.common.validators import validate_resident_id
from talentcloud.infra.sheets import choice_lookup, date_parse

from .changes import facts_changed
from .enums import Degree, FactSource
from .models import FactRecord, Talent, month_text
from .services.archive import _apply
from .services.insurance import merge_run, parse_run
from .values import _json

if TYPE_CHECKING:
    from talentcloud.accounts.models import User

AUTHORITY_KEYS = (
    "highest_degree",
    "graduated_on",
    "social_insurance_since",
    "owns_home_in_city",
    # a run of months paid in the district: 2024-01~2025-06, or 2024-01~ (still paid)
    "social_insurance_months",
)
HEADERS = {
    "id_number": ("id_number", "证件号码", "身份证号码"),
    "key": ("fact", "事项"),
    "value": ("value", "值"),
    "as_of": ("as_of", "截至日期", "日期"),
}


@dataclass(frozen=True)
class AuthorityFact:
    row: int
    id_number: str
    key: str
    value: str
    as_of: str | date


class FactAdapter(Protocol):
    source_name: str

    def facts(self) -> Iterable[AuthorityFact]: ...


class FileFactAdapter:
    """Reads a sheet or CSV with the columns 证件号码 / 事项 / 值 / 截至日期 (or their English names)."""

    def __init__(self, *, data: bytes, filename: str, source_name: str):
        self.data, self.filename, self.source_name = data, filename, source_name

    def _rows(self) -> Iterator[list[Any]]:
        if self.filename.lower().endswith(".csv"):
            yield from csv.reader(io.StringIO(self.data.decode("utf-8-sig")))
        else:
            sheet = load_workbook(io.BytesIO(self.data), read_only=True, data_only=True).worksheets[0]
            for values in sheet.iter_rows(values_only=True):
                yield list(values)

    def facts(self) -> Iterator[AuthorityFact]:
        rows = self._rows()
        header = [str(h or "").strip().lower() for h in next(rows, [])]
        index = {}
        for key, names in HEADERS.items():
            for i, name in enumerate(header):
                if name in names:
                    index[key] = i
        missing = [names[1] for key, names in HEADERS.items() if key not in index]
        if missing:
            raise ValidationError(_("These columns are missing: %(names)s.") % {"names": "、".join(missing)})
        for number, values in enumerate(rows, start=2):
            if not any(v not in (None, "") for v in values):
                continue
            cell = {
                key: str(values[i] if i < len(values) and values[i] is not None else "").strip()
                for key, i in index.items()
            }
            raw_as_of = values[index["as_of"]] if index["as_of"] < len(values) else ""
            yield AuthorityFact(
                number,
                cell["id_number"],
                cell["key"],
                cell["value"],
                raw_as_of if isinstance(raw_as_of, date) else cell["as_of"],
            )


@dataclass
class FactImportReport:
    rows: int = 0
    applied: int = 0
    unknown_people: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)


def _value(key: str, raw: str) -> Any:
    if key == "highest_degree":
        value = choice_lookup(Degree).get(raw.lower())
        if value is None:
            raise ValidationError(_("Not a degree: %(value)s.") % {"value": raw})
        return value
    if key == "social_insurance_months":
        return parse_run(raw)
    if key in ("graduated_on", "social_insurance_since"):
        return date_parse(raw)
    if key == "owns_home_in_city":
        truth = {
            "是": True,
            "有": True,
            "yes": True,
            "true": True,
            "1": True,
            "否": False,
            "无": False,
            "no": False,
            "false": False,
            "0": False,
        }
        if raw.lower() not in truth:
            raise ValidationError(_("Write 是 or 否."))
        return truth[raw.lower()]
    raise ValidationError(_("Unknown fact: %(key)s.") % {"key": key})


def facts_import(*, adapter: FactAdapter, actor: User | None = None) -> FactImportReport:
    report = FactImportReport()
    checked: list[tuple[str, str, Any, date]] = []
    for fact in adapter.facts():
        report.rows += 1
        try:
            id_number = validate_resident_id(fact.id_number)
            key = fact.key if fact.key in AUTHORITY_KEYS else ""
            if not key:
                raise ValidationError(_("Unknown fact: %(key)s.") % {"key": fact.key})
            checked.append((id_number, key, _value(key, fact.value), date_parse(fact.as_of)))
        except ValidationError as exc:
            report.errors.append((fact.row, " ".join(exc.messages)))
    if report.errors:
        return report
    purpose = "talents.Talent.id_number"
    with transaction.atomic():
        talents = {
            t.id_number_index: t
            # A record pending the office's merge does not hold its number (ADR 0010): facts go to the holder.
            for t in Talent.objects.select_for_update().filter(
                id_number_index__in=[blind_index(i, purpose=purpose) for i, _k, _v, _d in checked],
                pending_merge=False,
            )
        }
        touched: list[Any] = []
        for id_number, key, value, as_of in checked:
            talent = talents.get(blind_index(id_number, purpose=purpose))
            if talent is None:
                report.unknown_people += 1
                continue
            if key == "social_insurance_months":  # runs of months, merged (``services.insurance``)
                first, last = value
                FactRecord.objects.create(
                    talent=talent,
                    key=key,
                    value=f"{month_text(first)}~{month_text(last) if last is not None else ''}",
                    source=FactSource.AUTHORITY,
                    as_of=as_of,
                    verified=True,
                    reviewed_at=timezone.now(),
                )
                merge_run(talent, first, last, source=FactSource.AUTHORITY, actor=actor)
                report.applied += 1
                continue
            FactRecord.objects.create(
                talent=talent,
                key=key,
                value=_json(value),
                source=FactSource.AUTHORITY,
                as_of=as_of,
                verified=True,
                reviewed_at=timezone.now(),
            )
            _apply(talent, {key: value}, actor=actor, via=f"authority:{adapter.source_name}")
            report.applied += 1
            touched.append(talent.pk)
        facts_changed(touched)
        audit_record(
            actor=actor,
            actor_username="console" if actor is None else "",
            action="facts.import",
            details={
                "source": adapter.source_name,
                "rows": report.rows,
                "applied": report.applied,
                "unknown": report.unknown_people,
            },
        )
    return report
