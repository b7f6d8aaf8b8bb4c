"""The channels this app registers in campaigns' registry: an application through a workstation counts for
it only when the applicant is that station's consented lead; through an event only when they registered."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from talentcloud.campaigns.channels import channels, ref_name
from talentcloud.campaigns.tests.conftest import cworld, library  # noqa: F401 (fixtures shared)
from talentcloud.campaigns.tests.world import apply
from talentcloud.common.errors import ValidationFailed
from talentcloud.recruitment.tests.conftest import rworld  # noqa: F401 (a fixture shared)
from talentcloud.stations import services
from talentcloud.talents.models import Talent

from .conftest import lead_of

pytestmark = pytest.mark.django_db


def test_a_stations_consented_lead_applies_through_the_station(world, cworld):  # noqa: F811
    assert {"event", "station"} <= set(channels())
    Talent.objects.filter(pk=world.talent.pk).update(account=cworld.talent)
    lead = lead_of(world.partner_a)
    services.lead_link(actor=world.office, lead=lead, talent=world.talent)
    with pytest.raises(ValidationFailed) as other:
        apply(cworld.talent, cworld.post_a, via=f"station:{world.station_b.pk}")
    assert "via" in other.value.fields
    application = apply(cworld.talent, cworld.post_a, via=f"station:{world.station_a.pk}")
    assert (application.channel, application.channel_ref) == ("station", str(world.station_a.pk))
    assert ref_name("station", str(world.station_a.pk)) == "慕尼黑工作站"
    # a withdrawn cross-border consent: the station no longer brings this person's applications
    services.lead_consent(actor=world.office, lead=lead, consent_ref="", granted=False)
    with pytest.raises(ValidationFailed):
        apply(cworld.talent, cworld.post_b, via=f"station:{world.station_a.pk}", degree="bachelor")


def test_an_attendee_applies_through_the_event(world, cworld):  # noqa: F811
    event = services.event_save(
        actor=world.office,
        data=services.EventInput(
            title="梧桐林·青年人才活动",
            kind="wutonglin",
            venue="梧桐林",
            starts_at=timezone.now() + dt.timedelta(days=2),
        ),
    )
    with pytest.raises(ValidationFailed) as unregistered:
        apply(cworld.talent_2, cworld.post_a, via=f"event:{event.pk}")
    assert "via" in unregistered.value.fields
    services.register(actor=cworld.talent_2, event=event, name="李四", phone="13700000005")
    application = apply(cworld.talent_2, cworld.post_a, via=f"event:{event.pk}")
    assert application.channel == "event"
    assert ref_name("event", str(event.pk)) == "梧桐林·青年人才活动"
