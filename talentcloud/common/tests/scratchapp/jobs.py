"""The scratch app's periodic job."""

from __future__ import annotations

from talentcloud.common.declarations import ScheduledJob

SCHEDULED_JOBS = [
    ScheduledJob(
        name="scratch_job", task="talentcloud.common.tests.scratchapp.tasks.scratch_job", cron="0 4 * * *"
    ),
]
