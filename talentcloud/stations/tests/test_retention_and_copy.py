"""The stations' retention rules remove what they say, and a person's data copy holds their leads and
registrations."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from talentcloud.stations import services
from talentcloud.stations.data_copy import DATA_COPY
from talentcloud.stations.models import Lead, Registration
from talentcloud.stations.retention import RETENTION_RULES
from talentcloud.stations.workflow import lead_transition

from .conftest import lead_of

pytestmark = pytest.mark.django_db


def test_old_guest_registrations_and_dropped_leads_are_removed(world):
    event = services.event_save(
        actor=world.office,
        data=services.EventInput(
            title="沙龙", kind="salon", venue="逸才堂", starts_at=timezone.now() + dt.timedelta(days=1)
        ),
    )
    services.register(actor=None, event=event, name="访客", phone="13700000001")
    kept = lead_of(world.partner_a)
    dropped = lead_transition(
        actor=world.partner_a,
        lead=lead_of(world.partner_a, phone="13700000002"),
        action="drop",
        note="无意向",
    )
    assert dropped.state == "dropped"
    rules = {rule.name: rule for rule in RETENTION_RULES}
    later = timezone.now() + dt.timedelta(days=800)
    assert rules["event_registrations"].apply(later) == 1
    assert rules["dropped_station_leads"].apply(later) >= 1
    assert not Registration.objects.exists()
    assert list(Lead.objects.values_list("pk", flat=True)) == [kept.pk]
    assert dropped.pk != kept.pk


def test_the_data_copy_holds_the_persons_leads(world):
    lead = lead_of(world.partner_a)
    services.lead_link(actor=world.office, lead=lead, talent=world.talent)
    sections = {section.key: section for section in DATA_COPY}
    rows = sections["station_leads"].read(world.talent)
    assert rows[0]["station"] == "慕尼黑工作站"
    assert rows[0]["consent_record"] == "CB-2026-001"
