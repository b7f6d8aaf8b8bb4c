"""The case table's set-based move on the engine: the overdue sweep (``servicehall.tasks.escalate_overdue``)
escalates through ``bulk_transition`` — only cases being handled, once each, one audit event, one message per
department after the commit."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.models import TextField
from django.db.models.functions import Cast
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from talentcloud.audit.models import AuditEvent
from talentcloud.notifications.models import Notification
from talentcloud.notifications.texts import CodedText
from talentcloud.servicehall import cases
from talentcloud.servicehall.models import Case, CaseEvent, Service
from talentcloud.servicehall.tasks import escalate_overdue
from talentcloud.servicehall.workflow import case_transition

pytestmark = pytest.mark.django_db


def test_the_overdue_sweep_moves_through_the_table(
    make_case, owner, make_user, django_capture_on_commit_callbacks
):
    staff = make_user("service-staff", "320115-ZZB")
    head = make_user("department-head", "320115-ZZB")
    office = make_user("talent-office", "320115-ZZB")
    service = Service.objects.get(code="policy-consultation")
    running = []
    for key in "abc":
        case = cases.case_submit(actor=owner, service=service, data={"question": "超期"}, idempotency_key=key)
        running.append(case_transition(actor=staff, case=case, action="accept"))
    submitted = cases.case_submit(
        actor=owner, service=service, data={"question": "未受理"}, idempotency_key="d"
    )
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    overdue = [running[0].pk, running[1].pk, submitted.pk]
    Case.objects.filter(pk__in=overdue).update(due_on=yesterday)
    revisions = dict(Case.objects.values_list("pk", "revision"))

    with django_capture_on_commit_callbacks(execute=True):
        assert escalate_overdue() == 2  # the submitted case has no "escalate" row in the table

    fresh = {c.pk: c for c in Case.objects.all()}
    for pk in (running[0].pk, running[1].pk):
        assert fresh[pk].escalated_at is not None
        assert fresh[pk].escalation_run is not None
        assert fresh[pk].state == "in_progress"
        assert fresh[pk].revision == revisions[pk] + 1
    assert fresh[running[0].pk].escalation_run == fresh[running[1].pk].escalation_run
    assert fresh[running[2].pk].escalated_at is None
    assert fresh[submitted.pk].escalated_at is None
    assert fresh[submitted.pk].revision == revisions[submitted.pk]
    assert CaseEvent.objects.filter(action="escalate").count() == 2
    (audit,) = AuditEvent.objects.filter(action="case.escalate_sweep")
    assert audit.details == {"count": 2, "from": {"in_progress": 2}}
    for person in (head, office):  # two cases of one department: one message
        assert Notification.objects.filter(recipient=person, event="cases.escalated").count() == 1
        assert not Notification.objects.filter(recipient=person, event="case.escalated").exists()

    assert escalate_overdue() == 0  # escalated once
    assert AuditEvent.objects.filter(action="case.escalate_sweep").count() == 1


def _running_cases(owner, make_user, count: int) -> list[Case]:
    staff = make_user("service-staff", "320115-ZZB")
    service = Service.objects.get(code="policy-consultation")
    running = []
    for index in range(count):
        case = cases.case_submit(
            actor=owner, service=service, data={"question": "超期"}, idempotency_key=f"k{index}"
        )
        running.append(case_transition(actor=staff, case=case, action="accept"))
    return running


def test_the_sweep_writes_each_deadline_in_its_timeline_note(make_case, owner, make_user):
    running = _running_cases(owner, make_user, 2)
    today = timezone.localdate()
    due = {running[0].pk: today - dt.timedelta(days=3), running[1].pk: today - dt.timedelta(days=40)}
    for pk, day in due.items():
        Case.objects.filter(pk=pk).update(due_on=day)

    assert escalate_overdue() == 2

    for pk, day in due.items():
        event = CaseEvent.objects.get(case_id=pk, action="escalate")
        assert (event.actor, event.from_state, event.to_state) == (None, "in_progress", "in_progress")
        with translation.override("en"):
            assert str(CaseEvent.objects.get(pk=event.pk).note) == f"Overdue: the deadline was {day}."
        raw = CaseEvent.objects.filter(pk=event.pk).values_list(Cast("note", TextField()), flat=True)
        assert raw[0] == CodedText("case.overdue", due=day).stored()  # as if written one case at a time


def test_the_sweep_runs_the_same_statements_for_two_cases_or_six(make_case, owner, make_user):
    """Set-based: no statement per case (the query count does not grow with the cases moved)."""
    running = _running_cases(owner, make_user, 8)
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    counts = []
    for batch in (running[:2], running[2:]):
        Case.objects.filter(pk__in=[c.pk for c in batch]).update(due_on=yesterday)
        with CaptureQueriesContext(connection) as queries:
            assert escalate_overdue() == len(batch)
        counts.append(len(queries))
    assert counts[0] == counts[1]
