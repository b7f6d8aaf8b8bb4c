"""Read by ``common/tests/test_scratch_bounds.py``: a hook the scratch app runs when the office merges a
pending enterprise record into the existing one (``enterprises.clashes.MERGE_HOOKS``)."""

from __future__ import annotations

from typing import Any

from talentcloud.enterprises.clashes import MergeHook
from talentcloud.enterprises.models import Enterprise

MERGED: list[tuple[str, Any]] = []


def _before(new: Enterprise) -> Any:
    return (new.pk, new.name)


def _after(existing: Enterprise, gathered: Any) -> None:
    MERGED.append((existing.name, gathered))


ENTERPRISE_MERGE_HOOKS = [MergeHook("scratchapp.merged", before=_before, after=_after)]
