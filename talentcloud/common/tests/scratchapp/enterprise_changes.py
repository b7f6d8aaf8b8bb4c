"""Read by ``common/tests/test_scratch_bounds.py``: a hook the scratch app runs when enterprises change
(``enterprises.changes.CHANGE_HOOKS``)."""

from __future__ import annotations

from talentcloud.enterprises.changes import ChangeHook
from talentcloud.enterprises.models import Enterprise

CHANGED: list[tuple[list[str], list[str]]] = []


def _after(enterprises: list[Enterprise], fields: frozenset[str]) -> None:
    CHANGED.append(([e.name for e in enterprises], sorted(fields)))


ENTERPRISE_CHANGE_HOOKS = [ChangeHook("scratchapp.changed", after=_after)]
