"""Hooks an app above this one runs when enterprises change (``ENTERPRISE_CHANGE_HOOKS``).

Enterprises are the lowest domain app: what a change means for the rows of an app above (the talents an
enterprise employs carry its park and street as scope keys, and its name in their search tokens) is declared
by that app in its own ``enterprise_changes.py`` and run here, inside the writing service's transaction, by
every service that changes an enterprise's fields (the staff edit, the Excel import, a clash merge).
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass

from talentcloud.common.registries import Declarations

from .models import Enterprise


@dataclass(frozen=True)
class ChangeHook:
    """``after(enterprises, fields)``: the enterprises have been saved with new values of ``fields`` (one or
    more of the enterprise's field names). It should be set-based: an import changes thousands at once."""

    name: str
    after: Callable[[list[Enterprise], frozenset[str]], None]


CHANGE_HOOKS: Declarations[ChangeHook] = Declarations("enterprise_changes", "ENTERPRISE_CHANGE_HOOKS")


def enterprises_changed(enterprises: Collection[Enterprise], fields: Collection[str]) -> None:
    """Run every declared hook for ``enterprises`` whose ``fields`` changed (nothing when either is empty)."""
    if not enterprises or not fields:
        return
    for hook in CHANGE_HOOKS:
        hook.after(list(enterprises), frozenset(fields))
