"""The audit app's periodic job (the scheduler, ``common.scheduling``, fires it)."""

from __future__ import annotations

from talentcloud.common.declarations import ScheduledJob

SCHEDULED_JOBS = [
    ScheduledJob(name="audit_seal", task="talentcloud.audit.tasks.audit_seal_job", cron="* * * * *"),
]
