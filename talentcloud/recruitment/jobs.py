"""The recruitment app's periodic jobs (``infra.scheduling``): open demand past its deadline expires."""

from talentcloud.common.declarations import ScheduledJob

SCHEDULED_JOBS = [
    ScheduledJob(
        name="demand_expiry", task="talentcloud.recruitment.services.demand_expire_job", cron="20 0 * * *"
    ),
]
