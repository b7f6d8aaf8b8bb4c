"""The channels this app adds to campaigns' registry (``campaigns.channels``): an application that came
through a talent event (``via=event:<event id>``: the applicant registered for it) or through a workstation
(``via=station:<station id>``: the applicant's archive record is a consented lead of that station), so the
office's channel figures count what events and stations bring."""

from __future__ import annotations

import uuid
from typing import Any

from django.utils.translation import gettext_lazy as _

from talentcloud.campaigns.channels import Channel

from .models import Event, Lead, Registration, Station


def _uuid(ref: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(ref)
    except ValueError:
        return None


def event_check(ref: str, demand: Any, account: Any) -> Any:
    pk = _uuid(ref)
    if pk is None or not Event.objects.filter(pk=pk).exists():
        return _("No talent event has this reference.")
    if not Registration.objects.filter(event_id=pk, account=account).exists():
        return _("Register for this talent event first.")
    return None


def station_check(ref: str, demand: Any, account: Any) -> Any:
    pk = _uuid(ref)
    if pk is None or not Station.objects.filter(pk=pk, active=True).exists():
        return _("No workstation has this reference.")
    leads = Lead.objects.filter(
        station_id=pk, talent__account=account, consent_at__isnull=False, consent_withdrawn_at__isnull=True
    )
    if not leads.exists():
        return _("This workstation has not recorded you as one of its contacts.")
    return None


def _event_name(ref: str) -> str:
    pk = _uuid(ref)
    return str(Event.objects.filter(pk=pk).values_list("title", flat=True).first() or ref) if pk else ref


def _station_name(ref: str) -> str:
    pk = _uuid(ref)
    station = Station.objects.filter(pk=pk).first() if pk else None
    return station.display_name if station is not None else ref


CHANNELS = [
    Channel("event", _("Talent event"), check=event_check, describe=_event_name),
    Channel("station", _("Overseas workstation"), check=station_check, describe=_station_name),
]
