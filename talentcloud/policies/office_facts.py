"""Facts the office defines without code (ADR 0020): a value recorded about a talent or an enterprise (yes/no,
a number with its unit, a date, a choice) or a recognition (a dated label: 瞪羚企业, 国家高新技术企业 …).

Each definition becomes facts of the rule vocabulary (``rules.facts``) with a Python getter and a generated
SQL form that read the same rows (``RecordedValue``), so the calculator, the anonymous calculator, the
simulation and the sweep use it at once:

- a recorded value ``key``: the newest value valid from the day or before (only verified ones where the fact
  must be verified); unknown when there is none;
- a recognition ``key`` (held on the day: the day lies in a validity), ``key_ever`` (held on some day up to
  it), ``key_last_year`` (held on some day of the calendar year before: "上一年度被认定为"), never unknown;
  and ``key_since`` (the first validity's first day: "首次被认定"), unknown when never held.

Every process holds the facts as of a version (``common.versions``, like the published policies, ADR 0016):
the services below bump it, ``refresh`` reads the definitions again when it changed. Values are not cached:
the getters and SQL forms read them where they are, so an imported value changes a verdict at once.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import (
    BooleanField,
    CharField,
    Count,
    DateField,
    DecimalField,
    Exists,
    F,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    Window,
)
from django.db.models.expressions import Expression
from django.db.models.functions import NullIf, RowNumber
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import load_workbook

from talentcloud.accounts.permissions import has_perm, require_perm
from talentcloud.audit.services import audit_record
from talentcloud.common import versions
from talentcloud.common.crypto import blind_index
from talentcloud.common.errors import Conflict, ValidationFailed
from talentcloud.common.validators import validate_resident_id
from talentcloud.enterprises.models import Enterprise
from talentcloud.enterprises.permissions import EnterprisePerm
from talentcloud.enterprises.selectors import enterprise_list
from talentcloud.rules.facts import (
    BOOL,
    DATE,
    ENUM,
    FACTS,
    INT,
    Fact,
    Words,
    compare_column,
    compare_date,
    defined_facts,
    defined_facts_from,
    defined_facts_token,
    set_defined_facts,
)
from talentcloud.rules.logic import facts_used
from talentcloud.talents.changes import facts_changed
from talentcloud.talents.models import Talent
from talentcloud.talents.permissions import TalentPerm
from talentcloud.talents.selectors import talent_list

from .formulas import amount_facts
from .models import (
    FactDefinition,
    FactKind,
    Policy,
    PolicyStatus,
    RecordedValue,
    Recorders,
    Target,
    ValueSource,
)
from .permissions import PolicyPerm

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from talentcloud.accounts.models import User

OFFICE_FACTS_VERSION = "office_facts"
RECOGNITION_SUFFIXES = ("_ever", "_last_year", "_since")
KEY_PATTERN = r"^[a-z][a-z0-9_]{1,29}$"
VALUE_COLUMN = {
    FactKind.YES_NO: "value_bool",
    FactKind.NUMBER: "value_number",
    FactKind.DATE: "value_date",
    FactKind.CHOICE: "value_choice",
}
OUTPUT: dict[str, Any] = {
    FactKind.YES_NO: BooleanField(),
    FactKind.NUMBER: DecimalField(max_digits=16, decimal_places=2),
    FactKind.DATE: DateField(),
    FactKind.CHOICE: CharField(),
}


@dataclass(frozen=True)
class Named:
    """A generated fact's name: a sentence around the office's name, in the reader's language."""

    template: Any  # a lazy message with %(name)s
    name: Words

    def __str__(self) -> str:
        return str(self.template) % {"name": str(self.name)}


EVER = gettext_lazy("ever recognized as %(name)s")
LAST_YEAR = gettext_lazy("recognized as %(name)s last year")
SINCE = gettext_lazy("first recognized as %(name)s")
SINCE_DATE = gettext_lazy("date first recognized as %(name)s")
HELD = gettext_lazy("recognized as %(name)s")
NOT_HELD = gettext_lazy("not recognized as %(name)s")


# --- the facts a definition makes ---------------------------------------------------------------------------


def _subject(definition: FactDefinition) -> str:
    return "talent" if definition.target == Target.TALENT else "enterprise"


def _rows(definition: FactDefinition, subject: Any) -> QuerySet[RecordedValue]:
    rows = RecordedValue.objects.filter(definition_id=definition.pk, **{_subject(definition): subject})
    return rows.filter(verified=True) if definition.must_verify else rows


def _everyone(definition: FactDefinition) -> QuerySet[RecordedValue]:
    """Every subject's rows (of a value that must be verified, the verified ones), for a set-based read."""
    rows = RecordedValue.objects.filter(definition_id=definition.pk).order_by()
    return rows.filter(verified=True) if definition.must_verify else rows


def _latest(definition: FactDefinition, subject: Any, on: date) -> QuerySet[RecordedValue]:
    return _rows(definition, subject).filter(valid_from__lte=on).order_by("-valid_from", "-id")


def _held(on: date) -> Q:
    return Q(valid_from__lte=on) & (Q(valid_until__isnull=True) | Q(valid_until__gte=on))


def _in_year(year: int) -> Q:
    return Q(valid_from__lte=date(year, 12, 31)) & (
        Q(valid_until__isnull=True) | Q(valid_until__gte=date(year, 1, 1))
    )


def _value_fact(definition: FactDefinition) -> Fact:
    kind = definition.kind
    column = VALUE_COLUMN[FactKind(kind)]
    name = Words(definition.label, definition.label_en)
    target = _subject(definition)

    def getter(subject: Any, on: date) -> Any:
        row = _latest(definition, getattr(subject, "pk", None), on).values_list(column, flat=True).first()
        return None if row in (None, "") else row

    def value_sql(on: date) -> Any:
        found = Subquery(
            _latest(definition, OuterRef("pk"), on).values(column)[:1], output_field=OUTPUT[FactKind(kind)]
        )
        return NullIf(found, Value("")) if kind == FactKind.CHOICE else found

    def rows(on: date, path: str) -> Any:  # per subject the value of ``_latest``'s first row
        subject = _subject(definition)
        first = Window(
            RowNumber(), partition_by=[F(f"{subject}_id")], order_by=[F("valid_from").desc(), F("id").desc()]
        )
        value = NullIf(F(column), Value("")) if kind == FactKind.CHOICE else F(column)
        latest = _everyone(definition).filter(valid_from__lte=on, **{f"{subject}__isnull": False})
        return (
            latest.annotate(rank=first, rn=F(f"{subject}__{path}"), rv=value)
            .filter(rank=1)
            .values("rn", "rv")
        )

    if kind == FactKind.DATE:
        return Fact(
            definition.key,
            name,
            DATE,
            getter,
            lambda op, value, on: compare_date(value_sql(on), op, value, on),
            target=target,
            plain_label=name,
            dated=True,
            read=value_sql,
            read_rows=rows,
        )
    if kind == FactKind.YES_NO:
        return Fact(
            definition.key,
            name,
            BOOL,
            getter,
            lambda op, value, on: compare_column(value_sql(on), op, value),
            target=target,
            read=value_sql,
            read_rows=rows,
        )
    if kind == FactKind.CHOICE:
        choices = tuple(
            (str(c["code"]), Words(str(c.get("label") or c["code"]), str(c.get("label_en") or "")))
            for c in definition.choices or []
        )
        return Fact(
            definition.key,
            name,
            ENUM,
            getter,
            lambda op, value, on: compare_column(value_sql(on), op, value),
            choices=choices,
            target=target,
            value_sql=value_sql,
            read_rows=rows,
        )
    return Fact(
        definition.key,
        name,
        INT,
        getter,
        lambda op, value, on: compare_column(value_sql(on), op, value),
        unit=Words(definition.unit) if definition.unit else "",
        target=target,
        value_sql=value_sql,
        read_rows=rows,
    )


def _recognition_facts(definition: FactDefinition) -> list[Fact]:
    name = Words(definition.label, definition.label_en)
    target = _subject(definition)

    def flag(key: str, label: Any, when: Any, phrases: tuple[tuple[bool, Any], ...] = ()) -> Fact:
        def getter(subject: Any, on: date) -> bool:
            return _rows(definition, getattr(subject, "pk", None)).filter(when(on)).exists()

        def held(on: date) -> Any:
            return Exists(_rows(definition, OuterRef("pk")).filter(when(on)))

        def sql(op: str, value: Any, on: date) -> Expression:
            return compare_column(held(on), op, value)

        def rows(on: date, path: str) -> Any:  # the subjects with a row: held (1); the others not (0)
            subject = _subject(definition)
            found = _everyone(definition).filter(when(on), **{f"{subject}__isnull": False})
            return found.values(rn=F(f"{subject}__{path}")).annotate(
                rv=Max(Value(1), output_field=IntegerField())
            )

        return Fact(
            key,
            label,
            BOOL,
            getter,
            sql,
            target=target,
            phrases=phrases,
            read=held,
            read_rows=rows,
            read_default=False,
        )

    def first(subject: Any, on: date) -> date | None:
        found = _rows(definition, getattr(subject, "pk", None)).filter(valid_from__lte=on)
        return found.order_by("valid_from").values_list("valid_from", flat=True).first()

    def first_sql(on: date) -> Any:
        return Subquery(
            _rows(definition, OuterRef("pk"))
            .filter(valid_from__lte=on)
            .order_by("valid_from")
            .values("valid_from")[:1],
            output_field=DateField(),
        )

    key = definition.key
    return [
        flag(key, name, _held, ((True, Named(HELD, name)), (False, Named(NOT_HELD, name)))),
        flag(f"{key}_ever", Named(EVER, name), lambda on: Q(valid_from__lte=on)),
        flag(f"{key}_last_year", Named(LAST_YEAR, name), lambda on: _in_year(on.year - 1)),
        Fact(
            f"{key}_since",
            Named(SINCE_DATE, name),
            DATE,
            first,
            lambda op, value, on: compare_date(first_sql(on), op, value, on),
            target=target,
            plain_label=Named(SINCE, name),
            dated=True,
            read=first_sql,
            read_rows=lambda on, path: (
                _everyone(definition)
                .filter(valid_from__lte=on, **{f"{_subject(definition)}__isnull": False})
                .values(rn=F(f"{_subject(definition)}__{path}"))
                .annotate(rv=Min("valid_from"))
            ),
        ),
    ]


def facts_of(definition: FactDefinition) -> list[Fact]:
    if definition.kind == FactKind.RECOGNITION:
        return _recognition_facts(definition)
    return [_value_fact(definition)]


def keys_of(definition: FactDefinition) -> list[str]:
    if definition.kind == FactKind.RECOGNITION:
        return [definition.key, *(definition.key + suffix for suffix in RECOGNITION_SUFFIXES)]
    return [definition.key]


def _stamp() -> str:
    found = FactDefinition.objects.aggregate(n=Count("id"), ids=Sum("id"), newest=Max("updated_at"))
    return f"{found['n']}:{found['ids'] or 0}:{found['newest'].timestamp() if found['newest'] else 0}"


def refresh() -> None:
    """The office-defined facts of this process, read again when their version changed (one cache read)."""
    if versions.unsettled((OFFICE_FACTS_VERSION,)):
        set_defined_facts(_build(), None)  # this transaction changed them: read now, keep nothing
        return
    (now,) = versions.tokens((OFFICE_FACTS_VERSION,), _stamp)
    if defined_facts_token() != now:
        set_defined_facts(_build(), now)


def _build() -> list[Fact]:
    return [fact for definition in FactDefinition.objects.all() for fact in facts_of(definition)]


def hold_library_definitions(items: list[dict[str, Any]]) -> None:
    """The library's definitions the database does not hold yet, held as facts of this process (not saved),
    so that ``policies test`` checks the library on a freshly migrated database — as it does with the
    library's parameters. The next change of the version reads the database's again."""
    refresh()
    known = set(FactDefinition.objects.values_list("key", flat=True))
    extra = [
        fact
        for item in items
        if item["key"] not in known
        for fact in facts_of(
            FactDefinition(
                key=item["key"],
                label=item["label"],
                label_en=item.get("label_en", ""),
                kind=item["kind"],
                target=item.get("target", Target.TALENT),
                unit=item.get("unit", ""),
                choices=_clean_choices(item.get("choices")),
                must_verify=bool(item.get("must_verify", False)),
            )
        )
    ]
    if extra:
        set_defined_facts([*defined_facts(), *extra], None)


defined_facts_from(refresh)


# --- defining and removing -----------------------------------------------------------------------------


def _used_by_published(keys: list[str]) -> list[Policy]:
    wanted = set(keys)
    return [
        policy
        for policy in Policy.objects.filter(status=PolicyStatus.PUBLISHED).only(
            "code", "title", "title_en", "rule", "benefit", "version"
        )
        if wanted & (facts_used(policy.rule) | amount_facts((policy.benefit or {}).get("amount")))
    ]


def _clean_choices(raw: Any) -> list[dict[str, str]]:
    """Choices from a form (one a line: "code 名称 English") or a list of dicts (YAML, the API)."""
    if isinstance(raw, str):
        rows = []
        for line in raw.splitlines():
            parts = line.split(maxsplit=2)
            if parts:
                rows.append(
                    {
                        "code": parts[0],
                        "label": parts[1] if len(parts) > 1 else parts[0],
                        "label_en": parts[2] if len(parts) > 2 else "",
                    }
                )
        return rows
    return [
        {
            "code": str(c.get("code", "")),
            "label": str(c.get("label", "")),
            "label_en": str(c.get("label_en", "")),
        }
        for c in raw or []
        if isinstance(c, dict)
    ]


def define_fact(
    *,
    actor: User | None,
    key: str,
    label: str,
    kind: str,
    target: str = Target.TALENT,
    label_en: str = "",
    unit: str = "",
    choices: Any = None,
    recorders: str = Recorders.OFFICE,
    must_verify: bool = False,
) -> FactDefinition:
    """A new office-defined fact, usable in rules at once (in every process, after the commit)."""
    if actor is not None:
        require_perm(actor, PolicyPerm.MANAGE)
    key = (key or "").strip()
    errors: dict[str, list[Any]] = {}
    if not re.match(KEY_PATTERN, key):
        errors["key"] = [_("A key is 2–30 lower-case letters, digits or _, beginning with a letter.")]
    else:
        taken = {key, *(key + s for s in RECOGNITION_SUFFIXES)} if kind == FactKind.RECOGNITION else {key}
        clash = sorted(k for k in taken if FACTS.get(k) is not None)
        clash += [k for k in taken if FactDefinition.objects.filter(key=k).exists() and k not in clash]
        if clash:
            errors["key"] = [_("“%(key)s” is already a fact; choose another key.") % {"key": clash[0]}]
    if not (label or "").strip():
        errors["label"] = [_("Give the fact a name.")]
    if kind not in FactKind.values:
        errors["kind"] = [_("Choose a kind.")]
    if target not in Target.values:
        errors["target"] = [_("Choose whom the fact is about.")]
    if recorders not in Recorders.values:
        errors["recorders"] = [_("Choose who may record it.")]
    cleaned = _clean_choices(choices) if kind == FactKind.CHOICE else []
    if kind == FactKind.CHOICE:
        codes = [c["code"] for c in cleaned]
        if (
            not cleaned
            or len(set(codes)) != len(codes)
            or not all(re.match(r"^[\w-]{1,40}$", c) for c in codes)
        ):
            errors["choices"] = [_("Give the choices, one a line: a code, its name, its English name.")]
    if errors:
        raise ValidationFailed(fields=errors)
    with transaction.atomic():
        definition = FactDefinition.objects.create(
            key=key,
            label=label.strip(),
            label_en=(label_en or "").strip(),
            kind=kind,
            target=target,
            unit=(unit or "").strip() if kind == FactKind.NUMBER else "",
            choices=cleaned,
            recorders=recorders,
            must_verify=must_verify,
            created_by=actor,
        )
        audit_record(
            actor=actor,
            actor_username="" if actor else "console",
            action="office_fact.define",
            object_type="fact_definition",
            object_id=definition.pk,
            details={"key": key, "kind": kind, "target": target},
        )
        versions.bump(OFFICE_FACTS_VERSION)
    return definition


def remove_fact(*, actor: User, definition: FactDefinition) -> None:
    """Remove a fact and its values; refused while a published policy reads it."""
    require_perm(actor, PolicyPerm.MANAGE)
    with transaction.atomic():
        using = _used_by_published(keys_of(definition))
        if using:
            raise Conflict(
                _("“%(fact)s” is read by published policies (%(policies)s); it cannot be removed.")
                % {"fact": definition, "policies": "、".join(str(p.title) for p in using)}
            )
        values = RecordedValue.objects.filter(definition=definition)
        count = values.count()
        values.delete()
        audit_record(
            actor=actor,
            action="office_fact.remove",
            object_type="fact_definition",
            object_id=definition.pk,
            details={"key": definition.key, "values": count},
        )
        definition.delete()
        versions.bump(OFFICE_FACTS_VERSION)


def definitions_install(items: list[dict[str, Any]]) -> int:
    """Definitions from the library's YAML (``library/facts/office-facts.yaml``): the ones not yet defined."""
    made = 0
    for item in items:
        if FactDefinition.objects.filter(key=item["key"]).exists():
            continue
        define_fact(
            actor=None,
            key=item["key"],
            label=item["label"],
            label_en=item.get("label_en", ""),
            kind=item["kind"],
            target=item.get("target", Target.TALENT),
            unit=item.get("unit", ""),
            choices=item.get("choices"),
            recorders=item.get("recorders", Recorders.OFFICE),
            must_verify=bool(item.get("must_verify", False)),
        )
        made += 1
    return made


# --- recording values ----------------------------------------------------------------------------------

TRUTH = {
    "是": True,
    "有": True,
    "yes": True,
    "true": True,
    "1": True,
    "y": True,
    "否": False,
    "无": False,
    "no": False,
    "false": False,
    "0": False,
    "n": False,
}


def may_record(viewer: User | AnonymousUser, definition: FactDefinition) -> bool:
    if has_perm(viewer, PolicyPerm.MANAGE):
        return True
    if definition.recorders != Recorders.ARCHIVE:
        return False
    perm = TalentPerm.EDIT if definition.target == Target.TALENT else EnterprisePerm.EDIT
    return has_perm(viewer, perm)


def _parse_date(raw: Any) -> date:
    if isinstance(raw, datetime):  # a date cell of a workbook
        return raw.date()
    if isinstance(raw, date):
        return raw
    try:
        return date.fromisoformat(str(raw).strip().replace("/", "-").replace(".", "-")[:10])
    except ValueError as exc:
        raise ValidationError(_("A date is written as 2026-03-01.")) from exc


def parse_value(definition: FactDefinition, raw: Any) -> dict[str, Any]:
    """The typed columns of a value as written on a page or in a sheet; a wrong one is refused in the user's
    language."""
    text = "" if raw is None else str(raw).strip()
    kind = definition.kind
    if kind == FactKind.RECOGNITION:
        return {}
    if text == "":
        raise ValidationError(_("Give the value."))
    if kind == FactKind.YES_NO:
        if isinstance(raw, bool):
            return {"value_bool": raw}
        if text.lower() not in TRUTH:
            raise ValidationError(_("Write 是 or 否."))
        return {"value_bool": TRUTH[text.lower()]}
    if kind == FactKind.NUMBER:
        try:
            number = Decimal(text.replace(",", ""))
        except InvalidOperation as exc:
            raise ValidationError(_("Write a number, such as 12 or 3.5.")) from exc
        if not number.is_finite() or number != number.quantize(Decimal("0.01")) or abs(number) >= 10**14:
            raise ValidationError(_("Write a number with at most two decimals."))
        return {"value_number": number}
    if kind == FactKind.DATE:
        return {"value_date": _parse_date(raw)}
    by_code = {c["code"]: c["code"] for c in definition.choices}
    by_code.update({str(c.get("label", "")): c["code"] for c in definition.choices})
    by_code.update(
        {str(c.get("label_en", "")).lower(): c["code"] for c in definition.choices if c.get("label_en")}
    )
    code = by_code.get(text) or by_code.get(text.lower())
    if code is None:
        names = "、".join(str(c.get("label") or c["code"]) for c in definition.choices)
        raise ValidationError(_("Choose one of: %(names)s.") % {"names": names})
    return {"value_choice": code}


def record_value(
    *,
    actor: User,
    definition: FactDefinition,
    subject: Talent | Enterprise,
    value: Any = None,
    valid_from: date | None,
    valid_until: date | None = None,
) -> RecordedValue:
    """Staff record a value (or, for a recognition, a validity) for a talent or an enterprise in their scope
    (the caller found ``subject`` through the scoped selectors). The office's own entries are verified; an
    archive keeper's wait for the office where the fact must be verified."""
    if not may_record(actor, definition):
        require_perm(actor, PolicyPerm.MANAGE)
    errors: dict[str, list[Any]] = {}
    columns: dict[str, Any] = {}
    try:
        columns = parse_value(definition, value)
    except ValidationError as exc:
        errors["value"] = list(exc.messages)
    if valid_from is None:
        errors["valid_from"] = [_("Give the date the value holds from.")]
    if valid_until is not None and valid_from is not None and valid_until < valid_from:
        errors["valid_until"] = [_("The end comes before the start.")]
    if errors:
        raise ValidationFailed(fields=errors)
    assert valid_from is not None
    with transaction.atomic():
        row = RecordedValue.objects.create(
            definition=definition,
            **{_subject(definition): subject},
            **columns,
            valid_from=valid_from,
            valid_until=valid_until if definition.kind == FactKind.RECOGNITION else None,
            source=ValueSource.STAFF,
            verified=has_perm(actor, PolicyPerm.MANAGE),
            recorded_by=actor,
        )
        audit_record(
            actor=actor,
            action="office_fact.record",
            object_type=_subject(definition),
            object_id=subject.pk,
            details={"fact": definition.key, "value": str(value or ""), "valid_from": str(valid_from)},
        )
        _changed(definition, [subject.pk])
    return row


def _changed(definition: FactDefinition, subject_ids: list[Any]) -> None:
    """A value recorded or verified changes what its subjects are entitled to: a talent's facts changed
    (verified facts and the other apps' hooks, then 免申即享 re-evaluated, ADR 0018); an enterprise is
    noted for re-evaluation directly."""
    if definition.target == Target.TALENT:
        facts_changed(subject_ids)
    else:
        # Imported here: the tasks module imports the sweep, which imports the engine, which imports this.
        from .tasks import note_changes  # noqa: PLC0415

        note_changes("enterprise", subject_ids)


def verify_value(*, actor: User, value: RecordedValue) -> RecordedValue:
    require_perm(actor, PolicyPerm.MANAGE)
    with transaction.atomic():
        RecordedValue.objects.filter(pk=value.pk).update(verified=True)
        audit_record(
            actor=actor,
            action="office_fact.verify",
            object_type="recorded_value",
            object_id=value.pk,
            details={"fact": value.definition.key},
        )
        subject = value.talent_id if value.definition.target == Target.TALENT else value.enterprise_id
        _changed(value.definition, [subject])
    value.verified = True
    return value


def subject_in_scope(*, viewer: User | AnonymousUser, definition: FactDefinition, who: str) -> Any:
    """The talent (by ID number) or enterprise (by credit code) in the viewer's scope, or None."""
    who = (who or "").strip().upper()
    if definition.target == Target.TALENT:
        index = blind_index(who, purpose="talents.Talent.id_number")
        return talent_list(viewer=viewer).filter(id_number_index=index, pending_merge=False).first()
    return enterprise_list(viewer=viewer).filter(credit_code=who).first()


# --- importing a sheet ------------------------------------------------------------------------------------

SUBJECT_HEADERS = {
    Target.TALENT: ("证件号码", "身份证号码", "id_number"),
    Target.ENTERPRISE: ("统一社会信用代码", "信用代码", "credit_code"),
}
VALUE_HEADERS = ("值", "value")
FROM_HEADERS = ("生效日期", "认定日期", "valid_from", "日期")
UNTIL_HEADERS = ("有效期至", "截止日期", "valid_until")


@dataclass
class ImportReport:
    rows: int = 0
    saved: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)


def _sheet_rows(data: bytes) -> list[list[Any]]:
    try:
        sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).worksheets[0]
    except Exception as exc:
        raise ValidationFailed(fields={"file": [_("This is not an Excel workbook (.xlsx).")]}) from exc
    return [list(values) for values in sheet.iter_rows(values_only=True)]


def _column(header: list[str], names: tuple[str, ...]) -> int | None:
    return next((i for i, name in enumerate(header) if name in names), None)


def import_values(*, actor: User, definition: FactDefinition, data: bytes, filename: str) -> ImportReport:
    """A sheet of values (证件号码 or 统一社会信用代码 / 值 / 生效日期, and 有效期至 for a recognition): every
    row is checked first — a bad value, an unknown person or one outside the importer's scope is that row's
    error, in the user's language — and nothing is saved unless every row is good. Each value keeps the file
    and row it came from."""
    if not may_record(actor, definition):
        require_perm(actor, PolicyPerm.MANAGE)
    rows = _sheet_rows(data)
    header = [str(h or "").strip().lower() for h in (rows[0] if rows else [])]
    who = _column(header, SUBJECT_HEADERS[Target(definition.target)])
    value_at = _column(header, VALUE_HEADERS)
    from_at = _column(header, FROM_HEADERS)
    until_at = _column(header, UNTIL_HEADERS)
    missing = []
    if who is None:
        missing.append(SUBJECT_HEADERS[Target(definition.target)][0])
    if value_at is None and definition.kind != FactKind.RECOGNITION:
        missing.append(VALUE_HEADERS[0])
    if from_at is None:
        missing.append(FROM_HEADERS[0])
    if missing:
        raise ValidationFailed(
            fields={"file": [_("These columns are missing: %(names)s.") % {"names": "、".join(missing)}]}
        )
    report = ImportReport()
    checked: list[tuple[int, Any, dict[str, Any], date, date | None]] = []
    talents = definition.target == Target.TALENT
    for number, values in enumerate(rows[1:], start=2):
        if not any(v not in (None, "") for v in values):
            continue
        report.rows += 1

        def cell(index: int | None, values: list[Any] = values) -> Any:
            return values[index] if index is not None and index < len(values) else None

        try:
            raw_who = str(cell(who) or "").strip()
            if talents:
                raw_who = validate_resident_id(raw_who)
            subject = subject_in_scope(viewer=actor, definition=definition, who=raw_who)
            if subject is None:
                raise ValidationError(_("Nobody with this number is in the archive you keep."))
            columns = parse_value(definition, cell(value_at))
            valid_from = _parse_date(cell(from_at))
            until_raw = cell(until_at)
            valid_until = _parse_date(until_raw) if until_raw not in (None, "") else None
            if valid_until is not None and valid_until < valid_from:
                raise ValidationError(_("The end comes before the start."))
            checked.append((number, subject, columns, valid_from, valid_until))
        except ValidationError as exc:
            report.errors.append((number, " ".join(exc.messages)))
    if report.errors:
        return report
    verified = has_perm(actor, PolicyPerm.MANAGE)
    with transaction.atomic():
        RecordedValue.objects.bulk_create(
            [
                RecordedValue(
                    definition=definition,
                    **{_subject(definition): subject},
                    **columns,
                    valid_from=valid_from,
                    valid_until=valid_until if definition.kind == FactKind.RECOGNITION else None,
                    source=ValueSource.IMPORT,
                    provenance=(_("%(file)s, row %(row)s") % {"file": filename, "row": number})[:200],
                    verified=verified,
                    recorded_by=actor,
                )
                for number, subject, columns, valid_from, valid_until in checked
            ]
        )
        report.saved = len(checked)
        audit_record(
            actor=actor,
            action="office_fact.import",
            object_type="fact_definition",
            object_id=definition.pk,
            details={"fact": definition.key, "file": filename, "rows": report.rows, "saved": report.saved},
        )
        _changed(definition, list(dict.fromkeys(subject.pk for _n, subject, _c, _f, _u in checked)))
    return report


# --- reading -----------------------------------------------------------------------------------------------


def definitions() -> QuerySet[FactDefinition]:
    return FactDefinition.objects.annotate(value_count=Count("values")).order_by("target", "key")


def values_visible(*, viewer: User | AnonymousUser, definition: FactDefinition) -> QuerySet[RecordedValue]:
    """The values of a fact for the talents or enterprises in the viewer's scope (newest first)."""
    if definition.target == Target.TALENT:
        rows = RecordedValue.objects.filter(talent__in=talent_list(viewer=viewer).values("pk"))
    else:
        rows = RecordedValue.objects.filter(enterprise__in=enterprise_list(viewer=viewer).values("pk"))
    rows = rows.select_related("talent", "enterprise")
    return rows.filter(definition=definition).select_related("recorded_by").order_by("-created_at", "-id")


def shown(definition: FactDefinition, row: RecordedValue) -> str:
    """A recorded value as the page shows it."""
    if definition.kind == FactKind.RECOGNITION:
        until = row.valid_until.isoformat() if row.valid_until else "…"
        return f"{row.valid_from.isoformat()} – {until}"
    fact = FACTS.get(definition.key)
    value = getattr(row, VALUE_COLUMN[FactKind(definition.kind)])
    return fact.show(value) if fact is not None else str(value)
