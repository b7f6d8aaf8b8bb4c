"""The programmes' lines on the talent's timeline (一人一档): each application the talent made, with the
call, its number and where it stands (the scores, the panel and the bank account never show here)."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from talentcloud.talents.timeline_registry import Entry, TimelineEntry, TimelineRow

from .enums import ApplicationState

STATES = dict(ApplicationState.choices)


def _line(row: TimelineRow) -> Entry:
    return Entry(
        row.pk,
        title=row["call"],
        label=row["number"],
        status=str(STATES.get(row["state"], row["state"])),
    )


def _url(item: Entry) -> str:
    return f"/programs/applications/{item.pk}/"


TIMELINE_ENTRIES = [
    TimelineEntry(
        kind="programme_application",
        model="programs.Application",
        talent="talent",
        at="created_at",
        where=~Q(state=ApplicationState.DRAFT),
        columns={"call": "call__title", "number": "number", "state": "state"},
        item=_line,
        heading=_("Programme application (育才)"),
        url=_url,
        url_for="talent",
    ),
]
