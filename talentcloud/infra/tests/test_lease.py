from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from talentcloud.common.models import ScheduledSlot
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
