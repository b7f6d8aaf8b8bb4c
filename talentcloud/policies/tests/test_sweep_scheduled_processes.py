"""The nightly 免申即享 sweep as the scheduler and a worker run it, for real: the worker is killed (kill -9)
between the talents' results and the enterprises'. What was committed stays; once the dead run's heartbeat is
stale, the next run (another worker) finishes the same sweep run, with the results and notices of an
uninterrupted sweep.

The scheduler fires the sweep's slot once: a scheduler firing it every few seconds would queue a slot each
time while the paused worker holds the only one, and the next worker would run them all as new sweeps once
the killed one is finished — each a complete run, so that after two of them the resumed run's arrays are
emptied as designed (``sweep._prune`` keeps the newest two), and one still going when the test stops the
processes is left "running"."""

from __future__ import annotations

import signal
import subprocess
import sys
import time

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from talentcloud.common.models import ScheduledSlot
from talentcloud.infra.tests.processes import ROOT, child_env, start, stop, stop_all
from talentcloud.notifications.models import Notification
from talentcloud.policies.models import SweepResult, SweepRun
from talentcloud.policies.sweep import sweep

from .test_sweep import population

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.processes]
SCHEDULE = {"policy_sweep": "*/4 * * * * *", "jobs_reap": "*/2 * * * * *"}
# Once the sweep's first slot is fired, a scheduler that only reaps (the sweep at New Year's midnight alone).
REAPING = {"policy_sweep": "0 0 0 1 1 *", "jobs_reap": "*/2 * * * * *"}
EXTRA = {"TALENTCLOUD_JOB_STALE_SECONDS": "3"}

# A real worker, but one that pauses between the sweep's targets (after the talents' transaction committed,
# before the enterprises' began): the kill lands there.
PAUSING_WORKER = """
import time
import django
django.setup()
from talentcloud.policies import sweep as module

class Pausing(dict):
    def __iter__(self):
        for i, key in enumerate(dict.__iter__(self)):
            if i == 1:
                time.sleep(300)
            yield key

module.SUBJECTS = Pausing(module.SUBJECTS)
from django.core.management import execute_from_command_line
execute_from_command_line(["manage.py", "worker", "--no-reload", "--interval", "0.2"])
"""


def wait_for(condition, *, limit: float, what: str) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"waited {limit:.0f} s for {what}")


def results(run: SweepRun) -> list[tuple[str, str, bytes, bytes]]:
    rows = SweepResult.objects.filter(run=run).values_list("target", "policy_code", "state", "since")
    return sorted((t, c, bytes(s), bytes(d)) for t, c, s, d in rows)


def told() -> list[tuple[int, str]]:
    return sorted(Notification.objects.filter(event__startswith="policy.").values_list("recipient", "event"))


def test_a_worker_killed_mid_sweep_leaves_its_committed_part_and_the_next_run_finishes_it(
    kfq_firm, make_user
):
    population(kfq_firm, make_user)
    pausing = subprocess.Popen(
        [sys.executable, "-c", PAUSING_WORKER],
        cwd=ROOT,
        env=child_env(SCHEDULE, EXTRA),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    firing = start("scheduler", "--lease-seconds", "10", schedule=SCHEDULE, extra=EXTRA)
    processes = [firing]
    try:
        sweeps = ScheduledSlot.objects.filter(job="policy_sweep")
        wait_for(sweeps.exists, limit=120, what="the sweep's first slot")
        processes.remove(firing)
        stop(firing)  # it gives up its lease as it stops
        first = sweeps.order_by("slot").first()
        assert first is not None
        # A slot fired in the moment the scheduler took to stop is not run (as if never fired): one run only.
        sweeps.exclude(pk=first.pk).filter(started_at__isnull=True).update(
            finished_at=timezone.now(), outcome="skipped"
        )
        processes.append(start("scheduler", "--lease-seconds", "10", schedule=REAPING, extra=EXTRA))
        wait_for(
            lambda: SweepResult.objects.filter(target="talent", run__status="running").exists(),
            limit=180,
            what="the talents' results of a scheduled sweep",
        )
        pausing.send_signal(signal.SIGKILL)
        log = stop(pausing, signalled=True)
        run = SweepRun.objects.get(status="running")
        killed = ScheduledSlot.objects.get(
            job="policy_sweep", started_at__isnull=False, finished_at__isnull=True
        )
        first_task = killed.task_id
        # What the killed run committed stays: the talents' results; the enterprises' and the notices are not.
        assert SweepResult.objects.filter(run=run, target="talent").exists(), log
        assert not SweepResult.objects.filter(run=run, target="enterprise").exists()
        assert told() == []

        worker = start("worker", "--no-reload", "--interval", "0.2", schedule=SCHEDULE, extra=EXTRA)
        processes.append(worker)

        def finished() -> bool:
            slot = ScheduledSlot.objects.get(pk=killed.pk)
            return SweepRun.objects.get(pk=run.pk).status == "done" and slot.finished_at is not None

        wait_for(finished, limit=240, what="the next run to finish the sweep")
    finally:
        logs = stop_all(processes)
        if pausing.poll() is None:
            pausing.kill()
            pausing.communicate()
    killed.refresh_from_db()
    assert killed.runs == 2, logs  # run again by the reaper once its heartbeat went stale
    assert killed.outcome in ("done", "skipped")
    # The dead worker's task is not left "running".
    assert DBTaskResult.objects.get(pk=first_task).status == "FAILED"
    resumed = SweepRun.objects.get(pk=run.pk)
    assert len(resumed.done) == resumed.total
    assert SweepRun.objects.filter(on=run.on).exclude(status="done").count() == 0
    found, notices = results(resumed), told()
    assert notices  # the newly granted were told

    # The same as a sweep that was never interrupted.
    SweepRun.objects.all().delete()
    Notification.objects.all().delete()
    again = sweep(on=run.on)
    assert results(again) == found
    assert told() == notices
