"""What the operations pages read: the schedule and its runs, background jobs, the system's health.

Readers only, built on the existing ones (``common.scheduling``, ``common.jobs``, ``common.workdays``,
``accounts.selectors``); each takes ``viewer=`` and checks the permission itself.
"""

from __future__ import annotations

import shutil
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connection
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from talentcloud.accounts.permissions import require_perm
from talentcloud.common.models import BackgroundJob, ScheduledSlot, SchedulerLease, SlotOutcome
from talentcloud.common.workdays import years_without_data
from talentcloud.infra.jobs import stale_seconds
from talentcloud.infra.scheduling import LEASE_NAME, configured_jobs

from .permissions import OperationsPerm

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from talentcloud.accounts.models import User

HEARTBEAT_JOB = "heartbeat"
# Disk on the private media root (uploads, exports, backups): a warning below either figure.
DISK_WARN_FREE_FRACTION = 0.10
DISK_WARN_FREE_BYTES = 2 * 1024**3


@dataclass
class ScheduleRow:
    name: str
    cron: str
    next_run: datetime | None
    last: ScheduledSlot | None
    last_failure: ScheduledSlot | None
    failures_recent: int


def schedule_overview(*, viewer: User | AnonymousUser) -> list[ScheduleRow]:
    """Each job of ``settings.SCHEDULE``: its cron, next fire time (the APScheduler trigger's), its newest
    run and newest failure, and how many of its last 20 runs failed."""
    require_perm(viewer, OperationsPerm.SYSTEM_STATUS)
    now = timezone.now()
    rows = []
    for job in configured_jobs():
        recent = list(ScheduledSlot.objects.filter(job=job.name).order_by("-slot")[:20])
        rows.append(
            ScheduleRow(
                name=job.name,
                cron=job.cron,
                next_run=job.trigger().get_next_fire_time(None, now),
                last=recent[0] if recent else None,
                last_failure=ScheduledSlot.objects.filter(job=job.name, outcome=SlotOutcome.FAILED)
                .order_by("-slot")
                .first(),
                failures_recent=sum(1 for s in recent if s.outcome == SlotOutcome.FAILED),
            )
        )
    return rows


def slot_list(
    *, viewer: User | AnonymousUser, failed_only: bool = False, limit: int = 50
) -> list[ScheduledSlot]:
    require_perm(viewer, OperationsPerm.SYSTEM_STATUS)
    qs = ScheduledSlot.objects.order_by("-slot", "-pk")
    if failed_only:
        qs = qs.filter(outcome=SlotOutcome.FAILED)
    return list(qs[:limit])


def background_job_list(*, viewer: User | AnonymousUser, limit: int = 30) -> list[BackgroundJob]:
    require_perm(viewer, OperationsPerm.SYSTEM_STATUS)
    return list(BackgroundJob.objects.select_related("owner").order_by("-created_at")[:limit])


def slot_is_stale(slot: ScheduledSlot, now: datetime | None = None) -> bool:
    """A started, unfinished slot whose heartbeat is older than ``JOB_STALE_SECONDS`` (the reaper's test)."""
    if slot.finished_at is not None or slot.heartbeat_at is None:
        return False
    return (now or timezone.now()) - slot.heartbeat_at > timedelta(seconds=stale_seconds())


@dataclass
class Check:
    key: str
    label: Any
    status: str  # "ok", "warning" or "error"
    detail: Any = ""
    facts: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.status == "ok"


def _database() -> Check:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as exc:
        return Check(
            "database", _("Database"), "error", _("Not reachable: %(error)s") % {"error": type(exc).__name__}
        )
    return Check("database", _("Database"), "ok", connection.vendor)


def _cache() -> Check:
    key, value = f"operations:health:{uuid.uuid4().hex}", uuid.uuid4().hex
    try:
        cache.set(key, value, 30)
        read = cache.get(key)
        cache.delete(key)
    except Exception as exc:
        return Check(
            "cache", _("Cache"), "error", _("Not reachable: %(error)s") % {"error": type(exc).__name__}
        )
    if read != value:
        return Check("cache", _("Cache"), "error", _("A value written could not be read back."))
    return Check("cache", _("Cache"), "ok", settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1])


def _heartbeat(now: datetime) -> Check:
    """The newest finished run of the ``heartbeat`` job proves that the scheduler fired and a worker ran it;
    late once it is older than three of the job's intervals."""
    label = _("Worker heartbeat")
    job = next((j for j in configured_jobs() if j.name == HEARTBEAT_JOB), None)
    if job is None:
        return Check("heartbeat", label, "warning", _("The heartbeat job is not scheduled."))
    trigger = job.trigger()
    first = trigger.get_next_fire_time(None, now)
    second = trigger.get_next_fire_time(first, first + timedelta(seconds=1)) if first else None
    interval = (second - first) if first and second else timedelta(minutes=5)
    last = (
        ScheduledSlot.objects.filter(job=HEARTBEAT_JOB, outcome=SlotOutcome.DONE, finished_at__isnull=False)
        .order_by("-finished_at")
        .first()
    )
    if last is None or last.finished_at is None:
        return Check(
            "heartbeat", label, "error", _("No heartbeat has been recorded yet: is a worker running?")
        )
    age = now - last.finished_at
    facts = {"at": last.finished_at}
    if age > 3 * interval:
        return Check(
            "heartbeat",
            label,
            "error",
            _("The last heartbeat is older than three intervals: the scheduler or the worker has stopped."),
            facts,
        )
    return Check("heartbeat", label, "ok", _("A worker ran the last heartbeat."), facts)


def _lease(now: datetime) -> Check:
    label = _("Scheduler lease")
    lease = SchedulerLease.objects.filter(name=LEASE_NAME).first()
    if lease is None:
        return Check("lease", label, "error", _("No scheduler has ever held the lease: is one running?"))
    facts = {"holder": lease.holder, "at": lease.expires_at}
    if lease.expires_at < now:
        return Check("lease", label, "error", _("The lease has expired: no scheduler is running."), facts)
    return Check("lease", label, "ok", _("Held by %(holder)s.") % {"holder": lease.holder}, facts)


def _disk() -> Check:
    label = _("Disk (private files)")
    root = settings.PRIVATE_MEDIA_ROOT
    try:
        usage = shutil.disk_usage(root)
    except OSError:
        return Check(
            "disk", label, "error", _("The private files folder cannot be read."), {"path": str(root)}
        )
    free_fraction = usage.free / usage.total if usage.total else 0.0
    facts = {
        "path": str(root),
        "free": usage.free,
        "total": usage.total,
        "percent": round(free_fraction * 100),
    }
    if free_fraction < DISK_WARN_FREE_FRACTION or usage.free < DISK_WARN_FREE_BYTES:
        return Check("disk", label, "warning", _("Little space is left."), facts)
    return Check("disk", label, "ok", "", facts)


def _calendar(now: datetime) -> Check:
    label = _("Holiday calendar")
    gaps = years_without_data(timezone.localdate(now))
    if gaps:
        years = ", ".join(str(y) for y in gaps)
        return Check(
            "calendar",
            label,
            "warning",
            _("No holidays are known for %(years)s: time limits there count every weekday.")
            % {"years": years},
            {"years": gaps},
        )
    return Check("calendar", label, "ok", _("This year and next year are covered."))


def health_checks(*, viewer: User | AnonymousUser) -> list[Check]:
    """Database, cache, worker heartbeat, scheduler lease, disk on the private media root, holiday-calendar
    coverage. Each check catches its own failure, so one broken part does not hide the others."""
    require_perm(viewer, OperationsPerm.SYSTEM_STATUS)
    now = timezone.now()
    return [_database(), _cache(), _heartbeat(now), _lease(now), _disk(), _calendar(now)]
