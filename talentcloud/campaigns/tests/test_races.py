"""Races for real (threads with their own PostgreSQL connections): invited talents pick one interview time
at once — the first takes it, the others are told it was taken and stay invited; one talent applying twice
at once makes one application."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection  # noqa: F401 (the skip condition reads it)
from django.utils import timezone

from talentcloud.audit.models import AuditEvent
from talentcloud.campaigns.models import InterviewSlot, JobApplication
from talentcloud.campaigns.services import ApplyInput, application_create
from talentcloud.campaigns.workflow import application_transition
from talentcloud.servicehall.tests.test_races import race

from .world import apply

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif("connection.vendor != 'postgresql'", reason="row locks need PostgreSQL"),
]


def test_two_talents_one_slot_one_wins(cworld, make_user):
    w = cworld
    talents = [w.talent, w.talent_2, *(make_user("talent", None, username=f"racer-{i}") for i in range(4))]
    applications = [apply(t, w.post_a) for t in talents]
    when = timezone.now() + dt.timedelta(days=2)
    for application in applications:
        application_transition(
            actor=w.r.hr_a, application=application, action="invite", slots=[(when, "A 会议室")]
        )
    slot = InterviewSlot.objects.get(demand=w.post_a)

    def pick(i: int) -> None:
        application_transition(
            actor=talents[i],
            application=JobApplication.objects.get(pk=applications[i].pk),
            action="pick",
            slot=slot.pk,
        )

    assert race(len(talents), pick) == {"ok": 1, "conflict": len(talents) - 1}
    slot.refresh_from_db()
    winner = JobApplication.objects.get(slot=slot)
    assert winner.state == "scheduled"
    assert JobApplication.objects.filter(state="invited").count() == len(talents) - 1
    assert AuditEvent.objects.filter(action="job_application.pick").count() == 1


def test_applying_twice_at_once_makes_one_application(cworld):
    w = cworld

    def once(_i: int) -> None:
        application_create(actor=w.talent, demand=w.post_a, data=ApplyInput(degree="master", consent=True))

    assert race(6, once) == {"ok": 1, "conflict": 5}
    assert JobApplication.objects.filter(applicant=w.talent).count() == 1
