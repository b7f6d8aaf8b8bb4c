"""What the stations and events hold about a person for their data copy (PIPL art. 45;
``talents.services.personal_data``): the workstation leads linked to their archive record (station, stage,
first contact, the cross-border consent and its record) and their event registrations."""

from __future__ import annotations

from typing import Any

from talentcloud.talents.models import Talent
from talentcloud.talents.services.personal_data import CopySection

from .models import Lead, Registration


def _leads(talent: Talent) -> list[dict[str, Any]]:
    return [
        {
            "station": lead.station.display_name,
            "country": lead.station.country,
            "stage": lead.get_state_display(),
            "first_contact": lead.contacted_on.isoformat(),
            "cross_border_consent": lead.consent_at.isoformat() if lead.consent_at else None,
            "consent_record": lead.consent_ref,
            "consent_withdrawn": lead.consent_withdrawn_at.isoformat() if lead.consent_withdrawn_at else None,
        }
        for lead in Lead.objects.filter(talent=talent).select_related("station").order_by("created_at")
    ]


def _registrations(talent: Talent) -> list[dict[str, Any]]:
    rows = Registration.objects.filter(talent=talent).select_related("event").order_by("registered_at")
    return [
        {
            "event": row.event.title,
            "registered_at": row.registered_at.isoformat(),
            "checked_in_at": row.checked_in_at.isoformat() if row.checked_in_at else None,
        }
        for row in rows
    ]


DATA_COPY = [CopySection("station_leads", _leads), CopySection("event_registrations", _registrations)]
