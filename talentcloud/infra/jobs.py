"""Jobs that survive their workers: heartbeats while a job runs, and the reaper that finds the dead ones.

A running ``BackgroundJob`` (an import, an export) and a running ``ScheduledSlot`` (a periodic job) keep a
heartbeat: a timestamp written at each progress step and, while the job runs, by a small thread every quarter
of ``settings.JOB_STALE_SECONDS``. A worker killed mid-job (kill -9, a lost machine) stops beating; once the
heartbeat is older than ``JOB_STALE_SECONDS`` the reaper (the ``jobs_reap`` periodic job, and every
``talentcloud worker`` as it starts) finds it:

- an import or export is failed with a code its owner's page renders in their language; its upload and any
  partial result are deleted. An import saves all rows in one transaction that also checks the job is still
  running, so a reaped import has saved nothing and a finishing import is never reaped;
- a periodic job's slot is run again (up to ``SLOT_MAX_RUNS`` runs, then failed): periodic jobs are written to
  be rerun (the 免申即享 sweep resumes its unfinished run);
- a task a worker claimed but never began (its job still queued, its slot not started) is queued again.

The dead worker's task row (django-tasks-db) is marked failed so it does not stay "running" forever.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import uuid
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from types import TracebackType
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connections, transaction
from django.db.models import Q
from django.utils import timezone
from django_tasks.base import TaskResultStatus

from talentcloud.audit.services import audit_record
from talentcloud.common.declarations import ScheduledJob
from talentcloud.common.models import BackgroundJob, JobStatus, ScheduledSlot, SlotOutcome
from talentcloud.privacy.storage import encrypted_storage

from .scheduling import lease_acquire, lease_release

logger = logging.getLogger(__name__)
SLOT_MAX_RUNS = 3  # a periodic slot whose worker died this many times is failed, not run again


def stale_seconds() -> float:
    return float(settings.JOB_STALE_SECONDS)


def beat_every() -> float:
    return max(stale_seconds() / 4, 0.25)


class JobLost(Exception):
    """The job is no longer this worker's: the reaper failed it (its heartbeat went stale)."""


class Heartbeat:
    """``with Heartbeat(beat):`` calls ``beat()`` from a small thread every ``beat_every()`` seconds while the
    block runs. The thread has its own database connection and closes it when the block ends."""

    def __init__(self, beat: Callable[[], None]):
        self.beat = beat
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._run, name="job-heartbeat", daemon=True)

    def _run(self) -> None:
        try:
            while not self.stopping.wait(beat_every()):
                try:
                    self.beat()
                except DatabaseError:  # e.g. SQLite locked by a long write: the next beat tries again
                    logger.warning("heartbeat not written", exc_info=True)
        finally:
            connections.close_all()  # this thread's connections only

    def __enter__(self) -> Heartbeat:
        self.thread.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.stopping.set()
        self.thread.join()


@contextlib.contextmanager
def job_exclusive(job: str, *, holder: str = "", beat: Callable[[], None] | None = None) -> Iterator[bool]:
    """Hold the lease of periodic job ``job`` (``job:<name>``) while the block runs, renewed with ``beat`` by
    a heartbeat thread, so two runs of one job never overlap: the scheduled run and one a person started
    (the 免申即享 sweep from its page) take the same lease. Yields False, holding nothing, when another live
    run holds it; a dead run's lease expires after ``JOB_STALE_SECONDS``."""
    holder = holder or f"task:{uuid.uuid4().hex}"
    name, seconds = f"job:{job}", int(stale_seconds()) + 1
    if not lease_acquire(holder=holder, seconds=seconds, name=name):
        yield False
        return

    def renew() -> None:
        if beat is not None:
            beat()
        if not lease_acquire(holder=holder, seconds=seconds, name=name):
            logger.warning("%s lost the lease of job %s", holder, job)

    try:
        with Heartbeat(renew):
            yield True
    finally:
        lease_release(holder=holder, name=name)


# -- background jobs a person started ------------------------------------------------------------------


def job_claim(job_id: str) -> bool:
    """Queued → running, once: a task delivered twice runs its job once."""
    now = timezone.now()
    running = BackgroundJob.objects.filter(pk=job_id, status=JobStatus.QUEUED)
    return bool(running.update(status=JobStatus.RUNNING, heartbeat_at=now))


def job_beat(job_id: str, **fields: Any) -> None:
    """The job is alive (and, with fields, its progress). Raises JobLost when it was reaped."""
    alive = BackgroundJob.objects.filter(pk=job_id, status=JobStatus.RUNNING)
    if not alive.update(heartbeat_at=timezone.now(), **fields):
        raise JobLost(job_id)


def job_heartbeat(job_id: str) -> Heartbeat:
    def beat() -> None:
        try:
            job_beat(job_id)
        except JobLost:
            logger.warning("job %s was reaped while running", job_id)

    return Heartbeat(beat)


def job_finish(job_id: str, **fields: Any) -> bool:
    """Running → the outcome in ``fields``; False when the job was reaped meanwhile."""
    running = BackgroundJob.objects.filter(pk=job_id, status=JobStatus.RUNNING)
    return bool(running.update(finished_at=timezone.now(), **fields))


def job_files_delete(job: BackgroundJob) -> None:
    """The job's upload, result and anything else under its folder in encrypted storage."""

    names = {n for n in (job.input_name, job.result_name) if n}
    folder = f"jobs/{job.pk}"
    with contextlib.suppress(FileNotFoundError):
        names |= {f"{folder}/{name}" for name in encrypted_storage.listdir(folder)[1]}
    for name in names:
        encrypted_storage.delete(name)


# -- the reaper ----------------------------------------------------------------------------------------


def _stale(cutoff: datetime) -> Q:
    return Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at__isnull=True, updated_at__lt=cutoff)


def _task_results_fail(*, task_id: str = "", job_id: str = "") -> None:
    """Mark the dead worker's task row failed (django-tasks-db keeps it "running" otherwise)."""
    try:
        from django_tasks_db.models import DBTaskResult  # noqa: PLC0415 (the task table exists only with the database backend configured)
    except ImportError:  # pragma: no cover (another task backend)
        return

    rows = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING)
    if task_id:
        rows = rows.filter(pk=task_id)
    elif job_id:
        rows = rows.filter(args_kwargs__kwargs__job_id=job_id)
    else:
        return
    rows.update(
        status=TaskResultStatus.FAILED,
        finished_at=timezone.now(),
        exception_class_path="talentcloud.infra.jobs.JobLost",
        traceback="The worker running this task stopped (its job's heartbeat went stale).",
    )


def background_jobs_reap(now: datetime | None = None) -> int:
    """Fail every running import or export whose heartbeat is stale; delete its files. Returns how many."""

    now = now or timezone.now()
    cutoff = now - timedelta(seconds=stale_seconds())
    reaped = 0
    for job in BackgroundJob.objects.filter(_stale(cutoff), status=JobStatus.RUNNING):
        code = "worker_lost_import" if job.kind.endswith("_import") else "worker_lost"
        with transaction.atomic():
            claimed = BackgroundJob.objects.filter(_stale(cutoff), pk=job.pk, status=JobStatus.RUNNING)
            if not claimed.update(
                status=JobStatus.FAILED,
                message_code=code,
                input_name="",
                result_name="",
                finished_at=now,
            ):
                continue  # it beat (or finished) meanwhile
            audit_record(
                actor=None,
                actor_username="system",
                action="job.lost",
                object_type="job",
                object_id=job.pk,
                outcome="failure",
                details={"kind": job.kind, "owner": job.owner_id},
            )
            transaction.on_commit(lambda job=job: job_files_delete(job))  # type: ignore[misc]
        _task_results_fail(job_id=str(job.pk))
        logger.warning("job %s (%s) lost its worker: failed", job.pk, job.kind)
        reaped += 1
    return reaped


def slots_reap(now: datetime | None = None) -> int:
    """Run again every periodic slot whose run lost its worker (failed after ``SLOT_MAX_RUNS`` runs)."""
    from .tasks import run_scheduled_job  # noqa: PLC0415 (cycle: the tasks module runs this one's functions)

    now = now or timezone.now()
    cutoff = now - timedelta(seconds=stale_seconds())
    stale = ScheduledSlot.objects.filter(
        Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at__isnull=True),
        started_at__isnull=False,
        finished_at__isnull=True,
    )
    reaped = 0
    for slot in stale:
        with transaction.atomic():
            claimed = stale.filter(pk=slot.pk, runs=slot.runs)
            if slot.runs >= SLOT_MAX_RUNS:
                if not claimed.update(
                    finished_at=now,
                    outcome=SlotOutcome.FAILED,
                    message=f"the worker running it stopped {slot.runs} times",
                ):
                    continue
            else:
                if not claimed.update(started_at=None, heartbeat_at=None):
                    continue
                result = run_scheduled_job.enqueue(slot_id=slot.pk)
                ScheduledSlot.objects.filter(pk=slot.pk).update(task_id=str(result.id))
        if slot.task_id:
            _task_results_fail(task_id=slot.task_id)
        logger.warning("periodic job %s (slot %s) lost its worker after run %s", slot.job, slot.pk, slot.runs)
        reaped += 1
    return reaped


def unstarted_reap(now: datetime | None = None) -> int:
    """Queue again every task a worker claimed but never began (django-tasks-db commits the claim a moment
    before the task starts; a worker stopped in between leaves the task "running" and its job or slot never
    started). Its row is failed and the same task queued again."""
    try:
        from django_tasks_db.models import DBTaskResult  # noqa: PLC0415 (the task table exists only with the database backend configured)
    except ImportError:  # pragma: no cover (another task backend)
        return 0

    now = now or timezone.now()
    cutoff = now - timedelta(seconds=stale_seconds())
    requeued = 0
    for row in DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING, started_at__lt=cutoff):
        args, kwargs = row.args_kwargs.get("args", []), row.args_kwargs.get("kwargs", {})
        if "slot_id" in kwargs:
            never = ScheduledSlot.objects.filter(
                pk=kwargs["slot_id"], task_id=str(row.pk), started_at__isnull=True, finished_at__isnull=True
            ).exists()
        elif "job_id" in kwargs:
            never = BackgroundJob.objects.filter(pk=kwargs["job_id"], status=JobStatus.QUEUED).exists()
        else:
            continue
        if not never:
            continue
        with transaction.atomic():
            if not DBTaskResult.objects.filter(pk=row.pk, status=TaskResultStatus.RUNNING).update(
                status=TaskResultStatus.FAILED,
                finished_at=now,
                exception_class_path="talentcloud.infra.jobs.JobLost",
                traceback="The worker that claimed this task stopped before it began; queued again.",
            ):
                continue
            result = row.task.enqueue(*args, **kwargs)
            if "slot_id" in kwargs:
                ScheduledSlot.objects.filter(pk=kwargs["slot_id"]).update(task_id=str(result.id))
        logger.warning("task %s (%s) was claimed but never began: queued again", row.pk, row.task_path)
        requeued += 1
    return requeued


def jobs_reap(now: datetime | None = None) -> dict[str, int]:
    return {"jobs": background_jobs_reap(now), "slots": slots_reap(now), "tasks": unstarted_reap(now)}


def jobs_reap_job() -> None:
    """The periodic reaper (the ``jobs_reap`` job of ``SCHEDULED_JOBS`` below)."""
    found = jobs_reap()
    if any(found.values()):
        logger.warning("reaped jobs whose worker died: %s", found)


# The periodic jobs of the background machinery itself (``scheduling.configured_jobs`` collects every app's).
SCHEDULED_JOBS = [
    ScheduledJob(name="heartbeat", task="talentcloud.infra.tasks.heartbeat", cron="*/5 * * * *"),
    ScheduledJob(name="jobs_reap", task="talentcloud.infra.jobs.jobs_reap_job", cron="* * * * *"),
    ScheduledJob(name="backup", task="talentcloud.infra.backup.backup_job", cron="30 2 * * *"),
]
