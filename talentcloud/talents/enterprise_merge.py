"""What the talent archive does when the office merges two enterprise records (``enterprises.clashes``):
the talents employed by the removed record now work for the kept one, whose name their search tokens must
carry."""

from __future__ import annotations

from typing import Any

from talentcloud.enterprises.clashes import MergeHook
from talentcloud.enterprises.models import Enterprise

from .models import Talent
from .search import talent_tokens


def _employed(new: Enterprise) -> list[Any]:
    return list(new.talents.values_list("pk", flat=True))


def _tokens_renewed(existing: Enterprise, moved: list[Any]) -> None:
    if not moved:
        return
    talents = list(Talent.objects.select_related("employer", "chain").filter(pk__in=moved))
    for talent in talents:
        talent.search_tokens = talent_tokens(talent)
    Talent.objects.bulk_update(talents, ["search_tokens"])


ENTERPRISE_MERGE_HOOKS = [MergeHook("talents.search_tokens", before=_employed, after=_tokens_renewed)]
