"""The service hall's periodic jobs (the scheduler, ``common.scheduling``, fires them)."""

from __future__ import annotations

from talentcloud.common.declarations import ScheduledJob

SCHEDULED_JOBS = [
    ScheduledJob(
        name="case_escalation", task="talentcloud.servicehall.tasks.escalate_overdue_job", cron="*/10 * * * *"
    ),
    ScheduledJob(
        name="case_unrated_close", task="talentcloud.servicehall.tasks.unrated_sweep_job", cron="40 2 * * *"
    ),
]
