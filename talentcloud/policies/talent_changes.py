"""What the policies app does when a talent's facts change (``talents.changes.CHANGE_HOOKS``): the talents
are noted for re-evaluation against every policy in force, which a worker does once the change commits
(``sweep.reevaluate``, ADR 0018)."""

from __future__ import annotations

from typing import Any

from talentcloud.talents.changes import ChangeHook

from .tasks import note_changes


def _noted(talent_ids: list[Any]) -> None:
    note_changes("talent", talent_ids)


TALENT_CHANGE_HOOKS = [ChangeHook(name="policies.reevaluate", after=_noted)]
