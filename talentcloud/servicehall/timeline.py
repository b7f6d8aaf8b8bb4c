"""The service hall's lines on the talent's timeline (一人一档): the cases the person submitted, with their
number, service and state; linked to the case's page for the person themself."""

from __future__ import annotations

import uuid
from typing import Any

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from talentcloud.talents.timeline_registry import Entry, TimelineEntry, TimelineRow, in_language

from .enums import CaseState

CASE_STATES = dict(CaseState.choices)  # lazy labels: read in the language of the page


def _case(row: TimelineRow) -> Entry:
    state = row["state"]
    return Entry(
        str(uuid.UUID(row.pk)),
        title=row["number"],
        status=str(CASE_STATES.get(state, state)),
        label=row["service"],
    )


def _case_url(item: Any) -> str:
    return reverse("servicehall:case", args=[item.pk])


TIMELINE_ENTRIES = [
    TimelineEntry(
        kind="case",
        model="servicehall.Case",
        at="submitted_at",
        where=Q(submitted_at__isnull=False),  # a draft is not on it
        columns=lambda: {"number": "number", "state": "state", "service": in_language("service")},
        item=_case,
        heading=_("Case"),
        url=_case_url,
        url_for="talent",
    ),
]
