"""Duplicate credit codes without an existence oracle (ADR 0010), and the merge both archives share.

A write whose credit code already belongs to an enterprise the writer can see is refused and names it, as
before. One whose code belongs to an enterprise *outside* the writer's scope is answered exactly as a write
with a new code: the record is kept, marked ``pending_merge`` (the unique constraint exempts it), and an
``EnterpriseClash`` goes to the office, which merges the new record into the existing one or keeps them apart.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from talentcloud.accounts.permissions import has_perm, require_perm
from talentcloud.accounts.scope import scope_queryset
from talentcloud.audit.services import audit_record
from talentcloud.common.errors import Conflict, NotFound, ValidationFailed
from talentcloud.common.registries import Declarations
from talentcloud.common.validators import validate_credit_code

from .changes import enterprises_changed
from .models import AnnualReport, ClashStatus, Enterprise, EnterpriseChange, EnterpriseClash
from .permissions import EnterprisePerm

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from talentcloud.accounts.models import User

# What the office may take from the new record into the existing one (the code is the same by definition).
MERGE_FIELDS = ("name", "park", "street", "chain", "founded_on", "address", "tags")


@dataclass(frozen=True)
class MergeHook:
    """What an app above this one does when the office merges a pending enterprise record into the existing
    one (``clash_merge``). An app declares its hooks as ``ENTERPRISE_MERGE_HOOKS`` in its own
    ``enterprise_merge.py``. Inside the merge's transaction, ``before(new)`` runs while the pending record
    still holds its rows and returns what ``after(existing, gathered)`` needs once those rows point at the
    existing record and the pending one is gone (e.g. the talents re-index the people who moved)."""

    name: str
    before: Callable[[Enterprise], Any]
    after: Callable[[Enterprise, Any], None]


MERGE_HOOKS: Declarations[MergeHook] = Declarations("enterprise_merge", "ENTERPRISE_MERGE_HOOKS")


def _seen_by(actor: User) -> QuerySet[Enterprise]:
    if not has_perm(actor, EnterprisePerm.VIEW):
        return Enterprise.objects.none()
    return scope_queryset(Enterprise.objects.all(), actor)


def credit_code_check(*, actor: User, credit_code: str, exclude: Any = None) -> Enterprise | None:
    """Refuse a code an enterprise the actor can see already has (naming it); return the enterprise outside
    the actor's scope that holds it (the caller keeps the write pending a merge), or None for a new code."""
    others = Enterprise.objects.filter(credit_code=credit_code)
    if exclude is not None:
        others = others.exclude(pk=exclude)
    seen = _seen_by(actor).filter(pk__in=others.values("pk")).order_by("pending_merge", "name").first()
    if seen is not None:
        raise ValidationFailed(
            fields={"credit_code": [_("Already on the platform: %(name)s.") % {"name": seen.name}]}
        )
    return others.filter(pending_merge=False).first()


def clash_sync(
    *, actor: User, record: Enterprise, holder: Enterprise | None, via: str
) -> EnterpriseClash | None:
    """After ``record`` was saved with a new code (and ``pending_merge = holder is not None``): open the clash
    with ``holder``, or close one the new code made moot. Inside the caller's transaction."""
    current = EnterpriseClash.objects.select_for_update().filter(new=record, status=ClashStatus.OPEN).first()
    if current is not None and (holder is None or current.existing_id != holder.pk):
        current.status, current.resolved_by, current.resolved_at = (
            ClashStatus.WITHDRAWN,
            actor,
            timezone.now(),
        )
        current.save(update_fields=["status", "resolved_by", "resolved_at"])
        current = None
    if holder is not None and current is None:
        current = EnterpriseClash.objects.create(new=record, existing=holder, via=via, raised_by=actor)
    return current


# -- the office's side ---------------------------------------------------------------------------------------


def _require_office(viewer: User | AnonymousUser) -> None:
    require_perm(viewer, EnterprisePerm.CLASH_RESOLVE)


def clash_list(*, viewer: User, status: str = ClashStatus.OPEN) -> QuerySet[EnterpriseClash]:
    """Clashes whose two records the viewer can both see (the office sees the whole district)."""
    _require_office(viewer)
    seen = _seen_by(viewer).values("pk")
    qs = EnterpriseClash.objects.select_related("new", "existing", "raised_by").filter(
        existing__in=seen, status=status
    )
    if status == ClashStatus.OPEN:
        qs = qs.filter(new__in=seen)
    return qs


def clash_get(*, viewer: User, clash_id: Any) -> EnterpriseClash:
    _require_office(viewer)
    clash = clash_list(viewer=viewer).filter(pk=clash_id).first()
    if clash is None:
        raise NotFound()
    return clash


@dataclass(frozen=True)
class Difference:
    field: str
    label: str
    new: str
    existing: str


def shown(value: Any) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    return str(value)


def differences(
    new: models.Model, existing: models.Model, fields: tuple[str, ...], show: Any
) -> list[Difference]:
    """The new record's non-empty fields whose value differs from the existing record's."""
    result = []
    for name in fields:
        value, theirs = getattr(new, name), getattr(existing, name)
        if value in (None, "", []) or value == theirs:
            continue
        label = str(getattr(new._meta.get_field(name), "verbose_name", name))
        result.append(Difference(name, label, show(name, value), show(name, theirs)))
    return result


def clash_differences(clash: EnterpriseClash) -> list[Difference]:
    assert clash.new is not None
    return differences(clash.new, clash.existing, MERGE_FIELDS, lambda _n, v: shown(v))


def move_related(
    pending: models.Model, existing: models.Model, *, skip: tuple[type[models.Model], ...]
) -> int:
    """Point every row that refers to ``pending`` at ``existing`` (what the pending record gathered). A row
    that would repeat a link the existing record already has (a unique constraint) is dropped; a one-to-one
    row goes with the pending record when the existing one has its own."""
    moved = 0
    for rel in pending._meta.related_objects:
        model: Any = rel.related_model
        if rel.many_to_many or model in skip:
            continue
        name = rel.field.name
        rows = model._base_manager.filter(**{name: pending})
        if rel.one_to_one:
            if not model._base_manager.filter(**{name: existing}).exists():
                moved += rows.update(**{name: existing})
            continue
        try:
            with transaction.atomic():
                moved += rows.update(**{name: existing})
        except IntegrityError:
            for pk in list(rows.values_list("pk", flat=True)):
                try:
                    with transaction.atomic():
                        moved += model._base_manager.filter(pk=pk).update(**{name: existing})
                except IntegrityError:
                    model._base_manager.filter(pk=pk).delete()
    return moved


def _locked_open(clash_id: Any) -> EnterpriseClash:
    clash = EnterpriseClash.objects.select_for_update().filter(pk=clash_id).first()
    if clash is None:
        raise NotFound()
    if clash.status != ClashStatus.OPEN or clash.new_id is None:
        raise Conflict(_("This duplicate has already been resolved."))
    return clash


def _close(clash: EnterpriseClash, *, actor: User, status: str, taken: list[str], note: str) -> None:
    clash.status, clash.taken, clash.note = status, taken, note[:200]
    clash.resolved_by, clash.resolved_at = actor, timezone.now()
    clash.save(update_fields=["status", "taken", "note", "resolved_by", "resolved_at"])


def clash_merge(
    *, actor: User, clash_id: Any, take: list[str] | tuple[str, ...] = (), note: str = ""
) -> Enterprise:
    """Merge the pending enterprise into the existing one: the fields chosen in ``take`` (among the
    differences) take the new record's value, everything that refers to the new record moves over, the new
    record is removed. One audit event."""
    clash_get(viewer=actor, clash_id=clash_id)  # the permission and both records in the actor's scope
    with transaction.atomic():
        clash = _locked_open(clash_id)
        new = Enterprise.objects.select_for_update().get(pk=clash.new_id)  # type: ignore[misc]
        existing = Enterprise.objects.select_for_update().get(pk=clash.existing_id)
        allowed = {d.field for d in differences(new, existing, MERGE_FIELDS, lambda _n, v: shown(v))}
        unknown = sorted(set(take) - allowed)
        if unknown:
            raise ValidationFailed(
                fields={"take": [_("Not a difference of these records: %(f)s.") % {"f": ", ".join(unknown)}]}
            )
        taken = [name for name in MERGE_FIELDS if name in take]
        history = [
            EnterpriseChange(
                enterprise=existing,
                actor=actor,
                via="merge",
                field=name,
                before=shown(getattr(existing, name)),
                after=shown(getattr(new, name)),
            )
            for name in taken
        ]
        for name in taken:
            setattr(existing, name, getattr(new, name))
        if taken:
            existing.save()
        # The existing record's figures stay current; the new record's for the same years become history.
        years = AnnualReport.objects.filter(enterprise=existing, current=True).values("year")
        AnnualReport.objects.filter(enterprise=new, current=True, year__in=years).update(current=False)
        EnterpriseClash.objects.filter(existing=new).update(existing=existing)
        hooks = [(hook, hook.before(new)) for hook in MERGE_HOOKS]
        moved = move_related(new, existing, skip=(EnterpriseClash,))
        EnterpriseChange.objects.bulk_create(history)
        _close(clash, actor=actor, status=ClashStatus.MERGED, taken=taken, note=note)
        removed = new.pk
        new.delete()
        enterprises_changed([existing], taken)  # the talents it already employed follow what it took
        for hook, gathered in hooks:
            hook.after(existing, gathered)
        audit_record(
            actor=actor,
            action="clash.merge",
            object_type="enterprise",
            object_id=existing.pk,
            details={"clash": str(clash.pk), "removed": str(removed), "taken": taken, "rows_moved": moved},
        )
    return existing


def clash_keep_apart(*, actor: User, clash_id: Any, credit_code: str = "", note: str = "") -> Enterprise:
    """The two are different enterprises. Two enterprises cannot share a code: while the existing one (or any
    other) still holds the new record's code, the office enters the new record's right code here."""
    clash_get(viewer=actor, clash_id=clash_id)
    with transaction.atomic():
        clash = _locked_open(clash_id)
        new = Enterprise.objects.select_for_update().get(pk=clash.new_id)  # type: ignore[misc]
        holder = (
            Enterprise.objects.filter(credit_code=new.credit_code, pending_merge=False)
            .exclude(pk=new.pk)
            .first()
        )
        before = new.credit_code
        code = credit_code.strip().upper()
        if code:
            try:
                code = validate_credit_code(code)
            except ValidationError as exc:
                raise ValidationFailed(fields={"credit_code": list(exc.messages)}) from None
            taken = Enterprise.objects.filter(credit_code=code).exclude(pk=new.pk).first()
            if taken is not None:
                raise ValidationFailed(
                    fields={"credit_code": [_("Already on the platform: %(name)s.") % {"name": taken.name}]}
                )
            new.credit_code = code
        elif holder is not None:
            raise ValidationFailed(
                fields={
                    "credit_code": [
                        _("Two enterprises cannot share a credit code: enter the new record's right code.")
                    ]
                }
            )
        new.pending_merge = False
        new.save()
        if new.credit_code != before:
            EnterpriseChange.objects.create(
                enterprise=new,
                actor=actor,
                via="apart",
                field="credit_code",
                before=before,
                after=new.credit_code,
            )
        _close(clash, actor=actor, status=ClashStatus.KEPT_APART, taken=[], note=note)
        from .services import requests_attach  # noqa: PLC0415 (cycle: services check credit codes here)

        requests_attach([new])
        audit_record(
            actor=actor,
            action="clash.keep_apart",
            object_type="enterprise",
            object_id=new.pk,
            details={
                "clash": str(clash.pk),
                "existing": str(clash.existing_id),
                "code_changed": new.credit_code != before,
            },
        )
    return new
