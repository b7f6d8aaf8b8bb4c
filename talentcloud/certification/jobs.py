"""The certification app's periodic job: 到期复核 (expiry and renewals taking effect), early each morning."""

from __future__ import annotations

from talentcloud.common.declarations import ScheduledJob

SCHEDULED_JOBS = [
    ScheduledJob(
        name="certification_daily", task="talentcloud.certification.services.daily_job", cron="5 0 * * *"
    ),
]
