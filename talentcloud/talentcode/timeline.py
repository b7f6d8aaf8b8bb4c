"""The talent code's lines on the talent's timeline (一人一档): each code issued (and how), each code revoked
(and why), and each verification the talent reported as not recognised (by which unit, for which scene).
Linked to the talent's codes page for staff holding ``talentcode.view`` (the page checks scope again)."""

from __future__ import annotations

import uuid
from typing import Any

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from talentcloud.talents.timeline_registry import Entry, TimelineEntry, TimelineRow, in_language

from .enums import IssueBasis
from .permissions import CodePerm

BASES = dict(IssueBasis.choices)


def _issued(row: TimelineRow) -> Entry:
    return Entry(
        str(uuid.UUID(row["talent"])),
        title=str(_("Talent code issued")),
        label=str(BASES.get(row["basis"], row["basis"])),
    )


def _revoked(row: TimelineRow) -> Entry:
    return Entry(str(uuid.UUID(row["talent"])), title=str(_("Talent code revoked")), label=row["reason"])


def _reported(row: TimelineRow) -> Entry:
    return Entry(
        str(uuid.UUID(row["talent"])),
        title=str(_("A verification the talent does not recognise")),
        label=f"{row['unit']} · {row['scene']}",
    )


def _codes_url(item: Any) -> str:
    return reverse("talentcode:talent", args=[item.pk])


def _reported_columns() -> dict[str, Any]:
    return {"talent": "code__talent_id", "unit": in_language("verifier__unit"), "scene": in_language("scene")}


TIMELINE_ENTRIES = [
    TimelineEntry(
        kind="talent_code_issued",
        model="talentcode.TalentCode",
        at="issued_at",
        columns={"talent": "talent_id", "basis": "basis"},
        item=_issued,
        heading=_("Talent code"),
        url=_codes_url,
        url_perm=CodePerm.VIEW,
    ),
    TimelineEntry(
        kind="talent_code_revoked",
        model="talentcode.TalentCode",
        at="revoked_at",
        where=Q(revoked_at__isnull=False),
        columns={"talent": "talent_id", "reason": "revoke_reason"},
        item=_revoked,
        heading=_("Talent code"),
        url=_codes_url,
        url_perm=CodePerm.VIEW,
    ),
    TimelineEntry(
        kind="talent_code_reported",
        model="talentcode.Verification",
        talent="code__talent",
        at="reported_at",
        where=Q(reported_at__isnull=False, code__isnull=False),
        columns=_reported_columns,
        item=_reported,
        heading=_("Talent code"),
        url=_codes_url,
        url_perm=CodePerm.VIEW,
    ),
]
