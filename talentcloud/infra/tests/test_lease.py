from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.db import OperationalError
from django.utils import timezone

from talentcloud.common.models import ScheduledSlot, SchedulerLease
from talentcloud.infra import scheduling
from talentcloud.infra.scheduling import Job, lease_acquire, lease_held, slot_enqueue

pytestmark = pytest.mark.django_db


def test_lease_is_exclusive_until_it_expires():
    assert lease_acquire(holder="a", seconds=10)
    assert not lease_acquire(holder="b", seconds=10)
    assert lease_acquire(holder="a", seconds=10)  # renewal
    with time_machine.travel(timezone.now() + timedelta(seconds=11)):
        assert not lease_held(holder="a")
        assert lease_acquire(holder="b", seconds=10)
        assert not lease_acquire(holder="a", seconds=10)


def test_a_slot_is_enqueued_once():
    slot = timezone.now().replace(microsecond=0)
    assert slot_enqueue(job="heartbeat", slot=slot) is not None
    assert slot_enqueue(job="heartbeat", slot=slot) is None
    row = ScheduledSlot.objects.get()
    # The test settings run tasks immediately: the slot ran once.
    assert row.runs == 1
    assert row.finished_at is not None


def test_cron_with_and_without_seconds():
    assert Job("x", "p", "*/5 * * * *").trigger()
    assert Job("x", "p", "*/2 * * * * *").trigger()
    with pytest.raises(ValueError, match="5 or 6 fields"):
        Job("x", "p", "* *").trigger()


def test_a_stopping_scheduler_releases_its_lease_though_the_database_is_busy_for_a_moment(monkeypatch):
    process = scheduling.SchedulerProcess([], lease_seconds=10)
    assert lease_acquire(holder=process.holder, seconds=10)
    release, tries = scheduling.lease_release, []

    def busy_twice(**kw: str) -> None:
        tries.append(1)
        if len(tries) <= 2:
            raise OperationalError("database is locked")
        release(**kw)

    monkeypatch.setattr(scheduling, "lease_release", busy_twice)
    monkeypatch.setattr(scheduling.time, "sleep", lambda _s: None)
    process.stop()
    process.run()  # stopped already: one pass of the loop, then the release
    assert len(tries) == 3
    assert not SchedulerLease.objects.exists()
