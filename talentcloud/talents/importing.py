"""Excel import of talents (common.sheets does the reading, the report and the job).

A good file creates new talents and updates those already there, matched by the ID number's blind index,
in one transaction; the import is one audit event with counts and the file's SM3 digest.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from talentcloud.accounts.models import OrgUnit
from talentcloud.accounts.scope import scope_queryset
from talentcloud.audit.services import audit_record
from talentcloud.common.crypto import blind_index
from talentcloud.common.validators import validate_mobile, validate_resident_id
from talentcloud.enterprises.models import ClashVia, Enterprise
from talentcloud.infra.sheets import (
    MASKED,
    SAVE_PROGRESS_EVERY,
    Column,
    ImportResult,
    ProgressCallback,
    Row,
    RowError,
    SheetImporter,
    choice_lookup,
    choice_parse,
    date_parse,
    is_masked,
)

from .changes import facts_changed
from .enums import Degree, Gender, PyramidCategory
from .models import Talent, TalentClash, employer_place
from .search import talent_tokens
from .selectors import talent_reference_errors

if TYPE_CHECKING:
    from talentcloud.accounts.models import User

COLUMNS: tuple[Column, ...] = (
    Column("name", pgettext_lazy("import column", "Name"), example="王小明", help=gettext_lazy("Full name.")),
    Column(
        "gender",
        pgettext_lazy("import column", "Gender"),
        example="男",
        choices=Gender,
        help=gettext_lazy("Gender as on the ID card."),
    ),
    Column(
        "birth_date",
        pgettext_lazy("import column", "Birth date"),
        example=date(1988, 5, 17),
        date=True,
        help=gettext_lazy("Must match the birth date in the ID number."),
    ),
    Column(
        "id_number",
        pgettext_lazy("import column", "ID number"),
        example="320115198805171239",
        text=True,
        help=gettext_lazy(
            "18-character mainland resident ID number; the last character is a check digit (0–9 or X). "
            "Matches the row to a talent already on the platform."
        ),
    ),
    Column(
        "phone",
        pgettext_lazy("import column", "Mobile number"),
        required=False,
        example="13812345678",
        text=True,
        help=gettext_lazy("11-digit mainland mobile number."),
    ),
    Column(
        "highest_degree",
        pgettext_lazy("import column", "Highest degree"),
        example="博士",
        choices=Degree,
        help=gettext_lazy("The highest degree earned."),
    ),
    Column(
        "category",
        pgettext_lazy("import column", "Pyramid category"),
        example="青年人才",
        choices=PyramidCategory,
        help=gettext_lazy("The talent's place in the district's talent pyramid."),
    ),
    Column(
        "employer_code",
        pgettext_lazy("import column", "Employer's unified social credit code"),
        required=False,
        text=True,
        help=gettext_lazy(
            "The employer's 18-character unified social credit code; the enterprise must be on the platform "
            "in your area."
        ),
    ),
    Column(
        "post",
        pgettext_lazy("import column", "Post"),
        required=False,
        example="高级工程师",
        help=gettext_lazy("Job title at the employer."),
    ),
    Column(
        "residence_street",
        pgettext_lazy("import column", "Street of residence"),
        required=False,
        example="东山街道",
        help=gettext_lazy("A street of the district."),
    ),
    Column(
        "arrived_on",
        pgettext_lazy("import column", "Arrival in the district"),
        required=False,
        example=date(2021, 7, 1),
        date=True,
        help=gettext_lazy("The date the talent came to work or live in the district."),
    ),
    Column(
        "record_key",
        pgettext_lazy("import column", "Record number"),
        required=False,
        help=gettext_lazy(
            "Leave empty for a new talent. An export fills it: the row then updates that talent, found by "
            "this number instead of the ID number."
        ),
    ),
)


ID_PURPOSE = "talents.Talent.id_number"
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


class TalentImporter(SheetImporter):
    kind = "talent_import"
    sheet_title = "talents"
    columns = COLUMNS

    natural_key = "id_number"
    duplicate_message = gettext_lazy("The same ID number is already in row %(row)d.")
    title = gettext_lazy("Import talents")
    back = "talents:list"
    problems = gettext_lazy("Talent import problems")

    def identity(self, cleaned: dict[str, Any]) -> tuple[str, Any]:
        """A row of an export names its talent by the record number; a new row by its ID number."""
        record = cleaned.get("record_key")
        if record is not None:
            return "record_key", record.pk
        return "id_number", cleaned.get("id_number") or None

    def choice_labels(self, column: Column) -> list[str]:
        if column.key == "residence_street":
            return list(OrgUnit.objects.filter(kind="street").order_by("name").values_list("name", flat=True))
        return super().choice_labels(column)

    def prepare(self, mapping: dict[str, int], body: list[Row]) -> None:
        # The talents an export's rows name by record number: only those the importer may see are found.
        self.records: dict[uuid.UUID, Talent] = {}
        if "record_key" in mapping:
            at = mapping["record_key"]
            keys = {_record_number(v[at]) for _n, v in body if at < len(v)} - {None}
            records = Talent.objects.filter(pk__in=keys)
            if self.actor is not None:
                records = scope_queryset(records, self.actor)
            self.records = {t.pk: t for t in records}
        codes = set()
        if "employer_code" in mapping:
            at = mapping["employer_code"]
            codes = {str(v[at]).strip().upper() for _n, v in body if at < len(v) and v[at]}
        # Only employers the importer may name are found: a code held outside their area reads as unknown,
        # so an import tells nothing of other parks' enterprises (ADR 0010).
        employers = Enterprise.objects.filter(credit_code__in=codes, pending_merge=False)
        if self.actor is not None:
            employers = scope_queryset(employers, self.actor)
        self.employers = {e.credit_code: e for e in employers}
        self.genders = choice_lookup(Gender)
        self.degrees = choice_lookup(Degree)
        self.categories = choice_lookup(PyramidCategory)
        self.streets = {u.name: u for u in OrgUnit.objects.filter(kind="street")}

    def row_checks(self, number: int, cleaned: dict[str, Any]) -> list[RowError]:
        errors = []
        id_number = cleaned.get("id_number")
        if id_number is MASKED and cleaned.get("record_key") is None:
            message = _(
                "The ID number is masked: a new talent needs the full number, and a row of an export keeps "
                "its record number."
            )
            errors.append(RowError(number, str(self.column("id_number").header), message))
        born = cleaned.get("birth_date")
        if born and id_number and id_number[6:14] != born.strftime("%Y%m%d"):
            message = _("The birth date differs from the one in the ID number.")
            errors.append(RowError(number, str(self.column("birth_date").header), message))
        # The employer and street a row names must be ones the importer may set (the edit's own check).
        references = {
            "employer": cleaned.get("employer_code"),
            "residence_street": cleaned.get("residence_street"),
        }
        refused = talent_reference_errors(
            actor=self.checked_for(), values=references, talent=cleaned.get("record_key")
        )
        for field, messages in refused.items():
            column = "employer_code" if field == "employer" else field
            errors.append(RowError(number, str(self.column(column).header), " ".join(map(str, messages))))
        return errors

    def check(
        self,
        mapping: dict[str, int],
        body: list[Row],
        progress: ProgressCallback | None = None,
        *,
        actor: User | None = None,
    ) -> tuple[list[dict[str, Any]], list[RowError]]:
        """The shared checks, then: a row of an export that changes its talent's ID number must not take a
        number another talent holds."""
        rows, errors = super().check(mapping, body, progress, actor=actor)
        changing = {}
        for (number, _values), row in zip(body, rows, strict=True):
            record, id_number = row.get("record_key"), row.get("id_number")
            if record is not None and id_number and id_number != record.id_number:
                changing[blind_index(id_number, purpose=ID_PURPOSE)] = number
        if changing:
            taken = Talent.objects.filter(id_number_index__in=list(changing)).values_list(
                "id_number_index", flat=True
            )
            header = str(self.column("id_number").header)
            message = _("Another talent already has this ID number.")
            errors += [RowError(changing[index], header, message) for index in taken]
        return rows, errors

    def parse(self, key: str, raw: Any) -> Any:
        text = str(raw).strip()
        if key in ("id_number", "phone") and is_masked(text):
            return MASKED  # a masked export's cell: left as it is, never written back
        if key == "record_key":
            number = _record_number(raw)
            record = self.records.get(number) if number else None
            if record is None:
                raise ValidationError(_("No talent with this record number is in your area."))
            return record
        if key == "name":
            if len(text) > 100:
                raise ValidationError(_("At most 100 characters."))
            return text
        if key == "gender":
            return choice_parse(self.genders, text)
        if key in ("highest_degree", "category"):
            return choice_parse(self.degrees if key == "highest_degree" else self.categories, text)
        if key in ("birth_date", "arrived_on"):
            return date_parse(raw)
        if key == "id_number":
            return validate_resident_id(text)
        if key == "phone":
            return validate_mobile(text)
        if key == "employer_code":
            employer = self.employers.get(text.upper())
            if employer is None:
                raise ValidationError(
                    _("No enterprise with this credit code is on the platform in your area.")
                )
            return employer
        if key == "residence_street":
            street = self.streets.get(text)
            if street is None:
                raise ValidationError(_("Not a street of the district: %(name)s.") % {"name": text})
            return street
        if key == "post":
            return text[:100]
        raise KeyError(key)

    def save(self, rows: list[dict[str, Any]], *, actor: User, result: ImportResult, digest: str) -> None:
        purpose = ID_PURPOSE
        keyed = [r for r in rows if r.get("record_key") is not None]
        indexes = {
            blind_index(r["id_number"], purpose=purpose): r for r in rows if r.get("record_key") is None
        }
        locked = Talent.objects.select_for_update().filter(
            id_number_index__in=list(indexes), pending_merge=False
        )
        # A number held by a talent outside the importer's scope is imported like a new one and kept
        # pending the office's merge (ADR 0010); only what the importer may see is updated.
        held = list(locked)
        mine = Talent.objects.filter(pk__in=[h.pk for h in held])
        seen = set(scope_queryset(mine, actor).values_list("pk", flat=True))
        existing = {t.id_number_index: t for t in held if t.pk in seen}
        elsewhere = {t.id_number_index: t for t in held if t.pk not in seen}
        # Rows of an export update the talent they name (checked in the importer's scope), locked afresh.
        by_key = Talent.objects.select_for_update().in_bulk([r["record_key"].pk for r in keyed])
        work = [(existing.get(index), row) for index, row in indexes.items()]
        work += [(by_key.get(row["record_key"].pk), row) for row in keyed]
        to_create, to_update = [], []
        for done, (talent, row) in enumerate(work, start=1):
            if done % SAVE_PROGRESS_EVERY == 0:
                self.saving(done)
            wanted = {
                **{k: row.get(k, "" if k in ("phone", "post") else None) for k in FIELDS},
                "employer": row.get("employer_code"),
                "residence_street": row.get("residence_street"),
            }
            # A masked cell is left as it is: only an unmasked export can change an ID or a phone number.
            wanted = {k: v for k, v in wanted.items() if v is not MASKED}
            if talent is None:
                if row.get("record_key") is not None:
                    raise Talent.DoesNotExist  # removed since the check: roll the whole file back
                index = blind_index(row["id_number"], purpose=purpose)
                to_create.append(Talent(**wanted, pending_merge=index in elsewhere))
                continue
            changed = False
            for key, value in wanted.items():
                if getattr(talent, key) != value:
                    setattr(talent, key, value)
                    changed = True
            if changed:
                talent.search_tokens = talent_tokens(talent)  # bulk_update does not run pre_save
                talent.employer_park_id = employer_place(talent, "park")  # nor the scope keys
                talent.employer_street_id = employer_place(talent, "street")
                talent.id_number_index = blind_index(talent.id_number, purpose=purpose)
                to_update.append(talent)
            else:
                result.unchanged += 1
        Talent.objects.bulk_create(to_create, batch_size=2000)
        TalentClash.objects.bulk_create(
            TalentClash(new=t, existing=elsewhere[t.id_number_index], via=ClashVia.IMPORT, raised_by=actor)
            for t in to_create
            if t.pending_merge
        )
        if to_update:
            Talent.objects.bulk_update(
                to_update,
                [
                    *FIELDS,
                    "id_number_index",
                    "employer",
                    "employer_park",
                    "employer_street",
                    "residence_street",
                    "search_tokens",
                ],
                batch_size=2000,
            )
        # New talents are numbered and swept by the next sweep; changed ones are re-evaluated now.
        facts_changed([t.pk for t in to_update])
        self.saving(len(work))
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
                "pending_merge": sum(1 for t in to_create if t.pending_merge),
                "sm3": digest,
            },
        )


def _record_number(value: Any) -> uuid.UUID | None:
    """A record number as an export writes it (the talent's id), or None."""
    try:
        return uuid.UUID(str(value).strip())
    except ValueError:
        return None
