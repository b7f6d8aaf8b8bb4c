"""The one way an object under a workflow changes state (architecture.md, convention 4).

``transition`` moves one object: it looks the (state, action) pair up in the table, checks the actor's roles,
a stale revision, the input the action needs and its guard; then, in one transaction, runs the ``before``
effects (the fields the UPDATE writes), does a conditional UPDATE on (pk, state, revision) (zero rows:
someone else moved it, a conflict, never a silent overwrite), appends the timeline event, runs the ``after``
effects and writes the audit event. Anything an effect raises undoes all of it. Messages go out after the
commit (effects use ``transaction.on_commit`` or the notifications service, which does).

``bulk_transition`` moves a set (escalation, expiry) under the same table: only rows in a source state that
has the action, for a role the actor (or the system) holds there; one conditional UPDATE per chunk, the
timeline rows in bulk (for the system's sweeps, an ``INSERT … SELECT`` per chunk through the workflow's
``bulk_timeline``: no row is loaded into Python), the ``bulk_after`` effects with every moved row, and ONE
audit event with the counts per source state.
"""

from __future__ import annotations

import importlib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.db import connections, models, transaction
from django.db.models import Case as Choose
from django.db.models import F, Value, When
from django.utils import timezone

from talentcloud.audit.services import audit_record
from talentcloud.common.errors import Conflict, PermissionDenied, ValidationFailed
from talentcloud.common.registries import Declarations, app_modules, forgotten_with_apps

from .tables import (
    AFTER,
    BEFORE,
    BULK_AFTER,
    DECLARATION_MODULE,
    BulkStep,
    Effect,
    NotAllowed,
    Step,
    Transition,
    Workflow,
)

# ``WORKFLOW_EFFECTS = [...]`` in every installed app's ``workflow_effects.py``.
DECLARED: Declarations[Effect] = Declarations(DECLARATION_MODULE, "WORKFLOW_EFFECTS")
UPDATE_CHUNK = 5000  # ids per UPDATE of a set-based move (both databases' parameter limits allow it)


@forgotten_with_apps
@cache
def _installed_declarations() -> frozenset[str]:
    """The ``workflow_effects`` modules of the installed apps (importing them registers their decorators)."""
    return frozenset(module.__name__ for _label, module in app_modules(DECLARATION_MODULE))


def effects(workflow: Workflow, action: str, phase: str) -> list[Effect]:
    """The effects that run for ``action`` in ``phase`` now: the owner's (its ``effects_module``), then those
    the installed apps declare, in ``INSTALLED_APPS`` order of discovery."""
    if workflow.effects_module:
        importlib.import_module(workflow.effects_module)
    installed = _installed_declarations()
    found = [
        e
        for e in workflow.registered
        if e.action == action and e.phase == phase and (not e.declared_by_an_app or e.origin in installed)
    ]
    found += [
        e for e in DECLARED.items() if e.workflow is workflow and e.action == action and e.phase == phase
    ]
    return found


def allowed(workflow: Workflow, actor: Any, obj: Any) -> list[Transition]:
    """The actions the table allows this actor on this object now (what a page offers)."""
    state = getattr(obj, workflow.state_field)
    roles = set(workflow.roles_of(actor, obj))
    return [t for t in workflow.table if t.source == state and t.roles & roles]


def check_input(workflow: Workflow, transition: Transition, payload: dict[str, Any]) -> None:
    """Every input the action ``needs`` is given, and passes its check: else ValidationFailed by field."""
    errors: dict[str, list[Any]] = {}
    for name in transition.needs:
        value = payload.get(name)
        if value in (None, "") or (isinstance(value, str) and not value.strip()):
            errors[name] = [str(workflow.texts.required)]
        check = workflow.inputs.get(name)
        problem = check(value) if check is not None else None
        if problem:
            errors[name] = [problem]
    if errors:
        raise ValidationFailed(fields=errors)


def _state_label(workflow: Workflow, obj: Any) -> str:
    display = getattr(obj, f"get_{workflow.state_field}_display", None)
    return str(display()) if callable(display) else str(getattr(obj, workflow.state_field))


def transition(
    workflow: Workflow,
    *,
    actor: Any,
    obj: Any,
    action: str,
    expected_revision: int | None = None,
    **payload: Any,
) -> Any:
    """Apply ``action`` to ``obj`` if the table allows it for the actor now; otherwise change nothing and say
    why. ``expected_revision`` (from the page the user acted on) turns a stale page into a conflict. Returns
    ``obj`` with its new state, revision and the fields the effects wrote."""
    texts = workflow.texts
    state_field, revision_field = workflow.state_field, workflow.revision_field
    source = getattr(obj, state_field)
    row = workflow.by_key.get((source, action))
    if row is None:
        label = workflow.action_labels.get(action, action)
        raise NotAllowed(texts.not_allowed % {"action": label, "state": _state_label(workflow, obj)})
    if not row.roles & set(workflow.roles_of(actor, obj)):
        raise PermissionDenied(str(texts.denied))
    revision = getattr(obj, revision_field)
    if expected_revision is not None and expected_revision != revision:
        raise Conflict(str(texts.stale))
    check_input(workflow, row, payload)
    if row.guard is not None:
        problem = row.guard(obj)
        if problem:
            raise Conflict(problem)
    step = Step(workflow=workflow, transition=row, obj=obj, actor=actor, payload=payload)
    with transaction.atomic():
        changes: dict[str, Any] = {}
        for effect in effects(workflow, action, BEFORE):
            changes.update(effect.func(step) or {})
        stamp = {workflow.stamp_field: timezone.now()} if workflow.stamp_field else {}
        updated = workflow.model._default_manager.filter(
            pk=obj.pk, **{state_field: source, revision_field: revision}
        ).update(**{state_field: row.target, revision_field: F(revision_field) + 1, **stamp, **changes})
        if not updated:
            raise Conflict(str(texts.lost_race))
        for name, value in changes.items():
            setattr(obj, name, value)
        setattr(obj, state_field, row.target)
        setattr(obj, revision_field, revision + 1)
        event = workflow.timeline(
            obj, actor=actor, action=action, source=source, target=row.target, note=payload.get("note")
        )
        if event is not None:
            event.save()
        for effect in effects(workflow, action, AFTER):
            effect.func(step)
        audit_record(
            actor=actor,
            actor_username="" if actor is not None else "system",
            action=f"{workflow.audit_prefix}.{action}",
            object_type=workflow.audit_object,
            object_id=obj.pk,
            details={
                "from": source,
                "to": row.target,
                **(workflow.audit_details(obj) if workflow.audit_details else {}),
            },
        )
    return obj


@dataclass(frozen=True)
class BulkResult:
    count: int
    by_source: dict[str, int]
    ids: list[Any]


def bulk_transition(
    workflow: Workflow,
    *,
    actor: Any = None,
    queryset: models.QuerySet[Any],
    action: str,
    fields: dict[str, Any] | None = None,
    note: Any = "",
    audit_action: str | None = None,
) -> BulkResult:
    """Move every row of ``queryset`` that the table lets ``action`` move: rows in a source state with that
    action, for a role the actor holds on the row (``actor`` None: the system, holding ``system_role``). The
    rows are locked, moved by one conditional UPDATE per chunk of ``UPDATE_CHUNK`` ids (with ``fields``), each
    gets its timeline row (``note``: text, an SQL expression over the row, or ``note(obj)`` per row), the
    ``bulk_after`` effects run with every moved row, and one audit event (``<prefix>.<action>_sweep`` unless
    ``audit_action``) records the count per source state. Nothing in the set moves: nothing is written (not
    even the audit event).

    Set-based where it can be: when the system moves the rows (no per-row role to check), the note is not a
    per-row Python callable and the workflow has a ``bulk_timeline``, no row is loaded: the ids and states are
    read once, and each chunk is one ``INSERT … SELECT`` of its timeline rows and one UPDATE. Otherwise the
    rows are loaded and their timeline objects bulk-created.

    A row-by-row effect cannot run here: an action with ``before``/``after`` effects needs a ``bulk_after``
    one, an action with a guard or needed input is refused (move those one at a time)."""
    fields = dict(fields or {})
    rows = workflow.rows(action)
    if not rows:
        raise ValueError(f"workflow {workflow.name} has no action {action!r}")
    if any(t.guard is not None or t.needs for t in rows):
        raise ValueError(f"{workflow.name}.{action} has a guard or needs input: move one at a time")
    row_effects = effects(workflow, action, BEFORE) + effects(workflow, action, AFTER)
    bulk_effects = effects(workflow, action, BULK_AFTER)
    if row_effects and not bulk_effects:
        raise ValueError(f"{workflow.name}.{action} has row effects and no bulk_after effect")
    if actor is None:
        rows = [t for t in rows if workflow.system_role in t.roles]
        if not rows:
            raise PermissionDenied(str(workflow.texts.denied))
    by_source = {t.source: t for t in rows}
    state_field, revision_field = workflow.state_field, workflow.revision_field
    note_in_sql = hasattr(note, "resolve_expression")
    set_based = actor is None and workflow.bulk_timeline is not None and (note_in_sql or not callable(note))
    with transaction.atomic():
        # Locked in id order: two sweeps at once take their locks in the same order (no deadlock), and the
        # second re-reads the rows once the first commits (they no longer match).
        matching = (
            queryset.filter(**{f"{state_field}__in": list(by_source)})
            .select_for_update(of=("self",))
            .order_by("pk")
        )
        candidates: list[Any] | None = None
        if set_based:
            pairs = list(matching.values_list("pk", state_field))
        else:
            candidates = list(matching.annotate(_bulk_note=note) if note_in_sql else matching)
            if actor is not None:
                candidates = [
                    obj
                    for obj in candidates
                    if by_source[getattr(obj, state_field)].roles & set(workflow.roles_of(actor, obj))
                ]
            pairs = [(obj.pk, getattr(obj, state_field)) for obj in candidates]
        if not pairs:
            return BulkResult(0, {}, [])
        sources = Counter(str(state) for _pk, state in pairs)
        targets = {by_source[s].target for s in sources}
        new_state: Any = (
            Value(next(iter(targets)))
            if len(targets) == 1
            else Choose(
                *(When(**{state_field: s}, then=Value(by_source[s].target)) for s in sources),
                output_field=models.CharField(),
            )
        )
        timeline = _bulk_timeline(workflow, actor, action, new_state, note) if set_based else None
        stamp = {workflow.stamp_field: timezone.now()} if workflow.stamp_field else {}
        ids = [pk for pk, _state in pairs]
        manager = workflow.model._default_manager
        updated = 0
        for start in range(0, len(ids), UPDATE_CHUNK):
            chunk = manager.filter(
                pk__in=ids[start : start + UPDATE_CHUNK], **{f"{state_field}__in": list(sources)}
            )
            if timeline is not None:  # before the UPDATE: the rows still hold their source state
                _insert_select(*timeline, chunk)
            updated += chunk.update(
                **{state_field: new_state, revision_field: F(revision_field) + 1, **stamp, **fields}
            )
        if updated != len(ids):  # the rows are locked (PostgreSQL) or the database is (SQLite): a bug if seen
            raise Conflict(str(workflow.texts.lost_race))
        if candidates is not None:
            _timeline_objects(workflow, actor, action, candidates, by_source, {**stamp, **fields}, note)
        step = BulkStep(
            workflow=workflow,
            action=action,
            actor=actor,
            ids=ids,
            by_source=dict(sources),
            fields=fields,
            loaded=candidates,
        )
        for effect in bulk_effects:
            effect.func(step)
        audit_record(
            actor=actor,
            actor_username="" if actor is not None else "system",
            action=audit_action or f"{workflow.audit_prefix}.{action}_sweep",
            object_type=workflow.audit_object,
            details={"count": len(ids), "from": dict(sources)},
        )
    return BulkResult(len(ids), dict(sources), ids)


def _bulk_timeline(
    workflow: Workflow, actor: Any, action: str, target: Any, note: Any
) -> tuple[type[models.Model], dict[str, Any]]:
    assert workflow.bulk_timeline is not None
    return workflow.bulk_timeline(
        actor=actor, action=action, source=F(workflow.state_field), target=target, note=note
    )


def _insert_select(model: type[models.Model], values: dict[str, Any], rows: models.QuerySet[Any]) -> None:
    """``INSERT INTO <model> (<fields>) SELECT <expressions> FROM <rows>``: one statement, no row read."""
    names = {f"bulk_{i}": expression for i, expression in enumerate(values.values())}
    select = rows.order_by().annotate(**names).values_list(*names)
    sql, params = select.query.get_compiler(using=select.db).as_sql()
    connection = connections[select.db]
    quote = connection.ops.quote_name
    fields = [model._meta.get_field(name) for name in values]
    columns = [quote(field.column) for field in fields if isinstance(field, models.Field) and field.column]
    if len(columns) != len(values):
        raise ValueError(f"{model.__name__}: a timeline value names no column")
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(columns)}) {sql}", params)


def _timeline_objects(
    workflow: Workflow,
    actor: Any,
    action: str,
    candidates: list[Any],
    by_source: dict[str, Any],
    written: dict[str, Any],
    note: Any,
) -> None:
    """The timeline rows of loaded rows: one object each (the note per row where it is a callable or an
    expression read with the rows), bulk-created; the objects get their new state and fields."""
    state_field, revision_field = workflow.state_field, workflow.revision_field
    if hasattr(note, "resolve_expression"):
        write_note: Callable[[Any], Any] = lambda obj: obj._bulk_note  # noqa: E731
    else:
        write_note = note if callable(note) else (lambda _obj: note)
    events: dict[type[models.Model], list[models.Model]] = {}
    for obj in candidates:
        source = getattr(obj, state_field)
        target = by_source[source].target
        for name, value in written.items():
            setattr(obj, name, value)
        setattr(obj, state_field, target)
        setattr(obj, revision_field, getattr(obj, revision_field) + 1)
        event = workflow.timeline(
            obj, actor=actor, action=action, source=source, target=target, note=write_note(obj)
        )
        if event is not None:
            events.setdefault(type(event), []).append(event)
    for model, batch in events.items():
        model._default_manager.bulk_create(batch, batch_size=2000)


__all__ = [
    "BulkResult",
    "NotAllowed",
    "allowed",
    "bulk_transition",
    "check_input",
    "effects",
    "transition",
]
