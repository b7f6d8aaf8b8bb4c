"""The dashboards' periodic job (the scheduler, ``common.scheduling``, fires it)."""

from __future__ import annotations

from talentcloud.common.declarations import ScheduledJob

SCHEDULED_JOBS = [
    ScheduledJob(
        name="dashboard_refresh",
        task="talentcloud.dashboards.metrics.snapshot_refresh_job",
        cron="*/15 * * * *",
    ),
]
