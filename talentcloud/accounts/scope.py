"""Data scope: which rows a viewer may see. Every list and detail selector calls ``scope_queryset``.

A scoped model declares where it sits in the organisation:

    class Talent(models.Model):
        scope_unit_paths = ("employer_park", "employer_street", "residence_street")
        scope_unit_kinds = {"employer_park": "park", "employer_street": "street", ...}
        scope_self_paths = ("account", "liaison")

A row is visible when any unit path points into the viewer's units, or any self path points to the
viewer. A model that declares neither is refused (fail closed), never shown in full. ``scope_unit_kinds``
(optional) names the kind of org unit a path points to: it is compared with the viewer's units of that kind
only, and left out when the viewer holds none, so a park's staff filter on one indexed column rather than
an OR of every path (ADR 0015). Paths are best columns of the row itself (a scope key copied onto it), so
that no scope predicate joins another table.

Writes are held to the same scope: a reference a write sets (an employer, a park, a street) must be one
the writer may choose (``reference_errors``), and a form offers only those (``scoped_choices``,
``place_choices``), so a park's staff can neither see nor name another park's records.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import reduce
from operator import or_
from typing import TYPE_CHECKING, Any, TypeVar

from django.core.exceptions import ImproperlyConfigured
from django.db.models import Model, Q, QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .enums import ScopeKind
from .models import OrgUnit, User

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

M = TypeVar("M", bound=Model)


@dataclass(frozen=True)
class Scope:
    everything: bool
    unit_ids: frozenset[int]
    own_records: bool
    unit_kinds: Mapping[int, str] = field(default_factory=dict)  # each of ``unit_ids``' kind

    def ids_of_kind(self, kind: str) -> frozenset[int]:
        return frozenset(pk for pk in self.unit_ids if self.unit_kinds.get(pk) == kind)

    @property
    def nothing(self) -> bool:
        return not self.everything and not self.unit_ids and not self.own_records


NO_SCOPE = Scope(everything=False, unit_ids=frozenset(), own_records=False)


def _units_below(units: list[OrgUnit]) -> dict[int, str]:
    """Id → kind of the given units and every unit below them."""
    if not units:
        return {}
    query = reduce(or_, (Q(path__startswith=unit.path) for unit in units))
    return dict(OrgUnit.objects.filter(query).values_list("id", "kind"))


def viewer_scope(viewer: User | AnonymousUser) -> Scope:
    """The union of the scopes of the viewer's roles (cached on the user object for the request)."""
    if viewer is None or not getattr(viewer, "is_authenticated", False) or not viewer.is_active:
        return NO_SCOPE
    cached: Scope | None = getattr(viewer, "_tc_scope", None)
    if cached is not None:
        return cached
    everything = False
    own = False
    unit_kinds: dict[int, str] = {}
    below: list[OrgUnit] = []
    for role in viewer._role_list():
        if role.scope == ScopeKind.ALL:
            everything = True
        elif role.scope == ScopeKind.SELF:
            own = True
        elif role.scope == ScopeKind.UNIT and viewer.unit is not None:
            unit_kinds[viewer.unit.pk] = viewer.unit.kind
        elif role.scope == ScopeKind.UNIT_AND_BELOW and viewer.unit is not None:
            below.append(viewer.unit)
        elif role.scope == ScopeKind.CUSTOM:
            below.extend(role.custom_units.all())
    unit_kinds |= _units_below(below)
    scope = Scope(
        everything=everything, unit_ids=frozenset(unit_kinds), own_records=own, unit_kinds=unit_kinds
    )
    viewer.__dict__["_tc_scope"] = scope  # on the instance: it lives as long as the request's user
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


def scope_filter(model: type[Model], viewer: User | AnonymousUser) -> Q | None:
    """The Q that limits ``model`` to the viewer's scope; None means no limit (scope "all")."""
    unit_paths: tuple[str, ...] | None = getattr(model, "scope_unit_paths", None)
    self_paths: tuple[str, ...] | None = getattr(model, "scope_self_paths", None)
    if unit_paths is None and self_paths is None:
        raise ImproperlyConfigured(f"{model.__name__} declares no scope_unit_paths or scope_self_paths")
    scope = viewer_scope(viewer)
    if scope.everything:
        return None
    conditions = [Q(pk__in=[])]
    kinds: Mapping[str, str] = getattr(model, "scope_unit_kinds", {})
    for path in unit_paths or () if scope.unit_ids else ():
        ids = scope.ids_of_kind(kinds[path]) if path in kinds else scope.unit_ids
        if ids:
            conditions.append(_condition(model, f"{path}__in", ids))
    if scope.own_records:
        conditions += [_condition(model, path, viewer.pk) for path in self_paths or ()]
    return reduce(or_, conditions)


def scope_queryset(qs: QuerySet[M], viewer: User | AnonymousUser) -> QuerySet[M]:
    condition = scope_filter(qs.model, viewer)
    return qs if condition is None else qs.filter(condition)


def in_scope(obj: Model, viewer: User | AnonymousUser) -> bool:
    """Whether ``viewer`` may see ``obj`` (the same rule as ``scope_queryset``)."""
    condition = scope_filter(type(obj), viewer)
    if condition is None:
        return True
    return type(obj)._default_manager.filter(condition, pk=obj.pk).exists()


def scoped_choices(qs: QuerySet[M], viewer: User | AnonymousUser, current: Any = None) -> QuerySet[M]:
    """The choices a form offers for a reference to a scoped model: what the viewer may see, plus the
    record's current value (so that saving a record without touching the field never fails)."""
    condition = scope_filter(qs.model, viewer)
    if condition is None:
        return qs
    if current is not None:
        condition |= Q(pk=current)
    return qs.filter(condition)


def _held_kinds(viewer: User | AnonymousUser) -> frozenset[str]:
    """The kinds of the units in the viewer's scope (cached on the user object, like the scope)."""
    cached: frozenset[str] | None = getattr(viewer, "_tc_held_kinds", None)
    if cached is not None:
        return cached
    kinds = frozenset(viewer_scope(viewer).unit_kinds.values())
    if viewer is not None and kinds:
        viewer.__dict__["_tc_held_kinds"] = kinds
    return kinds


def may_name_place(viewer: User | AnonymousUser, unit: OrgUnit) -> bool:
    """Whether ``viewer`` may name ``unit`` as a record's place (the rule of ``place_choices``)."""
    if not unit.is_active:
        return False
    scope = viewer_scope(viewer)
    if scope.everything:
        return True
    if unit.kind in _held_kinds(viewer):
        return unit.pk in scope.unit_ids
    return bool(scope.unit_ids) or scope.own_records


def place_choices(viewer: User | AnonymousUser, kind: str, current: Any = None) -> QuerySet[OrgUnit]:
    """The org units of ``kind`` (park, street) that ``viewer`` may name as a record's place.

    Scope "all": every active unit. A viewer who holds units of this kind (a park's staff for parks): only
    theirs (own unit and below, or chosen units). A viewer who holds none of this kind: every active unit,
    because parks and streets cross (a park's staff name the street an enterprise of their park is
    registered in; a street's staff the park their street's enterprise sits in); the record must still stay
    in their area (the service checks that). ``current``: the record's present value, always offered."""
    units = OrgUnit.objects.filter(kind=kind, is_active=True).order_by("sort_order", "path")
    scope = viewer_scope(viewer)
    if scope.everything:
        chosen = units
    elif kind in _held_kinds(viewer):
        chosen = units.filter(pk__in=scope.unit_ids)
    elif scope.unit_ids or scope.own_records:
        chosen = units
    else:
        chosen = units.none()
    if current is not None:
        chosen = OrgUnit.objects.filter(Q(pk__in=chosen.values("pk")) | Q(pk=current, kind=kind))
        chosen = chosen.order_by("sort_order", "path")
    return chosen


OUTSIDE_AREA: Promise = _("Outside your area: choose one from the list.")


def reference_errors(viewer: User | AnonymousUser, references: Mapping[str, Any]) -> dict[str, list[Any]]:
    """For each reference a write sets (field name → record or None), a field-level message when the
    writer may not set it: an org unit not in ``place_choices`` for its kind, or any other scoped record
    the writer cannot see. None (clearing the field) is not a reference. Services call this before they
    write, so pages, the API and imports get the same check."""
    errors: dict[str, list[Any]] = {}
    for name, value in references.items():
        if value is None:
            continue
        allowed = may_name_place(viewer, value) if isinstance(value, OrgUnit) else in_scope(value, viewer)
        if not allowed:
            errors[name] = [OUTSIDE_AREA]
    return errors


def keeps_in_scope(viewer: User | AnonymousUser, places: Mapping[str, Any]) -> bool:
    """Whether a record placed at ``places`` (org units or None) stays in the viewer's area: scope "all",
    or one of the places is among the viewer's units."""
    scope = viewer_scope(viewer)
    if scope.everything:
        return True
    return any(unit is not None and unit.pk in scope.unit_ids for unit in places.values())
