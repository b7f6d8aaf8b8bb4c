"""Editing the archive (一人一档): staff edits, a talent's own corrections, facts with provenance, history.

- Every change writes ``TalentChange`` rows (personal fields masked) and one audit event.
- Fact fields (``FACT_FIELDS``) carry provenance in ``FactRecord``: a staff edit is staff-verified; a talent's
  own value is self-declared and unverified; a talent's change to a *verified* fact waits for staff review and
  changes nothing until accepted.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from talentcloud.accounts.permissions import require_perm
from talentcloud.audit.services import audit_record
from talentcloud.common.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from talentcloud.common.validators import validate_mobile, validate_resident_id
from talentcloud.enterprises.models import ClashVia
from talentcloud.talents.permissions import TalentPerm

from ..changes import facts_changed
from ..clashes import clash_sync, id_number_holder
from ..enums import FactSource, FactStatus, QualificationKind, Relation
from ..models import (
    FACT_FIELDS,
    ChildBirth,
    Education,
    FactRecord,
    FamilyMember,
    Qualification,
    Talent,
    TalentChange,
    TalentProgramme,
)
from ..selectors import fact_review_queue, fact_verified, talent_reference_errors
from ..values import STAFF_FIELDS, _from_json, _json, _shown

if TYPE_CHECKING:
    from talentcloud.accounts.models import User

SELF_FIELDS = (
    "phone",
    "email",
    "post",
    "highest_degree",
    "graduated_on",
    "social_insurance_since",
    "owns_home_in_city",
)


def _clean(changes: dict[str, Any], talent: Talent) -> dict[str, Any]:
    errors: dict[str, list[Any]] = {}
    cleaned = dict(changes)
    for name, check in (("id_number", validate_resident_id), ("phone", validate_mobile)):
        if cleaned.get(name):
            try:
                cleaned[name] = check(cleaned[name])
            except ValidationError as exc:
                errors[name] = list(exc.messages)
    today = timezone.localdate()
    for name in ("birth_date", "arrived_on", "graduated_on", "social_insurance_since"):
        value = cleaned.get(name)
        if isinstance(value, date) and value > today:
            errors[name] = [_("The date cannot be in the future.")]
    if errors:
        raise ValidationFailed(fields=errors)
    return cleaned


def _apply(talent: Talent, values: dict[str, Any], *, actor: User | None, via: str) -> list[str]:
    changed = []
    for name, value in values.items():
        before = getattr(talent, name)
        if before == value or (before in (None, "") and value in (None, "")):
            continue
        setattr(talent, name, value)
        TalentChange.objects.create(
            talent=talent,
            actor=actor,
            via=via,
            field=name,
            before=_shown(name, before),
            after=_shown(name, value),
        )
        changed.append(name)
    if changed:
        talent.save()
    return changed


def talent_update(*, actor: User, talent: Talent, changes: dict[str, Any]) -> list[str]:
    """A staff edit: applied at once; fact fields become staff-verified. Every reference it sets must be
    in the actor's scope; a refused one is a field error and nothing changes."""
    require_perm(actor, TalentPerm.EDIT)
    unknown = set(changes) - set(STAFF_FIELDS)
    if unknown:
        raise ValidationFailed(fields={name: [_("This field cannot be edited here.")] for name in unknown})
    refused = talent_reference_errors(actor=actor, values=changes, talent=talent)
    if refused:
        raise ValidationFailed(fields=refused)
    cleaned = _clean(changes, talent)
    renumbered = "id_number" in cleaned and cleaned["id_number"] != talent.id_number
    holder = None
    if renumbered and cleaned["id_number"]:
        # Named when the holder is in the actor's scope; kept pending the office's merge when not (ADR 0010).
        holder = id_number_holder(actor=actor, id_number=cleaned["id_number"], exclude=talent.pk)
    today = timezone.localdate()
    with transaction.atomic():
        if renumbered:
            talent.pending_merge = holder is not None
        changed = _apply(talent, cleaned, actor=actor, via="staff")
        clash = None
        if "id_number" in changed:
            clash = clash_sync(actor=actor, record=talent, holder=holder, via=ClashVia.EDIT)
        for key in set(changed) & set(FACT_FIELDS):
            FactRecord.objects.create(
                talent=talent,
                key=key,
                value=_json(getattr(talent, key)),
                source=FactSource.STAFF,
                as_of=today,
                verified=True,
                recorded_by=actor,
                reviewed_by=actor,
                reviewed_at=timezone.now(),
            )
        if changed:
            facts_changed([talent.pk])  # verified facts, then 免申即享 re-evaluated (ADR 0018)
            audit_record(
                actor=actor,
                action="talent.update",
                object_type="talent",
                object_id=talent.pk,
                details={"fields": changed, **({"clash": str(clash.pk)} if clash else {})},
            )
    return changed


@dataclass
class SelfUpdateResult:
    applied: list[str] = field(default_factory=list)
    pending: list[str] = field(default_factory=list)


def talent_self_update(*, actor: User, talent: Talent, changes: dict[str, Any]) -> SelfUpdateResult:
    """A talent corrects their own record. A change to a verified fact waits for staff review."""
    if talent.account_id is None or talent.account_id != actor.pk:
        raise PermissionDenied()
    unknown = set(changes) - set(SELF_FIELDS)
    if unknown:
        raise ValidationFailed(fields={name: [_("This field cannot be edited here.")] for name in unknown})
    cleaned = _clean(changes, talent)
    result = SelfUpdateResult()
    today = timezone.localdate()
    with transaction.atomic():
        direct: dict[str, Any] = {}
        for name, value in cleaned.items():
            if getattr(talent, name) == value:
                continue
            if name in FACT_FIELDS and fact_verified(talent, name):
                talent.facts.filter(key=name, status=FactStatus.PENDING).update(status=FactStatus.REJECTED)
                FactRecord.objects.create(
                    talent=talent,
                    key=name,
                    value=_json(value),
                    source=FactSource.SELF,
                    as_of=today,
                    verified=False,
                    status=FactStatus.PENDING,
                    recorded_by=actor,
                )
                result.pending.append(name)
            else:
                direct[name] = value
        result.applied = _apply(talent, direct, actor=actor, via="self")
        for key in set(result.applied) & set(FACT_FIELDS):
            FactRecord.objects.create(
                talent=talent,
                key=key,
                value=_json(getattr(talent, key)),
                source=FactSource.SELF,
                as_of=today,
                verified=False,
                recorded_by=actor,
            )
        if result.applied:
            facts_changed([talent.pk])
        if result.applied or result.pending:
            audit_record(
                actor=actor,
                action="talent.self_update",
                object_type="talent",
                object_id=talent.pk,
                details={"applied": result.applied, "pending": result.pending},
            )
    return result


def fact_review(*, actor: User, record_id: int, accept: bool) -> FactRecord:
    require_perm(actor, TalentPerm.FACT_VERIFY)
    record = fact_review_queue(viewer=actor).filter(pk=record_id).first()
    if record is None:
        raise NotFound()
    talent = record.talent
    value = _from_json(record.key, record.value) if accept and record.status == FactStatus.PENDING else None
    refused = talent_reference_errors(actor=actor, values={record.key: value}, talent=talent) if value else {}
    if refused:  # accepting a value is setting it: the same scope as an edit
        raise ValidationFailed(fields=refused)
    with transaction.atomic():
        updated = (
            FactRecord.objects.filter(pk=record.pk, verified=False)
            .exclude(status=FactStatus.REJECTED)
            .update(
                status=FactStatus.ACCEPTED if accept else FactStatus.REJECTED,
                verified=accept,
                reviewed_by=actor,
                reviewed_at=timezone.now(),
            )
        )
        if not updated:
            raise Conflict(_("Someone else reviewed this fact first."))
        if accept and record.status == FactStatus.PENDING:
            _apply(talent, {record.key: value}, actor=actor, via="review")
        facts_changed([talent.pk])  # accepted or rejected, which record of the fact is newest may change
        audit_record(
            actor=actor,
            action="fact.accept" if accept else "fact.reject",
            object_type="talent",
            object_id=talent.pk,
            details={"fact": record.key},
        )
    record.refresh_from_db()
    return record


def education_add(
    *,
    actor: User,
    talent: Talent,
    degree: str,
    school: str,
    major: str = "",
    graduated_on: date | None = None,
    full_time: bool | None = None,
) -> Any:
    """Staff record a stage of education (full-time or not, when known); the talent may add their own
    (self-declared)."""
    own = talent.account_id is not None and talent.account_id == actor.pk
    if not own:
        require_perm(actor, TalentPerm.EDIT)
    errors: dict[str, list[Any]] = {}
    if not school.strip():
        errors["school"] = [_("Name the school.")]
    if graduated_on and graduated_on > timezone.localdate() + timedelta(days=366):
        errors["graduated_on"] = [_("Too far in the future.")]
    if errors:
        raise ValidationFailed(fields=errors)
    with transaction.atomic():
        record = Education.objects.create(
            talent=talent,
            degree=degree,
            school=school.strip(),
            major=major.strip(),
            graduated_on=graduated_on,
            full_time=full_time,
            source=FactSource.SELF if own else FactSource.STAFF,
        )
        TalentChange.objects.create(
            talent=talent, actor=actor, via="self" if own else "staff", field="education", after=str(record)
        )
        audit_record(actor=actor, action="talent.education_add", object_type="talent", object_id=talent.pk)
    return record


def qualification_add(
    *,
    actor: User,
    talent: Talent,
    kind: str,
    name: str = "",
    level: str = "",
    year: int | None = None,
    programme: TalentProgramme | None = None,
) -> Any:
    """A title, award or talent programme title. A programme title names a programme of the register (an
    active one) and is a fact rules read (``programme_titles``, ``programme_level``): 免申即享 hears of it."""
    require_perm(actor, TalentPerm.EDIT)
    if kind == QualificationKind.PROGRAMME:
        if programme is None or not programme.active:
            raise ValidationFailed(fields={"programme": [_("Choose the programme from the register.")]})
        name, level = programme.name, ""  # the level is the register's (shown in the reader's language)
    elif programme is not None:
        raise ValidationFailed(fields={"programme": [_("Only a talent programme title names a programme.")]})
    if not name.strip():
        raise ValidationFailed(fields={"name": [_("Name the title or award.")]})
    if year is not None and not 1950 <= year <= timezone.localdate().year:
        raise ValidationFailed(fields={"year": [_("A year between 1950 and this year.")]})
    with transaction.atomic():
        record = Qualification.objects.create(
            talent=talent,
            kind=kind,
            name=name.strip(),
            level=str(level).strip(),
            year=year,
            programme=programme,
        )
        TalentChange.objects.create(talent=talent, actor=actor, via="staff", field=kind, after=record.name)
        audit_record(
            actor=actor, action="talent.qualification_add", object_type="talent", object_id=talent.pk
        )
        if programme is not None:
            facts_changed([talent.pk])
    return record


def family_add(
    *,
    actor: User,
    talent: Talent,
    relation: str,
    name: str,
    birth_date: date | None = None,
    id_number: str = "",
) -> Any:
    """Record a family member (sensitive: needs the family permission, or it is the talent's own record)."""
    own = talent.account_id is not None and talent.account_id == actor.pk
    if not own:
        require_perm(actor, TalentPerm.FAMILY_VIEW)
    errors: dict[str, list[Any]] = {}
    if not name.strip():
        errors["name"] = [_("Give the name.")]
    if id_number:
        try:
            id_number = validate_resident_id(id_number)
        except ValidationError as exc:
            errors["id_number"] = list(exc.messages)
    if birth_date and birth_date > timezone.localdate():
        errors["birth_date"] = [_("The date cannot be in the future.")]
    if errors:
        raise ValidationFailed(fields=errors)
    with transaction.atomic():
        member = FamilyMember.objects.create(
            talent=talent,
            relation=relation,
            name=name.strip(),
            id_number=id_number,
            birth_date=birth_date.isoformat() if birth_date else "",
        )
        if relation == Relation.CHILD and birth_date:  # the derived birth date policies read (ADR 0019)
            ChildBirth.objects.create(talent=talent, member=member, birth_date=birth_date)
            facts_changed([talent.pk])  # children's ages are facts policies read (ADR 0018)
        TalentChange.objects.create(
            talent=talent,
            actor=actor,
            via="self" if own else "staff",
            field="family",
            after=member.get_relation_display(),
        )
        audit_record(
            actor=actor,
            action="talent.family_add",
            object_type="talent",
            object_id=talent.pk,
            details={"relation": relation},
        )
    return member
