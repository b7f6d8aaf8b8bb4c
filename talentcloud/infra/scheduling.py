"""The periodic-job scheduler: APScheduler cron triggers that only *enqueue* tasks.

Exactly once per slot, with any number of scheduler processes started:
1. only the process holding the ``scheduler`` lease (a row renewed by a conditional UPDATE) fires jobs;
2. each firing inserts a ``ScheduledSlot`` row that is unique per (job, slot), so even two processes that
   both believe they hold the lease (a paused process waking up) cannot enqueue the same slot twice;
3. the worker (django-tasks-db) hands each enqueued task to one worker.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import threading
import time
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger
from django.conf import settings
from django.db import DatabaseError, IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.module_loading import import_string

from talentcloud.common.declarations import ScheduledJob
from talentcloud.common.models import ScheduledSlot, SchedulerLease
from talentcloud.common.registries import Declarations

logger = logging.getLogger(__name__)
LEASE_NAME = "scheduler"


@dataclass(frozen=True)
class Job:
    name: str
    func_path: str
    cron: str

    def trigger(self) -> CronTrigger:
        fields = self.cron.split()
        tz = settings.TIME_ZONE
        if len(fields) == 5:
            return CronTrigger.from_crontab(self.cron, timezone=tz)
        if len(fields) == 6:
            second, minute, hour, day, month, dow = fields
            return CronTrigger(
                second=second, minute=minute, hour=hour, day=day, month=month, day_of_week=dow, timezone=tz
            )
        raise ValueError(f"cron expression for {self.name!r} must have 5 or 6 fields: {self.cron!r}")


SCHEDULED: Declarations[ScheduledJob] = Declarations("jobs", "SCHEDULED_JOBS")


def configured_jobs() -> list[Job]:
    """Every installed app's ``SCHEDULED_JOBS`` (its ``jobs.py``), in ``INSTALLED_APPS`` order; a job of
    ``settings.SCHEDULE`` (``{"name": ("dotted.path", "cron")}``) replaces the one of its name or is added;
    ``TALENTCLOUD_SCHEDULE`` (JSON ``{"job": "cron"}``) overrides times. A job name declared twice, or an
    override naming no job, is an error."""
    jobs: dict[str, Job] = {}
    for declared in SCHEDULED.items():
        if declared.name in jobs:
            raise ValueError(f"periodic job {declared.name!r} is declared twice")
        jobs[declared.name] = Job(name=declared.name, func_path=declared.task, cron=declared.cron)
    for name, (path, cron) in getattr(settings, "SCHEDULE", {}).items():
        jobs[name] = Job(name=name, func_path=path, cron=cron)
    overrides: dict[str, str] = json.loads(os.environ.get("TALENTCLOUD_SCHEDULE", "{}"))
    unknown = set(overrides) - set(jobs)
    if unknown:
        raise ValueError(f"TALENTCLOUD_SCHEDULE names unknown jobs: {sorted(unknown)}")
    return [
        Job(name=job.name, func_path=job.func_path, cron=overrides.get(job.name, job.cron))
        for job in jobs.values()
    ]


def lease_acquire(*, holder: str, seconds: int, name: str = LEASE_NAME) -> bool:
    """Take or renew the lease. True when ``holder`` holds it until now + seconds."""
    now = timezone.now()
    expires = now + timedelta(seconds=seconds)
    with transaction.atomic():
        updated = SchedulerLease.objects.filter(Q(holder=holder) | Q(expires_at__lt=now), name=name).update(
            holder=holder, expires_at=expires
        )
        if updated:
            return True
    try:
        with transaction.atomic():
            SchedulerLease.objects.create(name=name, holder=holder, expires_at=expires)
        return True
    except IntegrityError:
        return False


def lease_release(*, holder: str, name: str = LEASE_NAME) -> None:
    SchedulerLease.objects.filter(name=name, holder=holder).delete()


def lease_held(*, holder: str, name: str = LEASE_NAME) -> bool:
    return SchedulerLease.objects.filter(name=name, holder=holder, expires_at__gte=timezone.now()).exists()


def slot_enqueue(*, job: str, slot: datetime) -> ScheduledSlot | None:
    """Record the slot and enqueue its run; None when this slot was already enqueued."""
    from .tasks import run_scheduled_job  # noqa: PLC0415 (cycle: the tasks module runs this one's functions)

    try:
        with transaction.atomic():
            row = ScheduledSlot.objects.create(job=job, slot=slot)
            result = run_scheduled_job.enqueue(slot_id=row.pk)
            row.task_id = str(result.id)
            row.save(update_fields=["task_id"])
    except IntegrityError:
        return None
    return row


def current_slot() -> datetime:
    """The firing time rounded to the whole second (APScheduler fires within milliseconds of the slot)."""
    now = timezone.now()
    rounded = now.replace(microsecond=0)
    if now.microsecond >= 500_000:
        rounded += timedelta(seconds=1)
    return rounded


class SchedulerProcess:
    """Runs until stopped: holds the lease while it can and fires cron jobs only while holding it."""

    def __init__(self, jobs: list[Job], lease_seconds: int | None = None):
        self.jobs = jobs
        self.lease_seconds = lease_seconds or settings.SCHEDULER_LEASE_SECONDS
        self.holder = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self.stopping = threading.Event()
        self.scheduler: BackgroundScheduler | None = None

    def fire(self, job_name: str) -> None:
        if not lease_held(holder=self.holder):
            logger.warning("scheduler %s lost its lease; %s not enqueued", self.holder, job_name)
            return
        slot = current_slot()
        if slot_enqueue(job=job_name, slot=slot):
            logger.info("enqueued %s for %s", job_name, slot.isoformat())

    def _start(self) -> None:
        scheduler = BackgroundScheduler(timezone=settings.TIME_ZONE)
        for job in self.jobs:
            scheduler.add_job(
                self.fire,
                trigger=job.trigger(),
                args=[job.name],
                id=job.name,
                coalesce=True,
                max_instances=1,
                misfire_grace_time=30,
            )
        scheduler.start()
        self.scheduler = scheduler
        logger.info("scheduler %s active with jobs %s", self.holder, [j.name for j in self.jobs])

    def _stop_scheduler(self) -> None:
        if self.scheduler is not None:
            self.scheduler.shutdown(wait=False)
            self.scheduler = None

    def run(self) -> None:
        logger.info("scheduler %s starting; waiting for the lease", self.holder)
        try:
            while not self.stopping.is_set():
                held = lease_acquire(holder=self.holder, seconds=self.lease_seconds)
                if held and self.scheduler is None:
                    self._start()
                elif not held and self.scheduler is not None:
                    logger.warning("scheduler %s lost the lease; standing by", self.holder)
                    self._stop_scheduler()
                self.stopping.wait(max(self.lease_seconds / 3, 0.5))
        finally:
            self._stop_scheduler()
            self._release()

    def _release(self, attempts: int = 5) -> None:
        """Give the lease back so a standby takes over at once rather than when it expires; a database busy
        with another writer (SQLite's one write lock, on a loaded machine) is tried again."""
        for attempt in range(1, attempts + 1):
            try:
                lease_release(holder=self.holder)
                logger.info("scheduler %s stopped; lease released", self.holder)
                return
            except DatabaseError:
                if attempt == attempts:
                    logger.exception("scheduler %s could not release its lease: it expires", self.holder)
                    return
                time.sleep(0.5 * attempt)

    def stop(self) -> None:
        self.stopping.set()


def run_job_now(job_name: str) -> None:
    """Run a configured job's function directly (used by the task and by operators)."""
    for job in configured_jobs():
        if job.name == job_name:
            import_string(job.func_path)()
            return
    raise KeyError(job_name)
