"""Scratch: a line on the talent's timeline for each audit event about the talent, read from a table the
scratch app does not own (``test_scratch_timeline``)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from talentcloud.talents.timeline_registry import Entry, TimelineEntry, TimelineRow


def _event(row: TimelineRow) -> Entry:
    return Entry(row.pk, title=row["action"], label=row["actor"], status="scratch")


def _event_url(item: Any) -> str:
    return f"/scratch/audit/{item.pk}/"


TIMELINE_ENTRIES = [
    TimelineEntry(
        kind="scratch-audit",
        model="audit.AuditEvent",
        at="occurred_at",
        talent="object_id",  # the talent's id as text
        where=Q(object_type="talent"),
        columns={"action": "action", "actor": "actor_username"},
        item=_event,
        heading="Audit event",
        url=_event_url,
    ),
]
