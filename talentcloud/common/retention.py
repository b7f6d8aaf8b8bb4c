"""Retention rules for the rows of the background machinery (``privacy.retention`` sweeps them)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django_tasks_db.models import DBTaskResult

from .declarations import RetentionRule
from .models import ScheduledSlot


def _task_results(cutoff: datetime) -> QuerySet[Any]:
    return DBTaskResult.objects.filter(finished_at__lt=cutoff)


def _slots(cutoff: datetime) -> QuerySet[ScheduledSlot]:
    return ScheduledSlot.objects.filter(slot__lt=cutoff)


RETENTION_RULES = [
    RetentionRule("task_results", _("Results of finished background tasks"), _task_results, days=30),
    RetentionRule("scheduled_slots", _("Records of periodic job runs"), _slots, days=90),
]
