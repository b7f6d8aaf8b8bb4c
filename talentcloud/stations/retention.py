"""Retention of events' and stations' personal data (``privacy.retention`` sweeps it): a guest's registration
(name and mobile number) is kept for a year after the event, unless it became a lead; a lead dropped before
landing is deleted two years after its last change (the audit log keeps its own record, without personal
data)."""

from __future__ import annotations

from datetime import datetime

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from talentcloud.common.declarations import RetentionRule

from .enums import LeadState
from .models import Lead, Registration


def _registrations(cutoff: datetime) -> QuerySet[Registration]:
    return Registration.objects.filter(event__starts_at__lt=cutoff, lead__isnull=True)


def _dropped(cutoff: datetime) -> QuerySet[Lead]:
    return Lead.objects.filter(state=LeadState.DROPPED, updated_at__lt=cutoff)


RETENTION_RULES = [
    RetentionRule(
        "event_registrations", _("Event registrations that did not become leads"), _registrations, days=365
    ),
    RetentionRule("dropped_station_leads", _("Workstation leads dropped before landing"), _dropped, days=730),
]
