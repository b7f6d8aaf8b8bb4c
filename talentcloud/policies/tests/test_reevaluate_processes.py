"""免申即享 within seconds, for real (ADR 0018): with a worker running, a fact review commits, the worker's
re-evaluation task runs and the talent's list shows the policy (the test waits on the task); a change made
while a sweep runs is neither lost nor told twice; the next full sweep changes nothing."""

from __future__ import annotations

import time

import pytest

from talentcloud.infra.tests.processes import start, stop_all
from talentcloud.policies.models import SubjectChange, SubjectResult
from talentcloud.policies.sweep import sweep

from .test_reevaluate import review_all, swept, told
from .test_sweep import population, statuses

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.processes]
DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def wait_for(condition, *, limit: float, what: str) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"waited {limit:.0f} s for {what}")


def test_a_change_shows_once_the_worker_has_reevaluated_it(settings, kfq_firm, make_user):
    _verified, declared = population(kfq_firm, make_user)
    sweep()
    assert statuses(talent=declared)["talent-apartment"] == "verify_first"
    before = told(declared)
    settings.TASKS = DB_TASKS  # queued for the worker process, not run here
    worker = start("worker", "--no-reload", "--interval", "0.2", schedule={})
    try:
        running = sweep(stop_after="talent")  # a sweep under way: the talents are read, nobody told yet
        review_all(make_user("park-staff", "320115-P-KFQ"), declared)

        def shown() -> bool:
            return not SubjectChange.objects.exists() and SubjectResult.objects.exists()

        wait_for(shown, limit=120, what="the worker to re-evaluate the talent")
        assert statuses(talent=declared)["talent-apartment"] == "granted"
        after = told(declared)
        assert "policy.granted_entitlement" in set(after) - set(before)
        finished = sweep()  # the sweep under way ends: the person is not told again, the result not lost
        assert finished.pk == running.pk
        assert statuses(talent=declared)["talent-apartment"] == "granted"
        assert told(declared) == after
    finally:
        logs = stop_all([worker])
    snapshot = statuses(talent=declared)
    sweep()  # the next full sweep reads the new facts and changes nothing
    assert statuses(talent=declared) == snapshot, logs
    assert swept(declared)["talent-apartment"] == "granted"
    assert not SubjectResult.objects.exists()
    assert told(declared) == after
