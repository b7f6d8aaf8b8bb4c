"""The periodic jobs each app declares in its ``jobs.py``, as the scheduler and ``/ops/`` see them."""

from __future__ import annotations

import json

import pytest

from talentcloud.infra.scheduling import configured_jobs


def test_each_app_declares_its_jobs_with_the_times_they_had():
    assert {(job.name, job.func_path, job.cron) for job in configured_jobs()} == {
        ("heartbeat", "talentcloud.infra.tasks.heartbeat", "*/5 * * * *"),
        ("jobs_reap", "talentcloud.infra.jobs.jobs_reap_job", "* * * * *"),
        ("backup", "talentcloud.infra.backup.backup_job", "30 2 * * *"),
        ("audit_seal", "talentcloud.audit.tasks.audit_seal_job", "* * * * *"),
        ("retention_sweep", "talentcloud.privacy.retention.retention_sweep_job", "17 3 * * *"),
        ("case_escalation", "talentcloud.servicehall.tasks.escalate_overdue_job", "*/10 * * * *"),
        ("case_unrated_close", "talentcloud.servicehall.tasks.unrated_sweep_job", "40 2 * * *"),
        ("certification_daily", "talentcloud.certification.services.daily_job", "5 0 * * *"),
        ("policy_sweep", "talentcloud.policies.sweep.sweep_job", "10 1 * * *"),
        ("demand_expiry", "talentcloud.recruitment.services.demand_expire_job", "20 0 * * *"),
        ("dashboard_refresh", "talentcloud.dashboards.metrics.snapshot_refresh_job", "*/15 * * * *"),
        (
            "talentcode_verifications_audit",
            "talentcloud.talentcode.services.verifications_audit_job",
            "* * * * *",
        ),
    }
    assert len(configured_jobs()) == 12


def test_the_environment_changes_times_and_refuses_unknown_jobs(monkeypatch):
    monkeypatch.setenv("TALENTCLOUD_SCHEDULE", json.dumps({"case_escalation": "*/2 * * * * *"}))
    jobs = {job.name: job for job in configured_jobs()}
    assert jobs["case_escalation"].cron == "*/2 * * * * *"
    assert jobs["policy_sweep"].cron == "10 1 * * *"
    monkeypatch.setenv("TALENTCLOUD_SCHEDULE", json.dumps({"no_such_job": "* * * * *"}))
    with pytest.raises(ValueError, match="no_such_job"):
        configured_jobs()


def test_a_job_in_settings_replaces_the_declared_one_or_is_added(settings):
    settings.SCHEDULE = {
        "heartbeat": ("talentcloud.infra.tasks.heartbeat", "* * * * *"),
        "probe": ("talentcloud.infra.tests.test_jobs.probe_job", "* * * * *"),
    }
    jobs = {job.name: job for job in configured_jobs()}
    assert jobs["heartbeat"].cron == "* * * * *"
    assert jobs["probe"].func_path == "talentcloud.infra.tests.test_jobs.probe_job"
    assert len(jobs) == 13
