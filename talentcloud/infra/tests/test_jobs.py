"""Jobs that survive their workers, without processes: the importers every process has, the heartbeat, the
reaper (a dead import or export failed with its files removed; a dead periodic run run again), periodic jobs
outside any wrapping transaction, one run of a job at a time."""

from __future__ import annotations

import subprocess
import sys
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.utils import timezone, translation
from django_tasks_db.models import DBTaskResult

from talentcloud.audit.models import AuditEvent
from talentcloud.common.models import BackgroundJob, ScheduledSlot, SchedulerLease
from talentcloud.infra import jobs
from talentcloud.infra.tasks import run_scheduled_job
from talentcloud.privacy.storage import encrypted_storage
from talentcloud.talents.tasks import talent_export_job

from .processes import ROOT, child_env

CALLS: list[dict[str, object]] = []


def probe_job() -> None:
    """A periodic job for these tests: notes whether it runs inside a transaction."""
    CALLS.append({"atomic": connection.in_atomic_block})


def failing_job() -> None:
    raise RuntimeError("boom")


def test_a_process_that_never_loads_the_urls_has_every_importer():
    code = (
        "import django; django.setup(); "
        "from talentcloud.infra.sheets import importers; print(','.join(sorted(importers())))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=child_env({}),
        capture_output=True,
        check=True,
        timeout=120,
    )
    assert out.stdout.decode().strip().splitlines()[-1] == (
        "demand_import,enterprise_import,graduate_import,major_import,post_import,skill_import,talent_import"
    )


@pytest.fixture
def stale(settings):
    settings.JOB_STALE_SECONDS = 60
    return timezone.now() - timedelta(seconds=120)


def running_import(owner, *, heartbeat):
    job = BackgroundJob.objects.create(
        kind="talent_import", owner=owner, status="running", heartbeat_at=heartbeat
    )
    job.input_name = encrypted_storage.save(f"jobs/{job.pk}/upload.xlsx", ContentFile(b"PK\x03\x04..."))
    job.save(update_fields=["input_name"])
    encrypted_storage.save(f"jobs/{job.pk}/errors.xlsx", ContentFile(b"partial"))
    return job


@pytest.mark.django_db
def test_a_dead_import_is_failed_its_files_removed_and_its_page_says_so(
    make_user, login, private_media, stale, django_capture_on_commit_callbacks
):
    owner = make_user("talent-office")
    dead = running_import(owner, heartbeat=stale)
    alive = running_import(owner, heartbeat=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        assert jobs.jobs_reap() == {"jobs": 1, "slots": 0, "tasks": 0}
    dead.refresh_from_db()
    assert dead.status == "failed"
    assert dead.message_code == "worker_lost_import"
    assert dead.input_name == ""
    assert not (private_media / "jobs" / str(dead.pk)).exists() or not any(
        (private_media / "jobs" / str(dead.pk)).iterdir()
    )
    assert AuditEvent.objects.filter(action="job.lost", object_id=str(dead.pk)).exists()
    alive.refresh_from_db()
    assert alive.status == "running"
    assert encrypted_storage.exists(alive.input_name)
    client = login(owner)
    page = client.get(f"/jobs/{dead.pk}/", headers={"accept-language": "zh-hans"}).content.decode()
    assert "导入未完成即中断" in page
    assert 'hx-trigger="every 1s"' not in page  # no longer polling
    client.post("/i18n/setlang/", {"language": "en"})
    page = client.get(f"/jobs/{dead.pk}/").content.decode()
    assert "The import stopped before it finished" in page
    # A second reaper finds nothing more.
    assert jobs.jobs_reap() == {"jobs": 0, "slots": 0, "tasks": 0}


@pytest.mark.django_db
def test_a_reaped_job_saves_nothing_when_it_comes_back(make_user, private_media, stale):
    job = running_import(make_user("talent-office"), heartbeat=stale)
    jobs.background_jobs_reap()
    with pytest.raises(jobs.JobLost):
        jobs.job_beat(str(job.pk), progress=5, total=10)
    assert not jobs.job_finish(str(job.pk), status="done")
    job.refresh_from_db()
    assert (job.status, job.progress) == ("failed", 0)


@pytest.mark.django_db
def test_a_dead_export_is_failed_with_its_own_message(make_user, private_media, stale):
    job = BackgroundJob.objects.create(
        kind="talent_export", owner=make_user("talent-office"), status="running", heartbeat_at=stale
    )
    jobs.background_jobs_reap()
    job.refresh_from_db()
    assert job.status == "failed"
    assert job.message_code == "worker_lost"
    assert "请重新开始" in job.failure  # in the reader's language (the default here)
    with translation.override("en"):
        assert "Start it again" in job.failure


@pytest.fixture
def probe_schedule(settings):
    settings.SCHEDULE = {
        **settings.SCHEDULE,
        "probe": ("talentcloud.infra.tests.test_jobs.probe_job", "* * * * *"),
        "failing": ("talentcloud.infra.tests.test_jobs.failing_job", "* * * * *"),
    }
    CALLS.clear()


@pytest.mark.django_db(transaction=True)
def test_a_periodic_job_runs_outside_any_transaction_and_keeps_its_books(probe_schedule):
    slot = ScheduledSlot.objects.create(job="probe", slot=timezone.now())
    run_scheduled_job.call(slot_id=slot.pk)
    assert CALLS == [{"atomic": False}]
    slot.refresh_from_db()
    assert (slot.runs, slot.outcome) == (1, "done")
    assert slot.started_at is not None
    assert slot.heartbeat_at is not None
    assert slot.finished_at is not None
    assert not SchedulerLease.objects.filter(name="job:probe").exists()  # released
    run_scheduled_job.call(slot_id=slot.pk)  # delivered twice: runs once
    assert len(CALLS) == 1


@pytest.mark.django_db(transaction=True)
def test_a_failing_periodic_job_is_recorded_failed(probe_schedule):
    slot = ScheduledSlot.objects.create(job="failing", slot=timezone.now())
    with pytest.raises(RuntimeError):
        run_scheduled_job.call(slot_id=slot.pk)
    slot.refresh_from_db()
    assert (slot.outcome, slot.message) == ("failed", "RuntimeError")
    assert slot.finished_at is not None


@pytest.mark.django_db(transaction=True)
def test_a_slot_fired_while_its_job_still_runs_is_skipped(probe_schedule):
    SchedulerLease.objects.create(
        name="job:probe", holder="slot:0", expires_at=timezone.now() + timedelta(60)
    )
    slot = ScheduledSlot.objects.create(job="probe", slot=timezone.now())
    run_scheduled_job.call(slot_id=slot.pk)
    assert CALLS == []
    slot.refresh_from_db()
    assert slot.outcome == "skipped"


@pytest.mark.django_db(transaction=True)
def test_a_dead_periodic_run_is_run_again_then_given_up(probe_schedule, stale):
    dead = ScheduledSlot.objects.create(
        job="probe", slot=timezone.now(), runs=1, started_at=stale, heartbeat_at=stale
    )
    # Enqueued again in the reaper's transaction (with the database backend, a row inserted with the claim);
    # the test settings run the task at once, there.
    assert jobs.slots_reap() == 1
    dead.refresh_from_db()
    assert (dead.runs, dead.outcome) == (2, "done")
    assert len(CALLS) == 1
    hopeless = ScheduledSlot.objects.create(
        job="probe", slot=timezone.now() - timedelta(minutes=1), runs=3, started_at=stale, heartbeat_at=stale
    )
    assert jobs.slots_reap() == 1
    hopeless.refresh_from_db()
    assert hopeless.outcome == "failed"
    assert "stopped 3 times" in hopeless.message
    assert len(CALLS) == 1


def test_the_heartbeat_thread_beats_while_the_block_runs(settings):
    settings.JOB_STALE_SECONDS = 1  # a beat every 0.25 s
    beats: list[int] = []
    done = __import__("threading").Event()

    def beat() -> None:
        beats.append(1)
        if len(beats) == 2:
            done.set()

    with jobs.Heartbeat(beat):
        assert done.wait(30)
    count = len(beats)
    assert count >= 2
    assert len(beats) == count  # stopped with the block


@pytest.mark.django_db(transaction=True)
def test_a_task_claimed_by_a_worker_that_stopped_before_it_began_is_queued_again(
    settings, probe_schedule, stale, make_user
):

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    slot = ScheduledSlot.objects.create(job="probe", slot=timezone.now())
    claimed = run_scheduled_job.enqueue(slot_id=slot.pk)
    ScheduledSlot.objects.filter(pk=slot.pk).update(task_id=str(claimed.id))
    job = BackgroundJob.objects.create(kind="talent_export", owner=make_user("talent-office"))

    job_task = talent_export_job.enqueue(job_id=str(job.pk))
    begun = ScheduledSlot.objects.create(
        job="probe", slot=timezone.now() - timedelta(minutes=1), started_at=stale
    )
    healthy = run_scheduled_job.enqueue(slot_id=begun.pk)
    ScheduledSlot.objects.filter(pk=begun.pk).update(task_id=str(healthy.id))
    DBTaskResult.objects.update(status="RUNNING", started_at=stale, worker_ids=["gone"])
    assert jobs.unstarted_reap() == 2
    assert DBTaskResult.objects.get(pk=claimed.id).status == "FAILED"
    assert DBTaskResult.objects.get(pk=job_task.id).status == "FAILED"
    assert DBTaskResult.objects.get(pk=healthy.id).status == "RUNNING"  # its run began: the heartbeat decides
    slot.refresh_from_db()
    assert slot.task_id != str(claimed.id)
    assert DBTaskResult.objects.get(pk=slot.task_id).status == "READY"
    assert DBTaskResult.objects.filter(status="READY", args_kwargs__kwargs__job_id=str(job.pk)).count() == 1
