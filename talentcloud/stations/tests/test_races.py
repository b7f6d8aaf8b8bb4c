"""Races for real (PostgreSQL, threads with their own connections): eight stations' leads on one person
verified at once leave exactly one credited; a landing reward asked for eight times at once is made once."""

from __future__ import annotations

from collections import Counter

import pytest
from django.db import connection  # noqa: F401 (read by the skipif condition)
from django.utils import timezone

from talentcloud.payouts.models import Award
from talentcloud.servicehall.tests.test_races import race
from talentcloud.stations import services
from talentcloud.stations.models import Lead, Reward
from talentcloud.stations.workflow import lead_transition
from talentcloud.talents.models import Talent

from .conftest import lead_of

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif("connection.vendor != 'postgresql'", reason="row locks need PostgreSQL"),
]


def test_verifications_of_one_person_at_once_credit_exactly_one(world):
    leads = [lead_of(world.partner_a if i % 2 else world.partner_b) for i in range(8)]

    def verify(i: int) -> None:
        services.lead_verify(actor=world.office, lead=Lead.objects.get(pk=leads[i].pk))

    assert race(8, verify) == Counter({"ok": 8})
    assert Lead.objects.filter(credited=True).count() == 1
    first = Lead.objects.get(credited=True)
    assert set(Lead.objects.filter(credited=False).values_list("duplicate_of", flat=True)) == {first.pk}


def test_a_reward_asked_for_at_once_is_made_once(world):
    lead = lead_of(world.partner_a)
    services.lead_verify(actor=world.office, lead=lead)
    services.lead_link(actor=world.office, lead=Lead.objects.get(pk=lead.pk), talent=world.talent)
    Talent.objects.filter(pk=world.talent.pk).update(arrived_on=timezone.localdate())
    moved = Lead.objects.get(pk=lead.pk)
    for action in ("interest", "visit", "sign", "land"):
        moved = lead_transition(actor=world.office, lead=moved, action=action)

    def reward(_i: int) -> None:
        services.reward_make(actor=world.office, lead=Lead.objects.get(pk=lead.pk))

    assert race(8, reward) == Counter({"ok": 1, "conflict": 7})
    assert Reward.objects.count() == 1
    assert Award.objects.count() == 1
