"""The certification app's lines on the talent's timeline (一人一档): each certification recorded, with its
grade, tier, basis and validity; linked to the talent's certification history for staff holding
certification.view (the page checks the viewer's scope and permission again)."""

from __future__ import annotations

import uuid
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from talentcloud.talents.enums import CertificationGrade, ProgrammeTier
from talentcloud.talents.timeline_registry import Entry, TimelineEntry, TimelineRow

from .enums import Basis, CertificationStatus
from .permissions import CertPerm

GRADES = dict(CertificationGrade.choices)
TIERS = dict(ProgrammeTier.choices)
BASES = dict(Basis.choices)
STATUSES = dict(CertificationStatus.choices)


def _line(row: TimelineRow) -> Entry:
    grade, tier = row["grade"], row["tier"]
    title = " · ".join(str(part) for part in (GRADES.get(grade, ""), TIERS.get(tier, "")) if part)
    validity = (
        f"{row['effective_from']} – {row['effective_to']}" if row["effective_to"] else row["effective_from"]
    )
    return Entry(
        str(uuid.UUID(row["talent"])),
        title=title or str(_("No grade or tier")),
        label=f"{BASES.get(row['basis'], row['basis'])} {row['document_number']} ({validity})".strip(),
        status=str(STATUSES.get(row["status"], row["status"])),
    )


def _history_url(item: Any) -> str:
    return reverse("certification:talent", args=[item.pk])


TIMELINE_ENTRIES = [
    TimelineEntry(
        kind="certification",
        model="certification.Certification",
        at="created_at",
        columns={
            "talent": "talent_id",
            "grade": "grade",
            "tier": "tier",
            "basis": "basis",
            "status": "status",
            "document_number": "document_number",
            "effective_from": "effective_from",
            "effective_to": "effective_to",
        },
        item=_line,
        heading=_("Certification"),
        url=_history_url,
        url_perm=CertPerm.VIEW,
    ),
]
