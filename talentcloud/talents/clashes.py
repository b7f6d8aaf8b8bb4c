"""Duplicate ID numbers without an existence oracle (ADR 0010).

A write whose ID number already belongs to a talent the writer can see is refused, as before. One whose number
belongs to a talent *outside* the writer's scope is answered exactly as a write with a new number: the record
is kept, marked ``pending_merge`` (the unique constraint on the blind index exempts it), and a ``TalentClash``
goes to the office (``clash.resolve``), which merges the new record into the existing one or keeps them apart.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from talentcloud.accounts.permissions import has_perm, require_perm
from talentcloud.accounts.scope import scope_queryset
from talentcloud.audit.services import audit_record
from talentcloud.common.crypto import blind_index
from talentcloud.common.errors import Conflict, NotFound, ValidationFailed
from talentcloud.common.registries import Declarations
from talentcloud.common.validators import validate_resident_id
from talentcloud.enterprises.clashes import Difference, differences, move_related
from talentcloud.enterprises.models import ClashStatus
from talentcloud.enterprises.permissions import EnterprisePerm

from .models import Talent, TalentChange, TalentClash
from .permissions import TalentPerm
from .values import STAFF_FIELDS, _shown  # masked personal values, display names

if TYPE_CHECKING:
    from talentcloud.accounts.models import User

PURPOSE = "talents.Talent.id_number"
# What the office may take from the new record into the existing one (the ID number is the same).
MERGE_FIELDS = (*(name for name in STAFF_FIELDS if name != "id_number"), "account")


@dataclass(frozen=True)
class TalentMergeHook:
    """``after(existing, actor)``: everything the pending record gathered has moved onto ``existing`` (inside
    the merge's transaction, before the pending record is removed). Declared by apps above this one in their
    ``talent_merge.py`` as ``TALENT_MERGE_HOOKS`` (certification makes two histories one)."""

    name: str
    after: Callable[[Talent, Any], None]


MERGE_HOOKS: Declarations[TalentMergeHook] = Declarations("talent_merge", "TALENT_MERGE_HOOKS")


def _seen_by(actor: User) -> QuerySet[Talent]:
    """The talents the actor sees on the archive pages (restricted records only by the office)."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        return Talent.objects.none()
    qs = Talent.objects.all()
    if not has_perm(actor, TalentPerm.PIPL_HANDLE):
        qs = qs.filter(restricted=False)
    if not has_perm(actor, TalentPerm.VIEW):
        return scope_queryset(qs, actor).filter(account=actor)
    return scope_queryset(qs, actor)


def id_number_holder(*, actor: User, id_number: str, exclude: Any = None) -> Talent | None:
    """Refuse an ID number a talent the actor can see already has; return the talent outside the actor's
    scope that holds it (the caller keeps the write pending a merge), or None for a new number."""
    others = Talent.objects.filter(id_number_index=blind_index(id_number, purpose=PURPOSE))
    if exclude is not None:
        others = others.exclude(pk=exclude)
    if _seen_by(actor).filter(pk__in=others.values("pk")).exists():
        raise ValidationFailed(
            fields={
                "id_number": [_("Another talent already has this ID number: look for a duplicate record.")]
            }
        )
    return others.filter(pending_merge=False).first()


def clash_sync(*, actor: User, record: Talent, holder: Talent | None, via: str) -> TalentClash | None:
    """After ``record`` was saved with a new number (and ``pending_merge = holder is not None``): open the
    clash with ``holder``, or close one the new number made moot. Inside the caller's transaction."""
    current = TalentClash.objects.select_for_update().filter(new=record, status=ClashStatus.OPEN).first()
    if current is not None and (holder is None or current.existing_id != holder.pk):
        current.status, current.resolved_by, current.resolved_at = (
            ClashStatus.WITHDRAWN,
            actor,
            timezone.now(),
        )
        current.save(update_fields=["status", "resolved_by", "resolved_at"])
        current = None
    if holder is not None and current is None:
        current = TalentClash.objects.create(new=record, existing=holder, via=via, raised_by=actor)
    return current


# -- the office's side ---------------------------------------------------------------------------------------


def clash_list(*, viewer: User, status: str = ClashStatus.OPEN) -> QuerySet[TalentClash]:
    """Clashes whose two records the viewer can both see (the office sees the whole district)."""
    require_perm(viewer, EnterprisePerm.CLASH_RESOLVE)
    seen = _seen_by(viewer).values("pk")
    qs = TalentClash.objects.select_related("new", "existing", "raised_by").filter(
        existing__in=seen, status=status
    )
    if status == ClashStatus.OPEN:
        qs = qs.filter(new__in=seen)
    return qs


def clash_get(*, viewer: User, clash_id: Any) -> TalentClash:
    clash = clash_list(viewer=viewer).filter(pk=clash_id).first()
    if clash is None:
        raise NotFound()
    return clash


def _show(name: str, value: Any) -> str:
    if name == "account":
        return str(value.username)
    if name == "tags":
        return "、".join(str(v) for v in value)
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    if hasattr(value, "get_display_name") or name in ("phone", "email"):
        return _shown(name, value)
    choices: Any = getattr(Talent._meta.get_field(name), "choices", None)
    if choices:
        return str(dict(choices).get(value, value))
    return str(value)


def clash_differences(clash: TalentClash) -> list[Difference]:
    assert clash.new is not None
    return differences(clash.new, clash.existing, MERGE_FIELDS, _show)


def _locked_open(clash_id: Any) -> TalentClash:
    clash = TalentClash.objects.select_for_update().filter(pk=clash_id).first()
    if clash is None:
        raise NotFound()
    if clash.status != ClashStatus.OPEN or clash.new_id is None:
        raise Conflict(_("This duplicate has already been resolved."))
    return clash


def _close(clash: TalentClash, *, actor: User, status: str, taken: list[str], note: str) -> None:
    clash.status, clash.taken, clash.note = status, taken, note[:200]
    clash.resolved_by, clash.resolved_at = actor, timezone.now()
    clash.save(update_fields=["status", "taken", "note", "resolved_by", "resolved_at"])


def clash_merge(
    *, actor: User, clash_id: Any, take: list[str] | tuple[str, ...] = (), note: str = ""
) -> Talent:
    """Merge the pending record into the existing one: the fields chosen in ``take`` (among the differences)
    take the new record's value (each a history row), everything the new record gathered (history, facts,
    contacts, needs, documents, education, requests, cases...) moves over, and the new record is removed. The
    new record's account moves over when the existing one has none. One audit event."""
    clash_get(viewer=actor, clash_id=clash_id)  # the permission and both records in the actor's scope
    with transaction.atomic():
        clash = _locked_open(clash_id)
        new = Talent.objects.select_for_update().get(pk=clash.new_id)  # type: ignore[misc]
        existing = Talent.objects.select_for_update().get(pk=clash.existing_id)
        allowed = {d.field for d in differences(new, existing, MERGE_FIELDS, _show)}
        unknown = sorted(set(take) - allowed)
        if unknown:
            raise ValidationFailed(
                fields={"take": [_("Not a difference of these records: %(f)s.") % {"f": ", ".join(unknown)}]}
            )
        taken = [name for name in MERGE_FIELDS if name in take]
        account = new.account
        if account is not None and ("account" in taken or existing.account_id is None):
            new.account = None
            new.save(update_fields=["account"])
            if "account" not in taken:
                taken.append("account")
        history = []
        for name in taken:
            value = account if name == "account" else getattr(new, name)
            before = getattr(existing, name)
            shown_before = before.username if name == "account" and before else _shown(name, before)
            shown_after = value.username if name == "account" and value else _shown(name, value)
            history.append((name, shown_before, shown_after))
            setattr(existing, name, value)
        if taken:
            existing.save()
        TalentClash.objects.filter(existing=new).update(existing=existing)
        moved = move_related(new, existing, skip=(TalentClash,))
        for hook in MERGE_HOOKS:
            hook.after(existing, actor)
        TalentChange.objects.bulk_create(
            TalentChange(talent=existing, actor=actor, via="merge", field=name, before=b, after=a)
            for name, b, a in history
        )
        _close(clash, actor=actor, status=ClashStatus.MERGED, taken=taken, note=note)
        removed = new.pk
        new.delete()
        audit_record(
            actor=actor,
            action="clash.merge",
            object_type="talent",
            object_id=existing.pk,
            details={"clash": str(clash.pk), "removed": str(removed), "taken": taken, "rows_moved": moved},
        )
    return existing


def clash_keep_apart(*, actor: User, clash_id: Any, id_number: str = "", note: str = "") -> Talent:
    """The two are different people (one number is wrong). While another record still holds the new record's
    number, the new record takes the right number given here, or keeps none until its staff enter it; it is no
    longer pending. One audit event."""
    clash_get(viewer=actor, clash_id=clash_id)
    with transaction.atomic():
        clash = _locked_open(clash_id)
        new = Talent.objects.select_for_update().get(pk=clash.new_id)  # type: ignore[misc]
        held = (
            Talent.objects.filter(id_number_index=new.id_number_index, pending_merge=False)
            .exclude(pk=new.pk)
            .exists()
        )
        before = new.id_number
        number = id_number.strip().upper()
        if number:
            try:
                number = validate_resident_id(number)
            except ValidationError as exc:
                raise ValidationFailed(fields={"id_number": list(exc.messages)}) from None
            if (
                Talent.objects.filter(id_number_index=blind_index(number, purpose=PURPOSE))
                .exclude(pk=new.pk)
                .exists()
            ):
                raise ValidationFailed(
                    fields={
                        "id_number": [
                            _("Another talent already has this ID number: look for a duplicate record.")
                        ]
                    }
                )
            new.id_number = number
        elif held:
            new.id_number = ""
        new.pending_merge = False
        new.save()
        if new.id_number != before:
            TalentChange.objects.create(
                talent=new,
                actor=actor,
                via="apart",
                field="id_number",
                before=_shown("id_number", before),
                after=_shown("id_number", new.id_number),
            )
        _close(clash, actor=actor, status=ClashStatus.KEPT_APART, taken=[], note=note)
        audit_record(
            actor=actor,
            action="clash.keep_apart",
            object_type="talent",
            object_id=new.pk,
            details={
                "clash": str(clash.pk),
                "existing": str(clash.existing_id),
                "number_changed": new.id_number != before,
            },
        )
    return new
