"""Races for real (threads with their own PostgreSQL connections): two approvals of one demand, and the office
freezing or publishing one catalogue twice at once — one wins, the others are told of the conflict, nothing is
written twice."""

from __future__ import annotations

import pytest
from django.db import connection  # noqa: F401 (the skip condition reads it)

from talentcloud.audit.models import AuditEvent
from talentcloud.recruitment import services
from talentcloud.recruitment.models import Catalogue, CatalogueEntry, Demand
from talentcloud.recruitment.services import demand_create
from talentcloud.recruitment.workflow import demand_transition
from talentcloud.servicehall.tests.test_races import race

from .conftest import approved, demand_input

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif("connection.vendor != 'postgresql'", reason="row locks need PostgreSQL"),
]


def test_twenty_approvals_of_one_demand_one_wins(rworld, make_user):
    w = rworld
    demand = demand_create(actor=w.hr_a, enterprise=w.ent_a, data=demand_input(w.posts["A1"]))
    reviewers = [w.park_a, w.office, make_user("park-staff", "320115-P-KFQ")]

    def approve(i: int) -> None:
        demand_transition(
            actor=reviewers[i % 3],
            demand=Demand.objects.get(pk=demand.pk),
            action="approve",
            expected_revision=0,
        )

    outcomes = race(20, approve)
    assert outcomes == {"ok": 1, "conflict": 19}
    assert Demand.objects.get(pk=demand.pk).state == "open"
    assert demand.events.filter(action="approve").count() == 1
    assert AuditEvent.objects.filter(action="demand.approve", object_id=str(demand.pk)).count() == 1


def test_freezing_and_publishing_twice_at_once_writes_once(rworld):
    w = rworld
    approved(w.hr_a, w.ent_a, w.posts["A1"], year=2025)
    approved(w.hr_b, w.ent_b, w.posts["C1"], year=2025)
    catalogue = services.catalogue_open(actor=w.office, year=2025)

    def freeze(_i: int) -> None:
        services.catalogue_freeze(actor=w.office, catalogue=Catalogue.objects.get(pk=catalogue.pk))

    assert race(8, freeze) == {"ok": 1, "conflict": 7}
    assert CatalogueEntry.objects.filter(catalogue=catalogue).count() == 2

    def publish(_i: int) -> None:
        services.catalogue_publish(actor=w.office, catalogue=Catalogue.objects.get(pk=catalogue.pk))

    assert race(4, publish) == {"ok": 1, "conflict": 3}
    assert AuditEvent.objects.filter(action="catalogue.publish", object_id="2025").count() == 1
