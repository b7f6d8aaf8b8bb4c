"""With a worker and the scheduler running for real, a case past its deadline turns red and is escalated
exactly once (the job runs every two seconds here, several times over)."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from django.utils import timezone

from talentcloud.common.models import ScheduledSlot
from talentcloud.infra.tests.processes import start, stop
from talentcloud.notifications.models import Notification
from talentcloud.servicehall import cases
from talentcloud.servicehall.models import Case, CaseEvent
from talentcloud.servicehall.workflow import case_transition

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.processes]
SCHEDULE = {"case_escalation": "*/2 * * * * *"}


def test_overdue_case_is_escalated_once_by_the_running_scheduler(catalogue, applicant, make_user):
    head = make_user("department-head", "320115-ZZB")
    office = make_user("talent-office", "320115-ZZB")
    staff = make_user("service-staff", "320115-ZZB")
    service = catalogue["policy-consultation"]
    case = cases.case_submit(
        actor=applicant, service=service, data={"question": "超期的问题"}, idempotency_key="e"
    )
    case = case_transition(actor=staff, case=case, action="accept")
    on_time = cases.case_submit(
        actor=applicant, service=service, data={"question": "准时的问题"}, idempotency_key="f"
    )
    case_transition(actor=staff, case=on_time, action="accept")
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    Case.objects.filter(pk=case.pk).update(due_on=yesterday, yellow_on=yesterday - dt.timedelta(days=2))
    case.refresh_from_db()
    assert case.colour(timezone.localdate()) == "red"

    worker = start("db_worker", "--interval", "0.2", schedule=SCHEDULE)
    scheduler = start("scheduler", "--lease-seconds", "10", schedule=SCHEDULE)
    try:
        # Ends once three runs are done; the processes alone may take a minute to start on a busy machine.
        deadline = time.monotonic() + 180
        runs = ScheduledSlot.objects.filter(job="case_escalation", finished_at__isnull=False)
        while time.monotonic() < deadline and runs.count() < 3:
            time.sleep(0.5)
    finally:
        logs = [stop(p) for p in (scheduler, worker)]
    assert runs.count() >= 3, "\n".join(logs)
    case.refresh_from_db()
    assert case.escalated_at is not None
    assert CaseEvent.objects.filter(case=case, action="escalate").count() == 1
    assert Notification.objects.filter(recipient=head, event="case.escalated").count() == 1
    assert Notification.objects.filter(recipient=office, event="case.escalated").count() == 1
    assert Case.objects.get(pk=on_time.pk).escalated_at is None
