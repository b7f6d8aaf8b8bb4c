"""Excel import of talents (common.sheets does the reading, the report and the job).

A good file creates new talents and updates those already there, matched by the ID number's blind index,
in one transaction; the import is one audit event with counts and the file's SM3 digest.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from talentcloud.accounts.models import OrgUnit
from talentcloud.accounts.scope import scope_queryset
from talentcloud.audit.services import audit_record
from talentcloud.common.sheets import (
    Column,
    ImportResult,
    Row,
    RowError,
    SheetImporter,
    choice_lookup,
    choice_parse,
    date_parse,
    importer_register,
)
from talentcloud.common.validators import validate_mobile, validate_resident_id
from talentcloud.enterprises.models import ClashVia, Enterprise
from talentcloud.privacy.crypto import blind_index

from .archive import talent_reference_errors
from .enums import Degree, Gender, PyramidCategory
from .models import Talent, TalentClash
from .search import talent_tokens

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


@importer_register
class TalentImporter(SheetImporter):
    kind = "talent_import"
    sheet_title = "talents"
    columns = COLUMNS

    natural_key = "id_number"
    duplicate_message = gettext_lazy("The same ID number is already in row %(row)d.")

    def prepare(self, mapping: dict[str, int], body: list[Row]) -> None:
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
        born = cleaned.get("birth_date")
        if born and cleaned["id_number"][6:14] != born.strftime("%Y%m%d"):
            message = _("The birth date differs from the one in the ID number.")
            errors.append(RowError(number, str(self.column("birth_date").header), message))
        # The employer and street a row names must be ones the importer may set (the edit's own check).
        references = {
            "employer": cleaned.get("employer_code"),
            "residence_street": cleaned.get("residence_street"),
        }
        refused = talent_reference_errors(actor=self.actor, values=references)
        for field, messages in refused.items():
            column = "employer_code" if field == "employer" else field
            errors.append(RowError(number, str(self.column(column).header), " ".join(map(str, messages))))
        return errors

    def parse(self, key: str, raw: Any) -> Any:
        text = str(raw).strip()
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

    def save(self, rows: list[dict[str, Any]], *, actor: Any, result: ImportResult, digest: str) -> None:
        purpose = ID_PURPOSE
        indexes = {blind_index(r["id_number"], purpose=purpose): r for r in rows}
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
        to_create, to_update = [], []
        for index, row in indexes.items():
            talent = existing.get(index)
            wanted = {
                **{k: row.get(k, "" if k in ("phone", "post") else None) for k in FIELDS},
                "employer": row.get("employer_code"),
                "residence_street": row.get("residence_street"),
            }
            if talent is None:
                to_create.append(Talent(**wanted, pending_merge=index in elsewhere))
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
        TalentClash.objects.bulk_create(
            TalentClash(new=t, existing=elsewhere[t.id_number_index], via=ClashVia.IMPORT, raised_by=actor)
            for t in to_create
            if t.pending_merge
        )
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
                "pending_merge": sum(1 for t in to_create if t.pending_merge),
                "sm3": digest,
            },
        )
