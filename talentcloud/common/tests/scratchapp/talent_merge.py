"""Read by ``common/tests/test_scratch_bounds.py``: a hook the scratch app runs when the office merges a
pending talent record into the existing one (``talents.clashes.MERGE_HOOKS``)."""

from __future__ import annotations

from typing import Any

from talentcloud.talents.clashes import TalentMergeHook
from talentcloud.talents.models import Talent

TALENTS_MERGED: list[tuple[str, Any]] = []


def _after(existing: Talent, actor: Any) -> None:
    TALENTS_MERGED.append((existing.name, actor.username))


TALENT_MERGE_HOOKS = [TalentMergeHook("scratchapp.talents_merged", after=_after)]
