"""Retention rules: what is deleted or blanked after how long (PIPL art. 19, minimum necessary).

Each rule names a set of rows older than its retention period and what happens to them. The daily
``retention_sweep`` job applies every rule and writes one audit event with the counts. Periods come from
``settings.RETENTION_DAYS`` (operators override them with ``TALENTCLOUD_RETENTION_JSON``). The audit log has
its own rule (``talentcloud audit prune``, never under six months).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q, QuerySet, TextField
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from talentcloud.audit.services import audit_record


@dataclass(frozen=True)
class RetentionRule:
    name: str
    description: object
    rows: Callable[[datetime], QuerySet]
    action: str = "delete"  # or "blank:<field>"

    def apply(self, cutoff: datetime) -> int:
        qs = self.rows(cutoff)
        if self.action == "delete":
            deleted, _by_model = qs.delete()
            return deleted
        field = self.action.removeprefix("blank:")
        count = 0
        for row in qs.iterator():  # encrypted fields are written through the model, one row at a time
            setattr(row, field, "")
            row.save(update_fields=[field])
            count += 1
        return count


def _sessions(cutoff: datetime) -> QuerySet:
    from django.contrib.sessions.models import Session

    return Session.objects.filter(expire_date__lt=cutoff)


def _tokens(cutoff: datetime) -> QuerySet:
    from talentcloud.accounts.models import ApiToken

    return ApiToken.objects.filter(Q(expires_at__lt=cutoff) | Q(revoked_at__lt=cutoff))


def _attempts(cutoff: datetime) -> QuerySet:
    from axes.models import AccessAttempt

    return AccessAttempt.objects.filter(attempt_time__lt=cutoff)


def _denied_counters(cutoff: datetime) -> QuerySet:
    from talentcloud.audit.models import DeniedAttempt

    return DeniedAttempt.objects.filter(last_at__lt=cutoff)


def _task_results(cutoff: datetime) -> QuerySet:
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(finished_at__lt=cutoff)


def _slots(cutoff: datetime) -> QuerySet:
    from talentcloud.common.models import ScheduledSlot

    return ScheduledSlot.objects.filter(slot__lt=cutoff)


def _request_details(cutoff: datetime) -> QuerySet:
    from talentcloud.talents.models import RightsRequest

    # The encrypted column refuses lookups; compare its stored text instead ("" stays unencrypted).
    raw = Cast(F("details"), output_field=TextField())
    return (
        RightsRequest.objects.filter(completed_at__lt=cutoff)
        .annotate(raw_details=raw)
        .exclude(raw_details="")
    )


RULES: tuple[RetentionRule, ...] = (
    RetentionRule("expired_sessions", _("Expired sign-in sessions"), _sessions),
    RetentionRule("dead_api_tokens", _("API tokens expired or revoked"), _tokens),
    RetentionRule("login_attempts", _("Failed sign-in records (username, address)"), _attempts),
    RetentionRule(
        "denied_attempt_counters", _("Counts of refused requests beside the audit log"), _denied_counters
    ),
    RetentionRule("task_results", _("Results of finished background tasks"), _task_results),
    RetentionRule("scheduled_slots", _("Records of periodic job runs"), _slots),
    RetentionRule(
        "rights_request_details",
        _("What was asked in answered personal-data requests"),
        _request_details,
        action="blank:details",
    ),
)


def retention_sweep(now: datetime | None = None) -> dict[str, int]:
    now = now or timezone.now()
    counts: dict[str, int] = {}
    with transaction.atomic():
        for rule in RULES:
            days = int(settings.RETENTION_DAYS[rule.name])
            counts[rule.name] = rule.apply(now - timedelta(days=days))
        audit_record(
            actor=None, actor_username="scheduler", action="retention.sweep", details={"counts": counts}
        )
    return counts


def retention_sweep_job() -> None:
    retention_sweep()
