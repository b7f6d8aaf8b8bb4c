"""App-owned declarations, discovered the way Django discovers ``admin.py`` (architecture.md, rule 12).

A mechanism in a low layer (the audit log's action names, the sidebar, retention, notices, metrics, …) never
lists what the apps above it contribute. Each app declares its own in a module of an agreed name, and the
mechanism collects them::

    RETENTION = Declarations("retention", "RETENTION_RULES")   # every installed app's retention.py
    for rule in RETENTION.items(): ...

``items()`` imports ``<app>.<module>`` for every installed app, in ``INSTALLED_APPS`` order, and concatenates
the named attribute (a list, tuple or dict's values; a dict's keys must not clash across apps). An app without
the module contributes nothing; an error *inside* the module is raised, never swallowed. The result is cached
and forgotten when ``INSTALLED_APPS`` changes (a test enabling a scratch app sees its declarations).
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from types import ModuleType
from typing import Any, Generic, Protocol, TypeVar

from django.apps import apps
from django.core.signals import setting_changed
from django.dispatch import receiver

T = TypeVar("T")


class Clearable(Protocol):
    def cache_clear(self) -> None: ...


C = TypeVar("C", bound=Clearable)

_ALL: list[Declarations[Any]] = []


def app_modules(module: str) -> Iterator[tuple[str, ModuleType]]:
    """(app label, module) for every installed app that has ``<app>.<module>`` (dotted: ``tests.doors``)."""
    for config in apps.get_app_configs():
        name = f"{config.name}.{module}"
        try:
            found = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name is None or not (name == exc.name or name.startswith(exc.name + ".")):
                raise  # a module the app's declarations import is missing: say so
            continue
        yield config.label, found


class Declarations(Generic[T]):
    """Everything the installed apps declare as ``attribute`` in their ``module``."""

    def __init__(self, module: str, attribute: str) -> None:
        self.module = module
        self.attribute = attribute
        self._items: list[T] | None = None
        self._by_app: dict[str, list[T]] | None = None
        _ALL.append(self)

    def by_app(self) -> dict[str, list[T]]:
        if self._by_app is None:
            found: dict[str, list[T]] = {}
            for label, module in app_modules(self.module):
                declared = getattr(module, self.attribute, None)
                if declared is None:
                    continue
                if isinstance(declared, dict):
                    declared = list(declared.values())
                found[label] = list(declared)
            self._by_app = found
        return self._by_app

    def items(self) -> list[T]:
        if self._items is None:
            self._items = [item for items in self.by_app().values() for item in items]
        return self._items

    def __iter__(self) -> Iterator[T]:
        return iter(self.items())

    def forget(self) -> None:
        self._items = None
        self._by_app = None


def keyed(module: str, attribute: str) -> dict[str, Any]:
    """The union of every app's ``attribute`` dict in ``module``; a key declared by two apps is an error."""
    merged: dict[str, Any] = {}
    owner: dict[str, str] = {}
    for label, found in app_modules(module):
        for key, value in (getattr(found, attribute, None) or {}).items():
            if key in merged:
                raise ValueError(f"{module}.{attribute}: {key!r} declared by both {owner[key]} and {label}")
            merged[key] = value
            owner[key] = label
    return merged


_CACHES: list[Clearable] = []


def forgotten_with_apps(func: C) -> C:
    """Decorator for a mechanism's own ``functools.cache``d reader of declarations: cleared with the rest
    when ``INSTALLED_APPS`` changes. Put it above ``@cache``."""
    _CACHES.append(func)
    return func


def forget_all() -> None:
    for declarations in _ALL:
        declarations.forget()
    for cached in _CACHES:
        cached.cache_clear()


@receiver(setting_changed)
def _installed_apps_changed(*, setting: str, **_: Any) -> None:
    if setting == "INSTALLED_APPS":
        forget_all()
