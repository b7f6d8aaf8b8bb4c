"""The .xlsx sheets of leads (masked personal data) and scorecards; cells formula-safe (``common.excel``)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext as _

from talentcloud.privacy.masking import mask_email, mask_phone, mask_text

from .models import Lead
from .selectors import Scorecard

MAX_ROWS = 10000
GRADES = ("A", "B", "C", "D", "E", "-")


def leads_sheet(rows: Iterable[Lead]) -> dict[str, Any]:
    header = [
        _("Station"),
        _("Full name"),
        _("Mobile number"),
        _("E-mail"),
        _("Country or region"),
        _("Field of work"),
        _("Stage"),
        _("First contact"),
        _("Contact verified"),
        _("Credited"),
        _("Archive record linked"),
    ]
    body = [
        [
            lead.station.display_name,
            mask_text(lead.name),
            mask_phone(lead.phone),
            mask_email(lead.email),
            lead.country,
            lead.field,
            lead.get_state_display(),
            lead.contacted_on,
            bool(lead.verified_at),
            lead.credited,
            lead.talent_id is not None,
        ]
        for lead in rows
    ]
    return {"sheet": _("Leads"), "header": header, "rows": body}


def scorecards_sheet(cards: Iterable[Scorecard]) -> dict[str, Any]:
    header = [
        _("Station"),
        _("Country or region"),
        _("City"),
        _("Contacts"),
        _("Verified contacts"),
        _("Credited"),
        _("Interested"),
        _("Visited"),
        _("Signed"),
        _("Landed"),
        _("Conversion"),
        *[_("Landed, grade %(grade)s") % {"grade": g} for g in GRADES],
        _("Rewards (yuan)"),
    ]
    body = [
        [
            c.station.display_name,
            c.station.country,
            c.station.city,
            c.contacts,
            c.verified,
            c.credited,
            c.interested,
            c.visited,
            c.signed,
            c.landed,
            c.conversion,
            *[c.landed_by_grade.get(g, 0) for g in GRADES],
            c.rewarded,
        ]
        for c in cards
    ]
    return {"sheet": _("Scorecards"), "header": header, "rows": body}
