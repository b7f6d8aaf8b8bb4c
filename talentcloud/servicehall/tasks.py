"""The hall's periodic work: escalate overdue cases (once each), close cases left unrated."""

from __future__ import annotations

import uuid
from collections import defaultdict

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from talentcloud.audit.services import audit_record
from talentcloud.notifications.texts import CodedText

from .enums import CaseState
from .models import Case, CaseEvent
from .workflow import BY_KEY, SYSTEM


def escalate_overdue() -> int:
    """Escalate every case being handled whose deadline has passed and that was not escalated yet.

    Set-based: one conditional UPDATE marks the cases with this run's token (a case already escalated, by an
    earlier or a concurrent run, does not match), then the marked cases get their timeline events and the
    department heads and the talent office one message per department. Escalation is a flag on a case being
    handled (the table's ``escalate`` row from ``in_progress``, allowed to the system); the state does not
    change, and the revision does, so a page opened before it is stale.
    """
    assert SYSTEM in BY_KEY[(CaseState.IN_PROGRESS, "escalate")].roles
    token, now, today = uuid.uuid4(), timezone.now(), timezone.localdate()
    with transaction.atomic():
        marked = Case.objects.filter(
            state=CaseState.IN_PROGRESS, due_on__lt=today, escalated_at__isnull=True
        ).update(escalated_at=now, escalation_run=token, revision=F("revision") + 1)
        if not marked:
            return 0
        by_department: dict[int, list[Case]] = defaultdict(list)
        events = []
        for case in (
            Case.objects.filter(escalation_run=token)
            .select_related("service", "department")
            .defer("form_data")
            .iterator(chunk_size=2000)
        ):
            by_department[case.department_id].append(case)
            events.append(
                CaseEvent(
                    case=case,
                    action="escalate",
                    from_state=CaseState.IN_PROGRESS,
                    to_state=CaseState.IN_PROGRESS,
                    note=CodedText("case.overdue", due=case.due_on),
                )
            )
        CaseEvent.objects.bulk_create(events, batch_size=2000)
        audit_record(
            actor=None,
            actor_username="system",
            action="case.escalate_sweep",
            object_type="case",
            details={"cases": marked},
        )
        transaction.on_commit(lambda: _escalation_messages(by_department))
    return marked


def _escalation_messages(by_department: dict[int, list[Case]]) -> None:
    from .effects import _notify, department_staff, office_staff

    office = office_staff()
    for cases in by_department.values():
        first = cases[0]
        heads = {u.pk: u for u in [*department_staff(first, heads_only=True), *office]}
        if len(cases) == 1:
            _notify(heads.values(), "case.escalated", first, department=first.department, due=first.due_on)
        else:
            from talentcloud.notifications.services import notify

            for user in heads.values():
                notify(
                    recipient=user,
                    event="cases.escalated",
                    params={"count": len(cases), "department": first.department},
                    url="/hall/work/?colour=red",
                )


def escalate_overdue_job() -> None:
    escalate_overdue()


def unrated_sweep_job() -> None:
    from .ratings import unrated_sweep

    unrated_sweep()
