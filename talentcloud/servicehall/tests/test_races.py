"""Races for real: threads with their own PostgreSQL connections (select_for_update and row locks do nothing
on SQLite, which serialises writers anyway)."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, connections

from talentcloud.common.errors import Conflict, DomainError
from talentcloud.servicehall import cases
from talentcloud.servicehall.models import Case, QuotaPool
from talentcloud.servicehall.workflow import case_transition

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif("connection.vendor != 'postgresql'", reason="row locks need PostgreSQL"),
]


MAX_CONNECTIONS = 40  # below the server's max_connections, which the test run shares


def race(count: int, work: Callable[[int], Any]) -> Counter[str]:
    """Run ``work(i)`` in ``count`` threads released at once (at most ``MAX_CONNECTIONS`` of them inside the
    database at a time); count the outcomes by kind."""
    start = threading.Barrier(count)
    seats = threading.BoundedSemaphore(MAX_CONNECTIONS)
    outcomes: Counter[str] = Counter()
    lock = threading.Lock()

    def run(i: int) -> None:
        try:
            start.wait()
            with seats:
                work(i)
            outcome = "ok"
        except Conflict:
            outcome = "conflict"
        except DomainError as exc:
            outcome = f"other:{exc.code}"
        except Exception as exc:  # anything else is a finding, counted by its kind
            outcome = f"error:{type(exc).__name__}"
        finally:
            connections.close_all()
        with lock:
            outcomes[outcome] += 1

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def test_fifty_accepts_of_one_case_one_wins(catalogue, applicant, make_user):
    service = catalogue["policy-consultation"]
    case = cases.case_submit(
        actor=applicant, service=service, data={"question": "落户需要什么材料？"}, idempotency_key="q"
    )
    staff = [make_user("service-staff", "320115-ZZB") for _ in range(5)]

    def accept(i: int) -> None:
        case_transition(actor=staff[i % 5], case=Case.objects.get(pk=case.pk), action="accept")

    outcomes = race(50, accept)
    assert outcomes == Counter({"ok": 1, "conflict": 49})
    case.refresh_from_db()
    assert (case.state, case.revision) == ("in_progress", 2)
    assert case.events.filter(action="accept").count() == 1


def test_hundred_applications_for_ten_places(catalogue, make_applicant, make_user):
    service = catalogue["health-check"]
    service.quota_per_year = 10
    service.save()
    people = [make_applicant(grade="C", name=f"申请人{i}") for i in range(100)]

    def apply(i: int) -> None:
        cases.case_submit(
            actor=people[i], service=service, data={"preferred_month": "4 月"}, idempotency_key=f"h{i}"
        )

    outcomes = race(100, apply)
    assert outcomes == Counter({"ok": 10, "conflict": 90})
    pool = QuotaPool.objects.get(service=service)
    assert pool.used == 10
    staff = make_user("service-staff", "320115-WJW")
    for case in Case.objects.filter(service=service, state="submitted"):
        case_transition(actor=staff, case=case, action="accept")
    assert Case.objects.filter(service=service, state="in_progress").count() == 10
    assert connection.vendor == "postgresql"


def test_two_submissions_with_one_key_at_once_make_one_case(catalogue, applicant):
    service = catalogue["policy-consultation"]

    def submit(_i: int) -> None:
        cases.case_submit(
            actor=applicant, service=service, data={"question": "同一个问题"}, idempotency_key="twice"
        )

    outcomes = race(2, submit)
    assert outcomes["ok"] == 2
    assert Case.objects.filter(applicant=applicant).count() == 1
