"""Excel import of enterprises (common.sheets does the reading, the report and the job).

Enterprises are matched by their unified social credit code: a new code creates an enterprise, a known one
updates it (each changed field goes to its history), an identical row changes nothing.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from talentcloud.accounts.models import OrgUnit
from talentcloud.accounts.scope import scope_queryset
from talentcloud.audit.services import audit_record
from talentcloud.common.validators import validate_credit_code
from talentcloud.infra.sheets import (
    SAVE_PROGRESS_EVERY,
    Column,
    ImportResult,
    Row,
    RowError,
    SheetImporter,
    date_parse,
)

from .changes import enterprises_changed
from .models import ClashVia, Enterprise, EnterpriseChange, EnterpriseClash, IndustryChain
from .services import EDIT_FIELDS, enterprise_place_errors, requests_attach, shown_value

if TYPE_CHECKING:
    from talentcloud.accounts.models import User

COLUMNS: tuple[Column, ...] = (
    Column(
        "name",
        pgettext_lazy("import column", "Enterprise name"),
        example="南京示例智能科技有限公司",
        help=gettext_lazy("The registered name, as on the business licence."),
    ),
    Column(
        "credit_code",
        pgettext_lazy("import column", "Unified social credit code"),
        example="91320115MA1Y2X3W52",
        text=True,
        help=gettext_lazy(
            "18 characters, as on the business licence; the last is a check character. Matches the row to "
            "an enterprise already on the platform."
        ),
    ),
    Column(
        "street",
        pgettext_lazy("import column", "Street"),
        example="秣陵街道",
        help=gettext_lazy("The street where the enterprise is registered."),
    ),
    Column(
        "park",
        pgettext_lazy("import column", "Park"),
        required=False,
        example="江宁经济技术开发区",
        help=gettext_lazy("The park, if the enterprise is in one."),
    ),
    Column(
        "chain",
        pgettext_lazy("import column", "Industry chain"),
        required=False,
        example="人工智能",
        help=gettext_lazy("The industry chain the enterprise belongs to."),
    ),
    Column(
        "founded_on",
        pgettext_lazy("import column", "Founded on"),
        required=False,
        example=date(2019, 3, 1),
        date=True,
        help=gettext_lazy("The date of establishment on the business licence."),
    ),
    Column(
        "address",
        pgettext_lazy("import column", "Address"),
        required=False,
        example="秣陵街道胜太路 88 号",
        help=gettext_lazy("The business address."),
    ),
    Column(
        "tags",
        pgettext_lazy("import column", "Tags"),
        required=False,
        example="高新技术企业、瞪羚企业",
        help=gettext_lazy("Labels, separated by 、 or commas."),
    ),
)


class EnterpriseImporter(SheetImporter):
    kind = "enterprise_import"
    sheet_title = "enterprises"
    columns = COLUMNS

    natural_key = "credit_code"
    duplicate_message = gettext_lazy("The same credit code is already in row %(row)d.")
    title = gettext_lazy("Import enterprises")
    back = "enterprises:list"
    problems = gettext_lazy("Enterprise import problems")

    def choice_labels(self, column: Column) -> list[str]:
        if column.key in ("street", "park"):
            units = OrgUnit.objects.filter(kind=column.key).order_by("name")
            return list(units.values_list("name", flat=True))
        if column.key == "chain":
            return [str(chain) for chain in IndustryChain.objects.order_by("code")]
        return super().choice_labels(column)

    def prepare(self, mapping: dict[str, int], body: list[Row]) -> None:
        self.units = {(u.kind, u.name): u for u in OrgUnit.objects.filter(kind__in=("park", "street"))}
        self.chains: dict[str, IndustryChain] = {}
        for chain in IndustryChain.objects.all():
            for key in (chain.code, chain.name, chain.name_en):
                if key:
                    self.chains[key.lower()] = chain

    def row_checks(self, number: int, cleaned: dict[str, Any]) -> list[RowError]:
        """The park and street a row names must be ones the importer may give an enterprise (the same
        check as registering one on the page)."""
        if "street" not in cleaned:
            return []  # the street's own problem is named already
        refused = enterprise_place_errors(actor=self.checked_for(), values=cleaned)
        return [
            RowError(number, str(self.column(field).header), " ".join(map(str, messages)))
            for field, messages in refused.items()
        ]

    def parse(self, key: str, raw: Any) -> Any:
        text = str(raw).strip()
        if key == "name":
            if len(text) > 200:
                raise ValidationError(_("At most 200 characters."))
            return text
        if key == "credit_code":
            return validate_credit_code(text)
        if key in ("street", "park"):
            unit = self.units.get((key, text))
            if unit is None:
                if key == "street":
                    raise ValidationError(_("Not a street of the district: %(name)s.") % {"name": text})
                raise ValidationError(_("Not a park of the district: %(name)s.") % {"name": text})
            return unit
        if key == "chain":
            chain = self.chains.get(text.lower())
            if chain is None:
                names = "、".join(c.name for c in IndustryChain.objects.all())
                raise ValidationError(_("Not one of: %(labels)s.") % {"labels": names})
            return chain
        if key == "founded_on":
            return date_parse(raw)
        if key == "address":
            if len(text) > 200:
                raise ValidationError(_("At most 200 characters."))
            return text
        if key == "tags":
            return [t.strip() for t in text.replace("，", "、").replace(",", "、").split("、") if t.strip()]
        raise KeyError(key)

    def save(self, rows: list[dict[str, Any]], *, actor: User, result: ImportResult, digest: str) -> None:
        by_code = {row["credit_code"]: row for row in rows}
        locked = Enterprise.objects.select_for_update().filter(
            credit_code__in=list(by_code), pending_merge=False
        )
        # A code held by an enterprise outside the importer's scope is imported like a new one and kept
        # pending the office's merge (ADR 0010); only what the importer may see is updated.
        held = list(locked)
        mine = Enterprise.objects.filter(pk__in=[h.pk for h in held])
        seen = set(scope_queryset(mine, actor).values_list("pk", flat=True))
        existing = {e.credit_code: e for e in held if e.pk in seen}
        elsewhere = {e.credit_code: e for e in held if e.pk not in seen}
        to_create: list[Enterprise] = []
        to_update: list[Enterprise] = []
        history: list[EnterpriseChange] = []
        fields_changed: set[str] = set()
        for done, (code, row) in enumerate(by_code.items(), start=1):
            if done % SAVE_PROGRESS_EVERY == 0:
                self.saving(done)
            wanted = {
                name: row.get(name, "" if name == "address" else [] if name == "tags" else None)
                for name in EDIT_FIELDS
            }
            enterprise = existing.get(code)
            if enterprise is None:
                to_create.append(Enterprise(**wanted, pending_merge=code in elsewhere))
                continue
            changed = [name for name, value in wanted.items() if getattr(enterprise, name) != value]
            for name in changed:
                history.append(
                    EnterpriseChange(
                        enterprise=enterprise,
                        actor=actor,
                        via="import",
                        field=name,
                        before=shown_value(getattr(enterprise, name)),
                        after=shown_value(wanted[name]),
                    )
                )
                setattr(enterprise, name, wanted[name])
            if changed:
                to_update.append(enterprise)
                fields_changed.update(changed)
            else:
                result.unchanged += 1
        Enterprise.objects.bulk_create(to_create, batch_size=2000)
        EnterpriseClash.objects.bulk_create(
            EnterpriseClash(new=e, existing=elsewhere[e.credit_code], via=ClashVia.IMPORT, raised_by=actor)
            for e in to_create
            if e.pending_merge
        )
        requests_attach(to_create)
        history += [
            EnterpriseChange(enterprise=e, actor=actor, via="import", field="name", after=e.name)
            for e in to_create
        ]
        if to_update:
            Enterprise.objects.bulk_update(to_update, list(EDIT_FIELDS), batch_size=2000)
            enterprises_changed(to_update, fields_changed)  # their talents follow, set-based
        EnterpriseChange.objects.bulk_create(history, batch_size=2000)
        self.saving(len(by_code))
        result.created, result.updated = len(to_create), len(to_update)
        audit_record(
            actor=actor,
            action="enterprise.import",
            object_type="enterprise",
            details={
                "rows": result.rows,
                "created": result.created,
                "updated": result.updated,
                "unchanged": result.unchanged,
                "pending_merge": sum(1 for e in to_create if e.pending_merge),
                "sm3": digest,
            },
        )
