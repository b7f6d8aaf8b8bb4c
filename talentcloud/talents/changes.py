"""What follows when a talent's facts change (``TALENT_CHANGE_HOOKS``), and the verified facts kept current.

Every service that writes a talent's facts (the staff edit, a talent's own correction, a fact review, an
authoritative import, a family change) calls ``facts_changed`` inside its transaction, after its writes. It
keeps ``VerifiedFacts`` current for those talents (one query and one upsert per thousand, never a ranking of
every record) and runs the hooks apps above this one declare in their ``talent_changes.py`` (the policies
app re-evaluates the talents' 免申即享 results: ADR 0018). Hooks must be set-based: an import changes
thousands at once.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import Any

from django.db import connection

from talentcloud.common.registries import Declarations

from .enums import FactStatus
from .models import FACT_FIELDS, FactRecord, VerifiedFacts

CHUNK = 1000


@dataclass(frozen=True)
class ChangeHook:
    """``after(talent_ids)``: the facts of these talents changed (written, not yet committed)."""

    name: str
    after: Callable[[list[Any]], None]


CHANGE_HOOKS: Declarations[ChangeHook] = Declarations("talent_changes", "TALENT_CHANGE_HOOKS")


def verified_masks(talent_ids: Collection[Any]) -> dict[Any, int]:
    """Per talent, the bits (``VerifiedFacts.bit``) of the facts whose newest record that is neither pending
    nor rejected is verified: what ``selectors.fact_verified`` says, for many talents in one query."""
    masks: dict[Any, int] = dict.fromkeys(talent_ids, 0)
    records = (
        FactRecord.objects.filter(talent_id__in=list(masks), key__in=FACT_FIELDS)
        .exclude(status__in=[FactStatus.PENDING, FactStatus.REJECTED])
        .order_by("talent_id", "key", "-created_at", "-id")
        .values_list("talent_id", "key", "verified")
    )
    seen: set[tuple[Any, str]] = set()
    for talent_id, key, verified in records:
        if (talent_id, key) in seen:
            continue
        seen.add((talent_id, key))
        if verified:
            masks[talent_id] |= VerifiedFacts.bit(key)
    return masks


def verified_refresh(talent_ids: Collection[Any]) -> None:
    """Recompute the verified facts of these talents and store them (an upsert per thousand)."""
    ids = list(dict.fromkeys(talent_ids))
    for start in range(0, len(ids), CHUNK):
        masks = verified_masks(ids[start : start + CHUNK])
        VerifiedFacts.objects.bulk_create(
            [VerifiedFacts(talent_id=pk, mask=mask) for pk, mask in masks.items()],
            update_conflicts=True,
            unique_fields=["talent"],
            update_fields=["mask"],
        )


# Every talent's verified facts from their records at once (a seed written by COPY, a repair): the newest
# record of each fact that is neither pending nor rejected, a bit per verified one. Standard SQL.
REBUILD = """
DELETE FROM talents_verifiedfacts;
INSERT INTO talents_verifiedfacts (talent_id, mask)
SELECT talent_id, SUM(CASE WHEN verified THEN {bits} ELSE 0 END)
FROM (
    SELECT talent_id, key, verified,
           ROW_NUMBER() OVER (PARTITION BY talent_id, key ORDER BY created_at DESC, id DESC) AS rank
    FROM talents_factrecord WHERE status NOT IN ('pending', 'rejected')
) newest
WHERE rank = 1
GROUP BY talent_id
"""


def verified_rebuild() -> None:
    """Recompute every talent's verified facts inside the database (two statements)."""
    bits = (
        "CASE key " + " ".join(f"WHEN '{k}' THEN {VerifiedFacts.bit(k)}" for k in FACT_FIELDS) + " ELSE 0 END"
    )
    with connection.cursor() as cursor:
        for statement in REBUILD.format(bits=bits).split(";"):
            cursor.execute(statement)  # keys from FACT_FIELDS, no input


def facts_changed(talent_ids: Collection[Any]) -> None:
    """The facts of these talents changed: keep their verified facts current and run every declared hook."""
    ids = list(dict.fromkeys(talent_ids))
    if not ids:
        return
    verified_refresh(ids)
    for hook in CHANGE_HOOKS:
        hook.after(ids)
