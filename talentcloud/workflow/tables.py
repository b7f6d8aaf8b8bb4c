"""What a workflow is: a declared table bound to a model, and the effects registered on its actions.

A table is a tuple of ``Transition`` rows, one per (source state, action): the new state, the roles that may
take it, its label, the input it needs and a guard. A ``Workflow`` binds a table to a model (its state and
revision fields), says how to find an actor's roles on an object (``roles_of``, supplied by the owning app),
how to write a timeline event, and what the audit events are called. It writes nothing itself: the engine
(``engine.transition`` / ``engine.bulk_transition``) does.

Effects are registered per (workflow, action, phase), never written as an ``if action ==`` ladder::

    @CASES.before("submit")          # returns the fields the conditional UPDATE writes with the new state
    def number_and_quota(step: Step) -> dict[str, Any]: ...

    @CASES.after("submit")           # related rows, messages (sent after the commit), in the same transaction
    def tell_the_department(step: Step) -> None: ...

    @CASES.bulk_after("escalate")    # a set-based move: receives every moved row at once
    def escalation_messages(step: BulkStep) -> None: ...

The owning app names the module holding its own effects (``effects_module``); the engine imports it before the
first move. Another app adds effects to a table it does not own in its ``workflow_effects.py`` (decorators as
above, or ``WORKFLOW_EFFECTS = [CASES.effect("submit", AFTER, func)]``); those count only while that app is
installed, and the owner never imports them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy

from talentcloud.common.errors import Conflict

BEFORE, AFTER, BULK_AFTER = "before", "after", "bulk_after"
PHASES = (BEFORE, AFTER, BULK_AFTER)
DECLARATION_MODULE = "workflow_effects"  # an app's effects on tables it does not own


class NotAllowed(Conflict):
    """The action does not exist from the object's current state (a conflict with the object as it is now)."""

    code = "not_allowed"


@dataclass(frozen=True)
class Transition:
    """One row of a table: ``action`` from ``source`` leads to ``target``, for these ``roles``."""

    action: str
    source: str
    target: str
    roles: frozenset[str]
    label: Any
    needs: tuple[str, ...] = ()  # input the action requires (checked before anything changes)
    guard: Callable[[Any], str | None] | None = field(default=None, compare=False)


def row(action: str, source: str, target: str, roles: Iterable[str], label: Any, **kw: Any) -> Transition:
    """A table row, written the way a table reads:
    ``row("submit", DRAFT, SUBMITTED, {APPLICANT}, _("Submit"))``."""
    return Transition(action, str(source), str(target), frozenset(roles), label, **kw)


@dataclass
class Step:
    """One transition under way, as its effects see it. ``payload`` is the caller's input (a ``before``
    effect may leave something in it for an ``after`` effect); ``obj`` carries the new state once the UPDATE
    is done."""

    workflow: Workflow
    transition: Transition
    obj: Any
    actor: Any
    payload: dict[str, Any]

    @property
    def action(self) -> str:
        return self.transition.action

    @property
    def source(self) -> str:
        return self.transition.source


@dataclass
class BulkStep:
    """A set-based move as its ``bulk_after`` effects see it: the ids of the rows moved, how many came from
    each source state and the ``fields`` written. ``moved`` is those rows as a queryset (for an effect that
    works set-based: an aggregate, an UPDATE); ``objects`` loads them, with the new state and ``fields`` set
    (the rows a move loaded to check the actor's roles, or read on first use)."""

    workflow: Workflow
    action: str
    actor: Any
    ids: list[Any]
    by_source: dict[str, int]
    fields: dict[str, Any]
    loaded: list[Any] | None = None

    @property
    def moved(self) -> models.QuerySet[Any]:
        return self.workflow.model._default_manager.filter(pk__in=self.ids)

    @property
    def objects(self) -> list[Any]:
        if self.loaded is None:
            manager = self.workflow.model._default_manager
            self.loaded = [
                obj
                for start in range(0, len(self.ids), 5000)
                for obj in manager.filter(pk__in=self.ids[start : start + 5000])
            ]
        return self.loaded


@dataclass(frozen=True)
class Effect:
    workflow: Workflow = field(compare=False)
    action: str
    phase: str
    func: Callable[[Any], Any]
    origin: str  # the module that registered it

    @property
    def declared_by_an_app(self) -> bool:
        """Registered in some app's ``workflow_effects`` module: counts only while that app is installed."""
        return self.origin.rsplit(".", 1)[-1] == DECLARATION_MODULE


_NOT_ALLOWED = gettext_lazy("“%(action)s” is not possible in the state “%(state)s”.")
_DENIED = gettext_lazy("You may not do this.")
_STALE = gettext_lazy("This changed since you opened it; reload the page and try again.")
_LOST_RACE = gettext_lazy("Someone else changed this just now; reload it and try again.")
_REQUIRED = gettext_lazy("Required for this action.")


@dataclass(frozen=True)
class Texts:
    """What the engine says when it refuses (the owner may word it for its objects). ``not_allowed`` takes
    ``%(action)s`` and ``%(state)s``."""

    not_allowed: Any = _NOT_ALLOWED
    denied: Any = _DENIED
    stale: Any = _STALE
    lost_race: Any = _LOST_RACE
    required: Any = _REQUIRED


Timeline = Callable[..., models.Model | None]
# ``bulk_timeline(actor=, action=, source=, target=, note=)`` -> (timeline model, {field: expression}).
BulkTimeline = Callable[..., tuple[type[models.Model], dict[str, Any]]]


class Workflow:
    """A table bound to a model. ``roles_of(actor, obj)`` gives the actor's roles on ``obj`` (``actor`` None
    is the system, which holds ``system_role``); ``timeline(obj, actor=, action=, source=, target=, note=)``
    returns the unsaved timeline row of a move (or None); ``inputs`` maps an input name to a check returning a
    problem or None (run for every action that ``needs`` it); ``audit_details(obj)`` adds to each move's audit
    event; ``stamp_field`` is set to now by every move.

    ``bulk_timeline`` lets a set-based move write its timeline rows in the database, one ``INSERT … SELECT``
    per chunk, instead of one object per row: ``bulk_timeline(actor=, action=, source=, target=, note=)``
    receives SQL expressions over the moved rows (``source``: the row's state before the move, ``target``: its
    new state; ``note``: an expression, or the constant the caller gave) and returns the timeline's model and
    the value of each of its fields as an expression over the workflow's model (``F("pk")`` for the link)."""

    def __init__(
        self,
        *,
        name: str,
        model: type[models.Model],
        table: Iterable[Transition],
        roles_of: Callable[[Any, Any], Iterable[str]],
        timeline: Timeline,
        audit_object: str,
        audit_prefix: str | None = None,
        state_field: str = "state",
        revision_field: str = "revision",
        stamp_field: str | None = None,
        system_role: str = "system",
        initial: str | None = None,
        inputs: dict[str, Callable[[Any], Any]] | None = None,
        audit_details: Callable[[Any], dict[str, Any]] | None = None,
        action_labels: dict[str, Any] | None = None,
        texts: Texts | None = None,
        effects_module: str | None = None,
        bulk_timeline: BulkTimeline | None = None,
    ) -> None:
        self.name = name
        self.model = model
        self.table: tuple[Transition, ...] = tuple(table)
        self.by_key: dict[tuple[str, str], Transition] = {(t.source, t.action): t for t in self.table}
        if len(self.by_key) != len(self.table):
            raise ValueError(f"workflow {name}: one row per (state, action)")
        self.roles_of = roles_of
        self.timeline = timeline
        self.audit_object = audit_object
        self.audit_prefix = audit_prefix or audit_object
        self.state_field = state_field
        self.revision_field = revision_field
        self.stamp_field = stamp_field
        self.system_role = system_role
        self.initial = initial
        self.inputs = dict(inputs or {})
        self.audit_details = audit_details
        self.action_labels = {**{t.action: t.label for t in self.table}, **(action_labels or {})}
        self.texts = texts or Texts()
        self.effects_module = effects_module
        self.bulk_timeline = bulk_timeline
        self.registered: list[Effect] = []

    def __repr__(self) -> str:
        return f"<Workflow {self.name}>"

    @property
    def actions(self) -> set[str]:
        return {t.action for t in self.table}

    def rows(self, action: str) -> list[Transition]:
        return [t for t in self.table if t.action == action]

    def states(self) -> list[str]:
        """Every state the table names, in the order it first names them (the initial state first)."""
        seen: dict[str, None] = dict.fromkeys([self.initial] if self.initial else [])
        for t in self.table:
            seen.setdefault(t.source)
            seen.setdefault(t.target)
        return list(seen)

    def _check(self, action: str, phase: str) -> None:
        if action not in self.actions:
            raise ValueError(f"workflow {self.name} has no action {action!r}")
        if phase not in PHASES:
            raise ValueError(f"no phase {phase!r} (one of {', '.join(PHASES)})")

    def effect(self, action: str, phase: str, func: Callable[[Any], Any]) -> Effect:
        """An effect, not registered: for an app's ``WORKFLOW_EFFECTS = [...]`` list."""
        self._check(action, phase)
        return Effect(self, action, phase, func, getattr(func, "__module__", "") or "")

    def _register(self, action: str, phase: str) -> Callable[[Callable[[Any], Any]], Callable[[Any], Any]]:
        self._check(action, phase)

        def register(func: Callable[[Any], Any]) -> Callable[[Any], Any]:
            self.registered.append(self.effect(action, phase, func))
            return func

        return register

    def before(self, action: str) -> Callable[[Callable[[Any], Any]], Callable[[Any], Any]]:
        """Register ``func(step) -> dict`` (fields the UPDATE writes) for ``action``, before the UPDATE."""
        return self._register(action, BEFORE)

    def after(self, action: str) -> Callable[[Callable[[Any], Any]], Callable[[Any], Any]]:
        """Register ``func(step)`` for ``action``, after the UPDATE and the timeline row, in the same
        transaction."""
        return self._register(action, AFTER)

    def bulk_after(self, action: str) -> Callable[[Callable[[Any], Any]], Callable[[Any], Any]]:
        """Register ``func(bulk_step)`` for a set-based move of ``action`` (``bulk_transition``)."""
        return self._register(action, BULK_AFTER)
