"""Leads of the workstations: two stations claiming one talent (the first verified contact is credited, the
landing reward is paid once), the cross-border consent a partner needs before seeing a lead, the workflow's
refusals, and a landing that is the archive record's arrival."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection

from talentcloud.audit.models import AuditEvent
from talentcloud.common.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from talentcloud.payouts.models import Award
from talentcloud.stations import selectors, services
from talentcloud.stations.enums import LeadState
from talentcloud.stations.models import Lead, LeadActivity, Reward
from talentcloud.stations.workflow import lead_transition
from talentcloud.talents.consents import current_consents
from talentcloud.talents.models import Talent
from talentcloud.workflow.tables import NotAllowed

from .conftest import PHONE, lead_of

pytestmark = pytest.mark.django_db


def _walk_to_signed(actor, lead):
    for action in ("interest", "visit", "sign"):
        lead = lead_transition(actor=actor, lead=lead, action=action)
    return lead


def _arrive(talent: Talent, day: dt.date | None = None) -> None:
    Talent.objects.filter(pk=talent.pk).update(arrived_on=day or dt.date.today())


def test_two_stations_claiming_one_talent_first_verified_contact_is_credited_and_paid_once(world):
    # Station B contacted the person first by date, but station A's contact is the first the office verifies.
    lead_b = lead_of(
        world.partner_b, contacted_on=dt.date.today() - dt.timedelta(days=30), phone="139 1234 5678"
    )
    lead_a = lead_of(world.partner_a, email="chen@example.org")
    lead_a = services.lead_verify(actor=world.office, lead=lead_a)
    lead_b = services.lead_verify(actor=world.office, lead=lead_b)
    assert lead_a.credited
    assert not lead_b.credited
    assert lead_b.duplicate_of_id == lead_a.pk  # found by the mobile number's blind index, spaces aside

    for lead in (lead_a, lead_b):
        services.lead_link(actor=world.office, lead=lead, talent=world.talent)
    _arrive(world.talent)
    landed = []
    for lead in (Lead.objects.get(pk=lead_a.pk), Lead.objects.get(pk=lead_b.pk)):
        lead = _walk_to_signed(world.office, lead)
        landed.append(lead_transition(actor=world.office, lead=lead, action="land"))

    reward = services.reward_make(actor=world.office, lead=landed[0])
    assert reward.amount == 50000
    assert reward.landed_grade == "B"
    with pytest.raises(Conflict):
        services.reward_make(actor=world.office, lead=landed[1])  # the other station's claim: not credited
    with pytest.raises(Conflict):
        services.reward_make(actor=world.office, lead=landed[0])  # and never twice
    assert Reward.objects.count() == 1
    award = Award.objects.get()
    assert award.talent_id == world.talent.pk
    assert award.total == 50000
    assert award.cadence == "once"
    assert award.payee_account == world.station_a.payee_account
    cards = {c.station.pk: c for c in selectors.scorecards(viewer=world.office)}
    assert cards[world.station_a.pk].rewarded == 50000
    assert cards[world.station_b.pk].rewarded == 0
    assert cards[world.station_a.pk].landed_by_grade == {"B": 1}


def test_a_later_link_to_the_same_archive_record_keeps_the_first_verified_credit(world):
    # Two stations know the person by different contacts; linking both to one archive record finds them.
    first = lead_of(world.partner_a, phone="", email="a@example.org")
    second = lead_of(world.partner_b, phone="", email="b@example.org")
    services.lead_verify(actor=world.office, lead=first)
    services.lead_verify(actor=world.office, lead=second)
    assert Lead.objects.filter(credited=True).count() == 2  # not yet known to be one person
    services.lead_link(actor=world.office, lead=Lead.objects.get(pk=second.pk), talent=world.talent)
    services.lead_link(actor=world.office, lead=Lead.objects.get(pk=first.pk), talent=world.talent)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.credited
    assert not second.credited
    assert second.duplicate_of_id == first.pk


def test_verifying_twice_is_a_conflict(world):
    lead = lead_of(world.partner_a)
    services.lead_verify(actor=world.office, lead=lead)
    with pytest.raises(Conflict):
        services.lead_verify(actor=world.office, lead=lead)


def test_partner_sees_only_its_own_stations_leads(world):
    mine = lead_of(world.partner_a)
    theirs = lead_of(world.partner_b, phone="13800001111")
    assert list(selectors.leads(viewer=world.partner_a)) == [mine]
    with pytest.raises(NotFound):
        selectors.lead_get(viewer=world.partner_a, lead_id=theirs.pk)
    # searching by the other station's person's number finds nothing either
    assert not selectors.leads(viewer=world.partner_a, phone="13800001111").exists()
    assert list(selectors.stations(viewer=world.partner_a)) == [world.station_a]
    assert [c.station for c in selectors.scorecards(viewer=world.partner_a)] == [world.station_a]
    with pytest.raises(PermissionDenied):
        lead_of(world.partner_a, station=world.station_b, phone="13800002222")


def test_cross_border_consent_is_required_before_a_partner_sees_a_lead(world):
    with pytest.raises(ValidationFailed) as refused:
        lead_of(world.partner_a, consent=False)
    assert "consent" in refused.value.fields
    # the office records an attendee without consent: the partner does not see them
    lead = lead_of(world.office, station=world.station_a, consent=False)
    assert not selectors.leads(viewer=world.partner_a).exists()
    with pytest.raises(NotFound):
        selectors.lead_get(viewer=world.partner_a, lead_id=lead.pk)
    services.lead_consent(actor=world.office, lead=lead, consent_ref="CB-2026-009")
    assert selectors.lead_get(viewer=world.partner_a, lead_id=lead.pk) == lead
    # linked to the archive, the talent's own consent history says so (purpose registered by this app)
    services.lead_link(actor=world.office, lead=Lead.objects.get(pk=lead.pk), talent=world.talent)
    assert current_consents(world.talent)["cross_border"] is True
    services.lead_consent(
        actor=world.office, lead=Lead.objects.get(pk=lead.pk), consent_ref="", granted=False
    )
    assert not selectors.leads(viewer=world.partner_a).exists()
    assert current_consents(world.talent)["cross_border"] is False


def test_workflow_refuses_bad_transitions(world):
    lead = lead_of(world.partner_a)
    with pytest.raises(NotAllowed):
        lead_transition(actor=world.partner_a, lead=lead, action="sign")  # skips interested, visited
    with pytest.raises(ValidationFailed) as dropped:
        lead_transition(actor=world.partner_a, lead=lead, action="drop", note=" ")
    assert "note" in dropped.value.fields
    lead = _walk_to_signed(world.partner_a, lead)
    with pytest.raises(PermissionDenied):
        lead_transition(actor=world.partner_a, lead=lead, action="land")  # only the office lands
    with pytest.raises(Conflict) as unlinked:
        lead_transition(actor=world.office, lead=lead, action="land")
    assert "人才档案" in str(unlinked.value.message)
    services.lead_link(actor=world.office, lead=lead, talent=world.talent)
    lead.refresh_from_db()
    with pytest.raises(Conflict):
        lead_transition(actor=world.office, lead=lead, action="land")  # the record has not arrived
    _arrive(world.talent)
    lead = Lead.objects.get(pk=lead.pk)
    with pytest.raises(Conflict):  # a stale page
        lead_transition(actor=world.office, lead=lead, action="land", expected_revision=lead.revision - 1)
    lead = lead_transition(actor=world.office, lead=lead, action="land")
    assert lead.state == LeadState.LANDED
    with pytest.raises(NotAllowed):
        lead_transition(actor=world.office, lead=lead, action="drop", note="x")
    moves = list(LeadActivity.objects.filter(lead=lead, kind="move").values_list("to_state", flat=True))
    assert moves == ["interested", "visited", "signed", "landed"]
    assert AuditEvent.objects.filter(action="station_lead.land", object_id=str(lead.pk)).count() == 1


def test_a_partner_of_another_station_cannot_move_or_annotate_a_lead(world):
    lead = lead_of(world.partner_a)
    with pytest.raises(PermissionDenied):
        lead_transition(actor=world.partner_b, lead=lead, action="interest")
    with pytest.raises(PermissionDenied):
        services.activity_add(actor=world.partner_b, lead=lead, kind="call", note="x")
    services.activity_add(actor=world.partner_a, lead=lead, kind="call", note="视频通话，介绍政策")
    assert lead.activities.count() == 1


def test_lead_input_is_checked_field_by_field(world):
    with pytest.raises(ValidationFailed) as bad:
        services.lead_create(
            actor=world.partner_a,
            data=services.LeadInput(
                name="",
                phone="abc",
                email="not-an-address",
                contacted_on=dt.date.today() + dt.timedelta(days=3),
                consent=True,
            ),
        )
    assert set(bad.value.fields) == {"name", "phone", "email", "contacted_on", "consent_ref"}
    assert Lead.objects.count() == 0


def test_lead_personal_data_is_encrypted_at_rest(world):
    lead = lead_of(world.partner_a, email="chen@example.org")
    with connection.cursor() as cursor:
        cursor.execute(
            "select name, phone, email from stations_lead where id = %s",
            [lead.pk.hex if connection.vendor == "sqlite" else str(lead.pk)],
        )
        stored = cursor.fetchone()
    assert stored is not None
    assert "陈海归" not in stored[0]
    assert PHONE not in stored[1]
    assert "chen@" not in stored[2]
