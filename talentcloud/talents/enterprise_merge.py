"""What the talent archive does when the office merges two enterprise records (``enterprises.clashes``):
the talents employed by the removed record now work for the kept one (moved by an UPDATE of their
employer), so they take its park and street as scope keys and its name in their search tokens."""

from __future__ import annotations

from typing import Any

from talentcloud.enterprises.clashes import MergeHook
from talentcloud.enterprises.models import Enterprise

from .enterprise_changes import places_follow, tokens_refresh
from .models import Talent


def _employed(new: Enterprise) -> list[Any]:
    return list(new.talents.values_list("pk", flat=True))


def _moved_follow(existing: Enterprise, moved: list[Any]) -> None:
    if not moved:
        return
    places_follow([existing.pk])
    tokens_refresh(Talent.objects.filter(pk__in=moved))


ENTERPRISE_MERGE_HOOKS = [MergeHook("talents.search_tokens", before=_employed, after=_moved_follow)]
