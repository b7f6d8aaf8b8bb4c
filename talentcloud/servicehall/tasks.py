"""The hall's periodic work: escalate overdue cases (once each), close cases left unrated."""

from __future__ import annotations

import uuid

from django.db.models import F
from django.utils import timezone

from talentcloud.notifications.texts import coded_text_sql
from talentcloud.workflow.engine import bulk_transition

from .models import Case
from .ratings import unrated_sweep
from .workflow import CASES


def escalate_overdue() -> int:
    """Escalate every case being handled whose deadline has passed and that was not escalated yet.

    Set-based, through the case table (``bulk_transition``): the table's ``escalate`` rows the system may take
    (from ``in_progress``) decide which states move; one conditional UPDATE per chunk marks the overdue cases
    with this run's token and time (a case already escalated, by an earlier or a concurrent run, does not
    match), each gets its timeline event (one ``INSERT … SELECT`` per chunk, the deadline put in the note by
    the database), one audit event ``case.escalate_sweep`` counts them, and the department heads and
    the talent office get one message per department after the commit (``effects.escalate_sweep_tell``).
    Escalation is a flag on a case being handled; the state does not change, and the revision does, so a page
    opened before it is stale.
    """
    token, now, today = uuid.uuid4(), timezone.now(), timezone.localdate()
    overdue = Case.objects.filter(due_on__lt=today, escalated_at__isnull=True)
    moved = bulk_transition(
        CASES,
        queryset=overdue,
        action="escalate",
        fields={"escalated_at": now, "escalation_run": token},
        # Written by the database with each case's deadline: no case is loaded into Python.
        note=coded_text_sql("case.overdue", due=F("due_on")),
    )
    return moved.count


def escalate_overdue_job() -> None:
    escalate_overdue()


def unrated_sweep_job() -> None:
    unrated_sweep()
