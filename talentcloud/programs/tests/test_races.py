"""Races for real (#24): threads with their own PostgreSQL connections. Concurrent nominations never exceed
the enterprise's quota; concurrent approvals never commit more than the call's budget line."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection, connections
from django.db.models import Sum
from django.utils import timezone

from talentcloud.common.errors import Conflict, DomainError
from talentcloud.payouts import ledger
from talentcloud.payouts.enums import Account
from talentcloud.payouts.models import Award as LedgerAward
from talentcloud.payouts.models import BudgetLine
from talentcloud.payouts.services import budget_line_set
from talentcloud.programs import services
from talentcloud.programs.enums import SeatStatus
from talentcloud.programs.models import Application, Award, Quota

from .world import make_world, reviewer

__all__ = ["connection"]  # read by the skip condition

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif("connection.vendor != 'postgresql'", reason="row locks need PostgreSQL"),
]


def race(count: int, work: Callable[[int], Any]) -> Counter[str]:
    start = threading.Barrier(count)
    outcomes: Counter[str] = Counter()
    lock = threading.Lock()

    def run(i: int) -> None:
        try:
            start.wait()
            work(i)
            outcome = "ok"
        except Conflict:
            outcome = "conflict"
        except DomainError as exc:
            outcome = f"other:{exc.code}"
        except Exception as exc:  # anything else is a finding, counted by its kind
            outcome = f"error:{type(exc).__name__}:{exc}"
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


def test_concurrent_nominations_keep_to_the_quota(make_user):
    world = make_world(make_user)
    Quota.objects.create(call=world.call, enterprise=world.firm, places=3)
    apps = [world.application(state="submitted") for _ in range(10)]

    def nominate(i: int) -> None:
        services.move(actor=world.hr, application=Application.objects.get(pk=apps[i].pk), action="nominate")

    outcomes = race(10, nominate)
    assert outcomes == Counter({"ok": 3, "conflict": 7})
    assert Application.objects.filter(state="nominated").count() == 3


def test_concurrent_recommendations_keep_to_the_parks_quota(make_user):
    world = make_world(make_user)
    Quota.objects.create(call=world.call, unit=world.park.unit, places=2)
    apps = [world.application(state="nominated") for _ in range(8)]

    def recommend(i: int) -> None:
        services.move(
            actor=world.park, application=Application.objects.get(pk=apps[i].pk), action="recommend"
        )

    outcomes = race(8, recommend)
    assert outcomes == Counter({"ok": 2, "conflict": 6})


def test_concurrent_approvals_commit_at_most_the_budget_line(make_user):
    world = make_world(make_user, budget=Decimal("3000000"), places=10)
    world.experts(9)
    ceremony = services.ceremony_record(
        actor=world.office, call=world.call, digits="20261130", witnesses="甲"
    )
    criteria = list(world.call.criteria.all())
    apps = [world.application(state="accepted") for _ in range(8)]
    for application in apps:  # every one scored alike: all share rank 1, none waits for another
        row = services.draw_panel(actor=world.office, application=application, ceremony=ceremony)
        for seat in row.seats.filter(status=SeatStatus.SEATED):
            services.score_submit(
                actor=reviewer(seat), seat=seat, values={c.pk: 85 for c in criteria}, comments={}
            )

    def approve(i: int) -> None:
        services.approve(actor=world.office, application=Application.objects.get(pk=apps[i].pk))

    outcomes = race(8, approve)
    assert outcomes == Counter({"ok": 3, "conflict": 5})
    assert Award.objects.aggregate(total=Sum("amount"))["total"] == Decimal("3000000")
    assert Application.objects.filter(state="approved").count() == 3
    # the ledger agrees: three awards committed on the call's line, to the fen, and no more
    line = BudgetLine.objects.get(policy_code=world.call.code)
    assert line.committed == Decimal("3000000.00")
    assert LedgerAward.objects.filter(budget_line=line).count() == 3
    assert ledger.balance(Account.COMMITTED, budget_line=line) == Decimal("3000000.00")


def test_concurrent_approvals_keep_to_a_ledger_line_smaller_than_the_call(make_user):
    """The budget line is the ledger's (ADR 0030): a line of 2.5 million under a call of ten places of one
    million each takes two approvals, whatever the threads do."""
    world = make_world(make_user, budget=Decimal("10000000"), places=10)
    budget_line_set(
        actor=world.office,
        policy_code=world.call.code,
        fiscal_year=timezone.localdate().year,
        department=world.office.unit,
        amount=Decimal("2500000"),
    )
    world.experts(9)
    ceremony = services.ceremony_record(
        actor=world.office, call=world.call, digits="20261130", witnesses="甲"
    )
    criteria = list(world.call.criteria.all())
    apps = [world.application(state="accepted") for _ in range(6)]
    for application in apps:
        row = services.draw_panel(actor=world.office, application=application, ceremony=ceremony)
        for seat in row.seats.filter(status=SeatStatus.SEATED):
            services.score_submit(
                actor=reviewer(seat), seat=seat, values={c.pk: 85 for c in criteria}, comments={}
            )

    def approve(i: int) -> None:
        services.approve(actor=world.office, application=Application.objects.get(pk=apps[i].pk))

    outcomes = race(6, approve)
    assert outcomes == Counter({"ok": 2, "conflict": 4})
    line = BudgetLine.objects.get(policy_code=world.call.code)
    assert line.committed == Decimal("2000000.00")
    assert LedgerAward.objects.filter(budget_line=line).count() == 2
    assert Application.objects.filter(state="approved").count() == 2
