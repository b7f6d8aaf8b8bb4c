"""The shapes of two declarations that apps of every layer make, the audit log's app included: a retention
rule (``<app>/retention.py``: ``RETENTION_RULES``, swept by ``privacy.retention``) and a periodic job
(``<app>/jobs.py``: ``SCHEDULED_JOBS``, fired by the scheduler, ``infra.scheduling``).

They live in the kernel so that an app below the mechanism that runs them (audit below privacy and below the
scheduler; privacy below the scheduler) can declare its own without importing upward. Nothing here imports
the project.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import QuerySet


@dataclass(frozen=True)
class RetentionRule:
    """Rows older than their retention period, and what happens to them.

    ``days`` is the period an operator may change by the rule's ``name`` (``TALENTCLOUD_RETENTION_JSON``);
    ``rows(cutoff)`` are the rows past it; ``action`` is ``"delete"`` or ``"blank:<field>"``."""

    name: str
    description: object  # a lazy translation: what is removed, for people
    rows: Callable[[datetime], QuerySet[Any]]
    days: int
    action: str = "delete"

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


@dataclass(frozen=True)
class ScheduledJob:
    """A periodic job: its ``name`` (the key of ``TALENTCLOUD_SCHEDULE`` and of the runs on ``/ops/``), the
    dotted path of the function it runs (``task``, called with no arguments) and when (``cron``: five fields,
    or six with seconds first)."""

    name: str
    task: str
    cron: str
