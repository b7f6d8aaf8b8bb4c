"""A worker and two schedulers run as real processes: each periodic slot is enqueued and run exactly once."""

from __future__ import annotations

import itertools
import time

import pytest

from talentcloud.common.models import ScheduledSlot, SchedulerLease

from .processes import start, stop_all

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.processes]
HEARTBEAT = {"heartbeat": "*/2 * * * * *"}  # every 2 seconds


def test_worker_and_two_schedulers_run_each_slot_once():
    worker = start("db_worker", "--interval", "0.2", schedule=HEARTBEAT)
    first = start("scheduler", "--lease-seconds", "10", schedule=HEARTBEAT)
    second = start("scheduler", "--lease-seconds", "10", schedule=HEARTBEAT)
    try:
        # Ends once four slots are done; the processes alone may take a minute to start on a busy machine.
        deadline = time.monotonic() + 180
        done = ScheduledSlot.objects.filter(job="heartbeat", finished_at__isnull=False)
        while time.monotonic() < deadline and done.count() < 4:
            time.sleep(0.5)
    finally:
        logs = stop_all([first, second, worker])
    # Other jobs (audit sealing, every minute) may fire too; the heartbeat is the one under test.
    slots = list(ScheduledSlot.objects.filter(job="heartbeat").order_by("slot"))
    finished = [s for s in slots if s.finished_at is not None]
    assert len(finished) >= 4, "\n".join(logs)
    # Exactly once: one row per slot (unique constraint), each run once by the worker.
    assert len({s.slot for s in slots}) == len(slots)
    assert all(s.runs == 1 for s in finished), [(s.slot, s.runs) for s in slots]
    # Slots are the cron's: two seconds apart, no slot skipped between the first and the last.
    times = [s.slot for s in slots]
    gaps = {(b - a).total_seconds() for a, b in itertools.pairwise(times)}
    assert gaps <= {2.0}, gaps
    # Only one scheduler was active (its 10 s lease is renewed every 3.3 s; the other stood by);
    # the lease is released on a clean stop.
    assert sum("active with jobs" in log for log in logs[:2]) == 1, logs[:2]
    left = list(SchedulerLease.objects.values_list("holder", "expires_at"))
    assert not left, "\n".join([f"lease left: {left}", *logs])  # whose lease, beside every process's log
