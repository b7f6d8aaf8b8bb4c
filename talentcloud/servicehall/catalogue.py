"""The service catalogue: who may apply, the versioned form and materials, and the form a person fills in.

Staff change a service's form through pages (add, change, move, remove a field; the same for materials) —
never by typing JSON. Each change to the form, the materials or the time limit makes a new
``ServiceVersion``; cases keep the version they were filed under.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django import forms
from django.db import transaction
from django.db.models import Max, QuerySet
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from talentcloud.accounts.permissions import require_perm
from talentcloud.audit.services import audit_record
from talentcloud.common import versions
from talentcloud.common.errors import ValidationFailed
from talentcloud.privacy import masking
from talentcloud.rules import explain
from talentcloud.rules.facts import FACTS
from talentcloud.rules.logic import FALSE, TRUE, UNKNOWN, evaluate, fact_values, facts_used

from .enums import FieldType, LimitKind
from .models import HallSettings, Service, ServiceVersion
from .permissions import HallPerm

if TYPE_CHECKING:
    from talentcloud.accounts.models import User

# The version of the services other processes hold in memory (the policy engine's published policies carry
# theirs): bumped after every change to a service (common.versions, ADR 0016).
SERVICES_VERSION = "servicehall.services"

KEY = re.compile(r"^[a-z][a-z0-9_]{1,39}$")
MATERIAL_KINDS = ("pdf", "jpg", "png")


def services_open() -> QuerySet[Service]:
    return Service.objects.filter(is_active=True, current__isnull=False).select_related(
        "department", "current"
    )


def label_of(spec: dict[str, Any]) -> str:
    if (get_language() or "").startswith("en") and spec.get("label_en"):
        return str(spec["label_en"])
    return str(spec.get("label", spec.get("key", "")))


def rule_of_lists(grades: Any = (), categories: Any = (), tags: Any = ()) -> dict[str, Any]:
    """The eligibility rule of the three lists a service used to keep (each "any of"; an empty list asks
    nothing): certification grade in …, pyramid category in …, tags share one with …; {} for no list."""
    clauses: list[dict[str, Any]] = []
    if grades:
        clauses.append({"fact": "grade", "op": "in", "value": list(grades)})
    if categories:
        clauses.append({"fact": "category", "op": "in", "value": list(categories)})
    if tags:
        clauses.append({"fact": "tags", "op": "any_of", "value": list(tags)})
    return {"all": clauses} if clauses else {}


LIST_OF_FACT = {("grade", "in"): "grades", ("category", "in"): "categories", ("tags", "any_of"): "tags"}


def lists_of_rule(rule: Any) -> dict[str, list[str]] | None:
    """The three lists of a rule ``rule_of_lists`` could have made, or None for any other rule."""
    lists: dict[str, list[str]] = {"grades": [], "categories": [], "tags": []}
    if not rule:
        return lists
    parts = rule.get("all") if isinstance(rule, dict) else None
    for part in parts if isinstance(parts, list) else [rule]:
        if not isinstance(part, dict):
            return None
        name = LIST_OF_FACT.get((str(part.get("fact")), str(part.get("op"))))
        if name is None or lists[name] or not isinstance(part.get("value"), list):
            return None
        lists[name] = [str(v) for v in part["value"]]
    return lists


def sentences(lines: list[explain.Line]) -> str:
    """Conditions in a row: "…；…" / "…; …"."""
    return ("；" if not (get_language() or "").startswith("en") else "; ").join(line.text for line in lines)


def eligibility_problem(service: Service, talent: Any, on: date | None = None) -> str | None:
    """Why this talent may not apply, or None. The service's rule (``Service.eligibility``) is evaluated by
    the rule language's evaluator over the talent's facts; a refusal names the conditions not met, worded by
    ``rules.explain``. A fact the archive does not know counts as not met (Kleene "unknown" refuses), and the
    reason says what we do not know. Enterprise services are for accounts acting for an enterprise."""
    if service.for_enterprises:
        return None
    if talent is None:
        return _("Only talents with an archive may apply; sign up first.")
    rule = service.eligibility
    if not rule:
        return None
    on = on or timezone.localdate()
    facts = fact_values(talent, facts_used(rule), on)
    if evaluate(rule, facts, {}, on=on).status == TRUE:
        return None
    parts = rule.get("all", [rule])
    outcomes = [(part, evaluate(part, facts, {}, on=on)) for part in parts]
    unmet = [part for part, outcome in outcomes if outcome.status != TRUE]
    wording = sentences([line for part in unmet for line in explain.conditions(part, {})])
    unknown = sorted({c.fact for _part, outcome in outcomes for c in outcome.clauses if c.status == UNKNOWN})
    if unknown and all(outcome.status != FALSE for _part, outcome in outcomes):
        labels = "、".join(explain.label_words(FACTS[key]) for key in unknown)
        return _("We do not know your %(facts)s yet; you can apply when: %(conditions)s.") % {
            "facts": labels,
            "conditions": wording,
        }
    return _("You can apply when: %(conditions)s.") % {"conditions": wording}


# -- versions -------------------------------------------------------------------------------------


def _new_version(service: Service, *, actor: User, **changes: Any) -> ServiceVersion:
    base = service.current
    values = {
        "form_fields": list(base.form_fields) if base else [],
        "materials": list(base.materials) if base else [],
        "limit_kind": base.limit_kind if base else LimitKind.WORKING_DAYS,
        "limit_days": base.limit_days if base else 20,
        "limit_date": base.limit_date if base else None,
    }
    values.update(changes)
    number = (service.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    version = ServiceVersion.objects.create(service=service, number=number, created_by=actor, **values)
    # updated_at too: the stamp that names the services' state when the shared version is lost reads it
    Service.objects.filter(pk=service.pk).update(current=version, updated_at=timezone.now())
    service.current = version
    versions.bump(SERVICES_VERSION)
    audit_record(
        actor=actor,
        action="service.version",
        object_type="service",
        object_id=service.pk,
        details={"version": number},
    )
    return version


def limit_set(
    *, actor: User, service: Service, kind: str, days: int | None, fixed: date | None
) -> ServiceVersion:
    require_perm(actor, HallPerm.SERVICE_MANAGE)
    errors: dict[str, list[Any]] = {}
    if kind not in LimitKind.values:
        errors["limit_kind"] = [_("Choose how the time limit is counted.")]
    elif kind == LimitKind.FIXED_DATE and fixed is None:
        errors["limit_date"] = [_("Give the date.")]
    elif kind != LimitKind.FIXED_DATE and not (days and 1 <= days <= 365):
        errors["limit_days"] = [_("Between 1 and 365 days.")]
    if errors:
        raise ValidationFailed(fields=errors)
    with transaction.atomic():
        return _new_version(
            service,
            actor=actor,
            limit_kind=kind,
            limit_days=None if kind == LimitKind.FIXED_DATE else days,
            limit_date=fixed if kind == LimitKind.FIXED_DATE else None,
        )


def _clean_field(
    spec: dict[str, Any], existing: list[dict[str, Any]], replacing: str | None
) -> dict[str, Any]:
    errors: dict[str, list[Any]] = {}
    key = str(spec.get("key", "")).strip()
    if not KEY.match(key):
        errors["key"] = [_("2 to 40 lower-case letters, digits or _, starting with a letter.")]
    elif key != replacing and any(f["key"] == key for f in existing):
        errors["key"] = [_("Another field already uses this key.")]
    label = str(spec.get("label", "")).strip()
    if not label:
        errors["label"] = [_("Give the label people see.")]
    kind = spec.get("type")
    if kind not in FieldType.values:
        errors["type"] = [_("Choose the kind of answer.")]
    choices = [c.strip() for c in spec.get("choices", []) if str(c).strip()]
    if kind == FieldType.CHOICE and len(choices) < 2:
        errors["choices"] = [_("Give at least two choices, one per line.")]
    if errors:
        raise ValidationFailed(fields=errors)
    return {
        "key": key,
        "label": label[:100],
        "label_en": str(spec.get("label_en", "")).strip()[:100],
        "type": kind,
        "required": bool(spec.get("required")),
        "choices": choices if kind == FieldType.CHOICE else [],
        "help": str(spec.get("help", "")).strip()[:200],
        "sensitive": bool(spec.get("sensitive")),
    }


def form_field_save(
    *, actor: User, service: Service, spec: dict[str, Any], replacing: str | None = None
) -> ServiceVersion:
    """Add a field (``replacing`` None) or change the field with key ``replacing``; a new version."""
    require_perm(actor, HallPerm.SERVICE_MANAGE)
    fields = list(service.current.form_fields) if service.current else []
    clean = _clean_field(spec, fields, replacing)
    if replacing is None:
        fields.append(clean)
    else:
        fields = [clean if f["key"] == replacing else f for f in fields]
    with transaction.atomic():
        return _new_version(service, actor=actor, form_fields=fields)


def form_field_move(*, actor: User, service: Service, key: str, step: int) -> ServiceVersion:
    require_perm(actor, HallPerm.SERVICE_MANAGE)
    fields = list(service.current.form_fields) if service.current else []
    index = next((i for i, f in enumerate(fields) if f["key"] == key), None)
    if index is None:
        raise ValidationFailed(fields={"key": [_("No such field.")]})
    target = max(0, min(len(fields) - 1, index + step))
    fields.insert(target, fields.pop(index))
    with transaction.atomic():
        return _new_version(service, actor=actor, form_fields=fields)


def form_field_remove(*, actor: User, service: Service, key: str) -> ServiceVersion:
    require_perm(actor, HallPerm.SERVICE_MANAGE)
    fields = [f for f in (service.current.form_fields if service.current else []) if f["key"] != key]
    with transaction.atomic():
        return _new_version(service, actor=actor, form_fields=fields)


def material_save(
    *, actor: User, service: Service, spec: dict[str, Any], replacing: str | None = None
) -> ServiceVersion:
    require_perm(actor, HallPerm.SERVICE_MANAGE)
    materials = list(service.current.materials) if service.current else []
    errors: dict[str, list[Any]] = {}
    key = str(spec.get("key", "")).strip()
    if not KEY.match(key):
        errors["key"] = [_("2 to 40 lower-case letters, digits or _, starting with a letter.")]
    elif key != replacing and any(m["key"] == key for m in materials):
        errors["key"] = [_("Another material already uses this key.")]
    if not str(spec.get("label", "")).strip():
        errors["label"] = [_("Give the label people see.")]
    kinds = [k for k in spec.get("kinds", []) if k in MATERIAL_KINDS]
    if not kinds:
        errors["kinds"] = [_("Allow at least one file type.")]
    max_count, max_mb = int(spec.get("max_count") or 0), int(spec.get("max_mb") or 0)
    if not 1 <= max_count <= 10:
        errors["max_count"] = [_("Between 1 and 10 files.")]
    if not 1 <= max_mb <= 20:
        errors["max_mb"] = [_("Between 1 and 20 MB.")]
    if errors:
        raise ValidationFailed(fields=errors)
    clean = {
        "key": key,
        "label": str(spec["label"]).strip()[:100],
        "label_en": str(spec.get("label_en", "")).strip()[:100],
        "kinds": kinds,
        "max_count": max_count,
        "max_mb": max_mb,
        "required": bool(spec.get("required")),
        "help": str(spec.get("help", "") or "").strip()[:300],
    }
    if replacing is None:
        materials.append(clean)
    else:
        materials = [clean if m["key"] == replacing else m for m in materials]
    with transaction.atomic():
        return _new_version(service, actor=actor, materials=materials)


def material_remove(*, actor: User, service: Service, key: str) -> ServiceVersion:
    require_perm(actor, HallPerm.SERVICE_MANAGE)
    materials = [m for m in (service.current.materials if service.current else []) if m["key"] != key]
    with transaction.atomic():
        return _new_version(service, actor=actor, materials=materials)


# -- the form a person fills in --------------------------------------------------------------------


def build_form(
    version: ServiceVersion, data: Any = None, initial: dict[str, Any] | None = None
) -> forms.Form:
    """A Django form from the version's field list: rendered and validated like any other form."""
    form = forms.Form(data=data, initial=initial or {})
    for spec in version.form_fields:
        label, required, help_text = label_of(spec), spec.get("required", False), spec.get("help", "")
        kind = spec["type"]
        field: forms.Field
        if kind == FieldType.TEXTAREA:
            field = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)
        elif kind == FieldType.NUMBER:
            field = forms.DecimalField(max_digits=14, decimal_places=2)
        elif kind == FieldType.DATE:
            field = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
        elif kind == FieldType.CHOICE:
            field = forms.ChoiceField(choices=[("", "—"), *[(c, c) for c in spec.get("choices", [])]])
        elif kind == FieldType.YES_NO:
            field = forms.TypedChoiceField(
                choices=[("", "—"), ("yes", _("Yes")), ("no", _("No"))], coerce=str, empty_value=""
            )
        else:
            field = forms.CharField(max_length=200)
        field.label, field.required, field.help_text = label, required, help_text
        form.fields[spec["key"]] = field
    return form


def form_data_clean(version: ServiceVersion, data: dict[str, Any], *, complete: bool) -> dict[str, Any]:
    """Check answers against the version's fields. A draft (``complete`` False) may leave required fields
    empty; a submission may not. Returns JSON-ready values; errors name the field."""
    form = build_form(version, data={k: "" if v is None else v for k, v in data.items()})
    if not complete:
        for field in form.fields.values():
            field.required = False
    unknown = set(data) - set(form.fields)
    errors: dict[str, list[Any]] = {k: [_("This form has no such field.")] for k in sorted(unknown)}
    if not form.is_valid():
        errors.update({name: [str(e) for e in errs] for name, errs in form.errors.items()})
    if errors:
        raise ValidationFailed(fields=errors)
    clean: dict[str, Any] = {}
    for name, value in form.cleaned_data.items():
        if not complete and name not in data:
            continue  # a draft saves what was sent and keeps the rest
        if isinstance(value, date):
            value = value.isoformat()
        elif isinstance(value, Decimal):
            value = str(value)
        clean[name] = value
    return clean


# Answers holding a number that identifies a person or their money, by the form field's key: shown masked to
# everyone but the applicant (the case page) and to everyone through the API, unmasked only through
# ``cases.case_answer_unmask`` (permission, reason, audited).
ANSWER_MASKS: dict[str, Callable[[str | None], str]] = {
    "bank_account": masking.mask_bank_account,
    "id_number": masking.mask_id_number,
    "phone": masking.mask_phone,
}


@dataclass(frozen=True)
class AnswerRow:
    key: str
    label: str
    text: str
    masked: bool  # the text is a masked form of the answer


def answers_for_display(
    version: ServiceVersion, answers: dict[str, Any], *, mask_sensitive: bool, mask_numbers: bool = True
) -> list[AnswerRow]:
    """The answers as shown: ``mask_numbers`` masks the numbers of ANSWER_MASKS (6222 **** **** 1234),
    ``mask_sensitive`` the other sensitive answers (****)."""
    rows = []
    for spec in version.form_fields:
        key = spec["key"]
        value = answers.get(key, "")
        text = {"yes": _("Yes"), "no": _("No")}.get(value, str(value)) if value not in (None, "") else "—"
        masked = False
        if value not in (None, ""):
            if mask_numbers and key in ANSWER_MASKS:
                text, masked = ANSWER_MASKS[key](str(value)), True
            elif spec.get("sensitive") and mask_sensitive:
                text, masked = "****", True
        rows.append(AnswerRow(key=key, label=label_of(spec), text=text, masked=masked))
    return rows


def answer_maskable(version: ServiceVersion, key: str) -> bool:
    """Whether ``key`` is one of the version's answers that are ever shown masked."""
    return any(
        spec["key"] == key and (key in ANSWER_MASKS or spec.get("sensitive")) for spec in version.form_fields
    )


SERVICE_FIELDS = (
    "code",
    "name",
    "name_en",
    "summary",
    "department",
    "joint_mode",
    "eligibility",
    "for_enterprises",
    "quota_per_year",
    "faq",
    "theme",
    "place",
    "phone",
    "fee",
    "legal_basis",
    "is_active",
)


def service_save(
    *, actor: User, values: dict[str, Any], co_departments: Any, service: Service | None = None
) -> Service:
    """Create a service (with a first, empty version) or change its catalogue entry (no new version: the
    form, materials and limit are changed through their own steps)."""
    require_perm(actor, HallPerm.SERVICE_MANAGE)
    code = values.get("code", "")
    taken = Service.objects.filter(code=code)
    if service is not None:
        taken = taken.exclude(pk=service.pk)
    if taken.exists():
        raise ValidationFailed(fields={"code": [_("Another service uses this code.")]})
    with transaction.atomic():
        if service is None:
            service = Service.objects.create(**{k: values[k] for k in SERVICE_FIELDS if k in values})
            _new_version(service, actor=actor)
            action = "service.create"
        else:
            for name in SERVICE_FIELDS:
                if name in values:
                    setattr(service, name, values[name])
            service.save()
            action = "service.update"
        service.co_departments.set(co_departments)
        audit_record(actor=actor, action=action, object_type="service", object_id=service.pk)
        versions.bump(SERVICES_VERSION)
    return service


def hall_settings_save(*, actor: User, values: dict[str, Any]) -> HallSettings:
    """The office's settings for the hall (unrated cases, the yellow threshold, rectification steps)."""
    require_perm(actor, HallPerm.SERVICE_MANAGE)
    with transaction.atomic():
        settings_row = HallSettings.load()
        for name, value in values.items():
            setattr(settings_row, name, value)
        settings_row.save()
        audit_record(actor=actor, action="hall.settings", object_type="hall", details=values)
    return settings_row
