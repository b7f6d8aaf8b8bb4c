"""What the audit log's codes mean to a reader: action labels and object names, declared by each app.

Every app that writes audit events declares, in its own ``audit.py``::

    AUDIT_ACTIONS = {"case.accept": _("Accepted a case"), ...}
    AUDIT_OBJECTS = {"case": ObjectKind(_("Case"), names=..., url_name="servicehall:case", perm=...)}

The audit app discovers these modules the first time a label is asked for (``common/registries.py``; a code
declared by two apps is an error). An action nobody declared is shown
by its code; an object type nobody declared by its type and id.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise

from talentcloud.common.access import has_perm
from talentcloud.common.registries import forgotten_with_apps, keyed

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser
    from django.contrib.auth.models import AnonymousUser

Label = str | Promise


@dataclass(frozen=True)
class ObjectKind:
    """How to name objects of one type: ``label`` for the type, ``names(ids)`` -> {id: name} for a page of
    ids at once (unknown ids left out), and a link ``url_name`` (reversed with the id) shown only to a viewer
    holding ``perm`` (the page itself still checks scope)."""

    label: Label
    names: Callable[[list[str]], dict[str, str]] | None = None
    url_name: str = ""
    perm: str = ""


@dataclass(frozen=True)
class Registry:
    actions: dict[str, Label]
    objects: dict[str, ObjectKind]


@forgotten_with_apps
@cache
def registry() -> Registry:
    return Registry(actions=keyed("audit", "AUDIT_ACTIONS"), objects=keyed("audit", "AUDIT_OBJECTS"))


def action_label(code: str) -> str:
    label = registry().actions.get(code)
    return str(label) if label is not None else code


def object_type_label(object_type: str) -> str:
    kind = registry().objects.get(object_type)
    return str(kind.label) if kind is not None else object_type


@dataclass(frozen=True)
class ObjectRef:
    type_label: str
    name: str
    url: str


def object_refs(
    *, viewer: AbstractBaseUser | AnonymousUser, events: Iterable[Any]
) -> dict[tuple[str, str], ObjectRef]:
    """(object_type, object_id) -> how to show it, for a page of events: one query per object type."""
    wanted: dict[str, set[str]] = {}
    for event in events:
        if event.object_type and event.object_id:
            wanted.setdefault(event.object_type, set()).add(event.object_id)
    refs: dict[tuple[str, str], ObjectRef] = {}
    for object_type, ids in wanted.items():
        kind = registry().objects.get(object_type)
        if kind is None:
            for object_id in ids:
                refs[object_type, object_id] = ObjectRef(object_type, object_id, "")
            continue
        names = kind.names(sorted(ids)) if kind.names else {}
        may_open = bool(kind.url_name) and (not kind.perm or has_perm(viewer, kind.perm))
        for object_id in ids:
            url = ""
            if may_open and object_id in names:
                try:
                    url = reverse(kind.url_name, args=[object_id])
                except NoReverseMatch:
                    url = ""
            refs[object_type, object_id] = ObjectRef(str(kind.label), names.get(object_id, object_id), url)
    return refs
