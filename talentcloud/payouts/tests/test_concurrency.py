"""Concurrent approvals never commit beyond a budget line: each award takes the line's row lock (real
threads on PostgreSQL; SQLite serialises writers anyway)."""

from __future__ import annotations

import datetime as dt
import threading
from decimal import Decimal

import pytest
from django.db import connection

from talentcloud.accounts.models import OrgUnit
from talentcloud.common.errors import ValidationFailed
from talentcloud.payouts import ledger
from talentcloud.payouts.enums import Account
from talentcloud.payouts.models import Award, BudgetLine
from talentcloud.payouts.office import grants_confirm
from talentcloud.payouts.services import budget_line_set

from .test_ledger import reconciles
from .test_office import account_on_record, granted_by_sweep
from .world import award, talent, world


@pytest.mark.django_db(transaction=True)
def test_concurrent_awards_never_commit_beyond_the_line(make_user, kfq_firm):
    if connection.vendor != "postgresql":
        pytest.skip("row locks are PostgreSQL's; SQLite has one writer at a time")
    w = world(make_user, kfq_firm, budget=Decimal("48000"))  # room for exactly five 9,600 awards
    people = [talent(kfq_firm) for _ in range(16)]
    start = threading.Barrier(16)
    outcomes: list[str] = []

    def approve(person):
        try:
            start.wait()
            award(w, person, months=12, amount=Decimal("800"))
            outcomes.append("ok")
        except ValidationFailed:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=approve, args=(p,)) for p in people]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["ok"] * 5 + ["refused"] * 11
    line = BudgetLine.objects.get()
    assert line.committed == Decimal("48000.00") == line.amount
    assert Award.objects.count() == 5
    assert ledger.balance(Account.AVAILABLE, budget_line=line) == 0
    reconciles()


@pytest.mark.django_db(transaction=True)
def test_concurrent_bulk_confirmations_never_commit_beyond_the_line(make_user, kfq_firm):
    """Two offices confirm the same pending grants at once: each person is awarded at most once in all,
    the line is never passed, and the rest are refused per person."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks are PostgreSQL's; SQLite has one writer at a time")
    per_person = Decimal("800") * 36
    w = world(make_user, kfq_firm, budget=per_person * 3)  # room for three
    budget_line_set(
        actor=w.maker,
        policy_code="graduate-living-allowance",
        fiscal_year=2025,
        department=OrgUnit.objects.get(code="320115-ZZB"),
        amount=Decimal("100000"),
    )
    people = [talent(kfq_firm) for _ in range(6)]
    for person in people:
        account_on_record(w, person)
    granted_by_sweep(people, w.policy)
    offices = [w.maker, make_user("talent-office")]
    start = threading.Barrier(2)
    made: list[int] = []

    def confirm(actor):
        try:
            start.wait()
            done = grants_confirm(
                actor=actor, policy=w.policy, talent_ids=[p.pk for p in people], starts=dt.date(2025, 1, 1)
            )
            made.append(len(done.made))
        finally:
            connection.close()

    threads = [threading.Thread(target=confirm, args=(o,)) for o in offices]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(made) == 3  # each person at most once: the other office finds the award and is refused
    line = BudgetLine.objects.get(policy_code=w.policy.code)
    assert line.committed == line.amount == per_person * 3
    assert Award.objects.filter(policy=w.policy).count() == 3
    assert Award.objects.filter(policy=w.policy).values("talent").distinct().count() == 3
    reconciles()
