"""The talents app's own lines on the talent's timeline: changes to the record, contacts, needs and
personal-data requests (the facts are read with the facts table and joined in by ``selectors.timeline``)."""

from __future__ import annotations

import uuid
from datetime import date

from django.utils import timezone

from .enums import ContactKind, NeedStatus, RightsRequestKind, RightsRequestStatus
from .timeline_registry import Entry, TimelineEntry, TimelineRow, in_language, person

# Labels by stored value (lazy: read in the language of the page).
CONTACT_KINDS = dict(ContactKind.choices)
NEED_STATUSES = dict(NeedStatus.choices)
REQUEST_KINDS = dict(RightsRequestKind.choices)
REQUEST_STATUSES = dict(RightsRequestStatus.choices)


def _change(row: TimelineRow) -> Entry:
    return Entry(row.pk, who=row["who"], field=row["field"], before=row["before"], after=row["after"])


def _contact(row: TimelineRow) -> Entry:
    kind = row["kind"]
    return Entry(row.pk, who=row["who"], label=str(CONTACT_KINDS.get(kind, kind)), day=row["day"])


def _need(row: TimelineRow) -> Entry:
    status, due = row["status"], row["due"]
    overdue = status == NeedStatus.OPEN and bool(due) and date.fromisoformat(due) < timezone.localdate()
    return Entry(
        str(uuid.UUID(row.pk)),  # a UUID key: as text, SQLite keeps it without dashes
        title=row["title"],
        status=str(NEED_STATUSES.get(status, status)),
        department=row["department"],
        overdue=overdue,
    )


def _request(row: TimelineRow) -> Entry:
    kind, status = row["kind"], row["status"]
    return Entry(
        row.pk,
        label=str(REQUEST_KINDS.get(kind, kind)),
        status=str(REQUEST_STATUSES.get(status, status)),
    )


TIMELINE_ENTRIES = [
    TimelineEntry(
        kind="change",
        model="talents.TalentChange",
        at="at",
        columns={"who": person("actor"), "field": "field", "before": "before", "after": "after"},
        item=_change,
    ),
    TimelineEntry(
        kind="contact",
        model="talents.Contact",
        at="created_at",
        columns={"who": person("cadre"), "kind": "kind", "day": "happened_on"},
        item=_contact,
    ),
    TimelineEntry(
        kind="need",
        model="talents.Need",
        at="created_at",
        columns=lambda: {
            "title": "title",
            "status": "status",
            "department": in_language("owner_department"),
            "due": "due_on",
        },
        item=_need,
    ),
    TimelineEntry(
        kind="rights",
        model="talents.RightsRequest",
        at="created_at",
        columns={"kind": "kind", "status": "status"},
        item=_request,
    ),
]
