"""The talent code's periodic job: the audit events of the verifications of the last minute, appended in a
batch (ADR 0029; the scheduler, ``infra.scheduling``, fires it)."""

from __future__ import annotations

from talentcloud.common.declarations import ScheduledJob

SCHEDULED_JOBS = [
    ScheduledJob(
        name="talentcode_verifications_audit",
        task="talentcloud.talentcode.services.verifications_audit_job",
        cron="* * * * *",
    ),
]
