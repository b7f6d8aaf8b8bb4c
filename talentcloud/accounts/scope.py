"""Data scope: which rows a viewer may see. Every list and detail selector calls ``scope_queryset``.

A scoped model declares where it sits in the organisation:

    class Talent(models.Model):
        scope_unit_paths = ("employer__park", "employer__street", "residence_street")
        scope_self_paths = ("account", "liaison")

A row is visible when any unit path points into the viewer's units, or any self path points to the
viewer. A model that declares neither is refused (fail closed), never shown in full.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import reduce
from operator import or_
from typing import Any, TypeVar

from django.core.exceptions import ImproperlyConfigured
from django.db.models import Model, Q, QuerySet

from .enums import ScopeKind
from .models import OrgUnit

M = TypeVar("M", bound=Model)


@dataclass(frozen=True)
class Scope:
    everything: bool
    unit_ids: frozenset[int]
    own_records: bool

    @property
    def nothing(self) -> bool:
        return not self.everything and not self.unit_ids and not self.own_records


NO_SCOPE = Scope(everything=False, unit_ids=frozenset(), own_records=False)


def _units_below(units: list[OrgUnit]) -> set[int]:
    if not units:
        return set()
    query = reduce(or_, (Q(path__startswith=unit.path) for unit in units))
    return set(OrgUnit.objects.filter(query).values_list("id", flat=True))


def viewer_scope(viewer: Any) -> Scope:
    """The union of the scopes of the viewer's roles (cached on the user object for the request)."""
    if viewer is None or not getattr(viewer, "is_authenticated", False) or not viewer.is_active:
        return NO_SCOPE
    cached: Scope | None = getattr(viewer, "_tc_scope", None)
    if cached is not None:
        return cached
    everything = False
    own = False
    unit_ids: set[int] = set()
    below: list[OrgUnit] = []
    for role in viewer._role_list():
        if role.scope == ScopeKind.ALL:
            everything = True
        elif role.scope == ScopeKind.SELF:
            own = True
        elif role.scope == ScopeKind.UNIT and viewer.unit_id:
            unit_ids.add(viewer.unit_id)
        elif role.scope == ScopeKind.UNIT_AND_BELOW and viewer.unit is not None:
            below.append(viewer.unit)
        elif role.scope == ScopeKind.CUSTOM:
            below.extend(role.custom_units.all())
    unit_ids |= _units_below(below)
    scope = Scope(everything=everything, unit_ids=frozenset(unit_ids), own_records=own)
    viewer._tc_scope = scope
    return scope


def _condition(model: type[Model], lookup: str, value: Any) -> Q:
    """``lookup`` (a path plus an optional ``__in``) matches ``value``. Across a one-to-many or many-to-many
    relation a join would repeat rows (OR-ed with the other paths), so such a path becomes a subquery on
    the primary key."""
    current: Any = model
    for name in lookup.removesuffix("__in").split("__"):
        field = current._meta.get_field(name)
        if field.one_to_many or field.many_to_many:
            return Q(pk__in=model._default_manager.filter(**{lookup: value}).values("pk"))
        current = field.related_model
        if current is None:
            break
    return Q(**{lookup: value})


def scope_filter(model: type[Model], viewer: Any) -> Q | None:
    """The Q that limits ``model`` to the viewer's scope; None means no limit (scope "all")."""
    unit_paths: tuple[str, ...] | None = getattr(model, "scope_unit_paths", None)
    self_paths: tuple[str, ...] | None = getattr(model, "scope_self_paths", None)
    if unit_paths is None and self_paths is None:
        raise ImproperlyConfigured(f"{model.__name__} declares no scope_unit_paths or scope_self_paths")
    scope = viewer_scope(viewer)
    if scope.everything:
        return None
    conditions = [Q(pk__in=[])]
    if scope.unit_ids:
        conditions += [_condition(model, f"{path}__in", scope.unit_ids) for path in unit_paths or ()]
    if scope.own_records:
        conditions += [_condition(model, path, viewer.pk) for path in self_paths or ()]
    return reduce(or_, conditions)


def scope_queryset(qs: QuerySet[M], viewer: Any) -> QuerySet[M]:
    condition = scope_filter(qs.model, viewer)
    return qs if condition is None else qs.filter(condition)
