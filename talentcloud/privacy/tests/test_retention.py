from __future__ import annotations

import datetime as dt
from datetime import timedelta

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.utils import timezone
from django.utils.module_loading import import_string

from talentcloud.accounts.models import ApiToken
from talentcloud.accounts.services import token_create
from talentcloud.audit.models import AuditEvent
from talentcloud.common.models import ScheduledSlot
from talentcloud.infra.scheduling import configured_jobs
from talentcloud.privacy.retention import retention_days, retention_rules, retention_sweep
from talentcloud.talents.models import RightsRequest, Talent
from talentcloud.talents.services import rights_request_complete, rights_request_create

pytestmark = pytest.mark.django_db


def test_every_scheduled_job_and_rule_exists():
    for job in configured_jobs():
        assert callable(import_string(job.func_path)), job.func_path
    assert set(retention_days()) == {rule.name for rule in retention_rules()}


def test_each_app_declares_its_rules_with_the_periods_they_had():
    assert retention_days() == {
        "task_results": 30,  # common (the background machinery)
        "scheduled_slots": 90,
        "denied_attempt_counters": 365,  # audit
        "expired_sessions": 0,  # accounts
        "dead_api_tokens": 90,
        "login_attempts": 180,
        "rights_request_details": 3 * 365,  # talents
        "talentcode_verifications": 365,  # talentcode
        "payout_bank_files": 90,  # payouts: bank and return files, after reconciliation
        "programme_payee_accounts": 365,  # programs: accounts of applications ended without an award
        "programme_objections": 3 * 365,  # programs: objections' text, after the 公示
        "event_registrations": 365,  # stations: guests who did not become leads
        "dropped_station_leads": 2 * 365,
    }


def test_an_operator_changes_a_period_by_name_and_a_mistyped_name_is_refused(settings):
    settings.RETENTION_DAYS = {"task_results": 60}
    assert retention_days()["task_results"] == 60
    assert retention_days()["scheduled_slots"] == 90
    settings.RETENTION_DAYS = {"task_result": 60}
    with pytest.raises(ValueError, match="task_result"):
        retention_sweep()
    assert not AuditEvent.objects.filter(action="retention.sweep").exists()


def test_sweep_deletes_and_blanks_what_is_past_its_time(make_user):
    user = make_user("talent-office", "320115-ZZB")
    long_ago = timezone.now() - timedelta(days=4 * 365)
    with time_machine.travel(long_ago):
        old_token, _ = token_create(actor=user, name="old", days=1, console=True)
        ScheduledSlot.objects.create(job="heartbeat", slot=timezone.now())
        talent = Talent.objects.create(
            name="王五", gender="M", birth_date=dt.date(1980, 1, 1), highest_degree="master", category="young"
        )
        request = rights_request_create(
            actor=user, talent=talent, kind="correct", details="电话应为13900000000"
        )
        rights_request_complete(actor=user, request=request, answer="已更正")
        Session.objects.create(session_key="x" * 32, session_data="", expire_date=timezone.now())
    fresh_token, _ = token_create(actor=user, name="new", console=True)
    ScheduledSlot.objects.create(job="heartbeat", slot=timezone.now())
    counts = retention_sweep()
    assert counts["dead_api_tokens"] == 1
    assert counts["scheduled_slots"] == 1
    assert counts["rights_request_details"] == 1
    assert counts["expired_sessions"] >= 1
    assert list(ApiToken.objects.values_list("pk", flat=True)) == [fresh_token.pk]
    assert not ApiToken.objects.filter(pk=old_token.pk).exists()
    kept = RightsRequest.objects.get(pk=request.pk)
    assert kept.details == ""
    assert kept.answer == "已更正"
    event = AuditEvent.objects.get(action="retention.sweep")
    assert event.details["counts"] == counts
    assert retention_sweep()["rights_request_details"] == 0
