"""The payout ledger's lines on the talent's timeline (一人一档): each award, with its policy, total and
status (who may read the archive may read that a benefit was awarded; the account never shows here)."""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from talentcloud.talents.timeline_registry import Entry, TimelineEntry, TimelineRow

from .enums import AwardStatus

STATUSES = dict(AwardStatus.choices)


def _line(row: TimelineRow) -> Entry:
    total = (Decimal(int(row["total"])) / 100).quantize(Decimal("0.01"))  # the column holds fen
    return Entry(
        str(uuid.UUID(row["talent"])),
        title=row["policy"] or row["title"],
        label=str(_("%(total)s yuan in all") % {"total": total}),
        status=str(STATUSES.get(row["status"], row["status"])),
    )


def _columns() -> dict[str, str]:
    english = (get_language() or "").startswith("en")
    return {
        "talent": "talent_id",
        "policy": "policy__title_en" if english else "policy__title",
        "title": "title",
        "total": "total",
        "status": "status",
    }


TIMELINE_ENTRIES = [
    TimelineEntry(
        kind="award",
        model="payouts.Award",
        talent="talent",
        at="decided_at",
        where=Q(talent__isnull=False),
        columns=_columns,
        item=_line,
        heading=_("Award (政策兑现)"),
    ),
]
