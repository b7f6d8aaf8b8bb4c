"""The privacy app's periodic job (the scheduler, ``common.scheduling``, fires it)."""

from __future__ import annotations

from talentcloud.common.declarations import ScheduledJob

SCHEDULED_JOBS = [
    ScheduledJob(
        name="retention_sweep", task="talentcloud.privacy.retention.retention_sweep_job", cron="17 3 * * *"
    ),
]
