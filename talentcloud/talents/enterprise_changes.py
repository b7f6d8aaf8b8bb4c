"""What the talent archive does when enterprises change (``enterprises.changes.CHANGE_HOOKS``): the talents
an enterprise employs carry its park and street as scope keys (``Talent.employer_park``, ``employer_street``)
and its name in their search tokens. A move to another park moves its talents with it in one UPDATE; a rename
recomputes their tokens in chunks (one ``bulk_update`` per thousand, never a save per row)."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from django.db.models import OuterRef, QuerySet, Subquery

from talentcloud.enterprises.changes import ChangeHook
from talentcloud.enterprises.models import Enterprise

from .models import Talent
from .search import talent_tokens

CHUNK = 1000
TOKEN_SOURCES = frozenset({"name"})  # what of an enterprise its talents' search tokens hold
PLACES = frozenset({"park", "street"})


def places_follow(employer_ids: Collection[Any]) -> int:
    """Copy each employer's park and street onto the talents it employs: one UPDATE per thousand employers,
    the values read by a subquery inside the database."""
    ids = list(employer_ids)
    moved = 0
    for start in range(0, len(ids), CHUNK):
        employer = Enterprise.objects.filter(pk=OuterRef("employer_id"))
        moved += Talent.objects.filter(employer_id__in=ids[start : start + CHUNK]).update(
            employer_park=Subquery(employer.values("park_id")[:1]),
            employer_street=Subquery(employer.values("street_id")[:1]),
        )
    return moved


def tokens_refresh(talents: QuerySet[Talent]) -> int:
    """Recompute the search tokens of ``talents`` from their current name, post, employer and chain: a
    thousand rows read and written back per statement."""
    pks = list(talents.order_by().values_list("pk", flat=True))
    for start in range(0, len(pks), CHUNK):
        rows = list(
            Talent.objects.select_related("employer", "chain")
            .only("id", "name", "post", "employer", "chain", "employer__name", "chain__name")
            .filter(pk__in=pks[start : start + CHUNK])
        )
        for talent in rows:
            talent.search_tokens = talent_tokens(talent)
        Talent.objects.bulk_update(rows, ["search_tokens"])
    return len(pks)


def _employees_follow(enterprises: list[Enterprise], fields: frozenset[str]) -> None:
    ids = [e.pk for e in enterprises]
    if fields & PLACES:
        places_follow(ids)
    if fields & TOKEN_SOURCES:
        tokens_refresh(Talent.objects.filter(employer_id__in=ids))


ENTERPRISE_CHANGE_HOOKS = [ChangeHook("talents.scope_keys_and_tokens", after=_employees_follow)]
