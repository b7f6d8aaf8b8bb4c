"""The policies' periodic job: the 免申即享 sweep (the scheduler, ``common.scheduling``, fires it)."""

from __future__ import annotations

from talentcloud.common.declarations import ScheduledJob

SCHEDULED_JOBS = [
    ScheduledJob(name="policy_sweep", task="talentcloud.policies.sweep.sweep_job", cron="10 1 * * *"),
]
