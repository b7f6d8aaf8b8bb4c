"""Concurrent approvals never commit beyond a budget line: each award takes the line's row lock (real
threads on PostgreSQL; SQLite serialises writers anyway)."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from django.db import connection

from talentcloud.common.errors import ValidationFailed
from talentcloud.payouts import ledger
from talentcloud.payouts.enums import Account
from talentcloud.payouts.models import Award, BudgetLine

from .test_ledger import reconciles
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
