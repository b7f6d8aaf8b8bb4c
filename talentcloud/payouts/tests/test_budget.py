"""Budget lines: raised or lowered, never below what is committed; at the year's end the uncommitted lapses
and the committed carries over or, as the office decides, is released and lapses too."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from talentcloud.accounts.models import OrgUnit
from talentcloud.common.errors import ValidationFailed
from talentcloud.payouts import ledger
from talentcloud.payouts.enums import Account
from talentcloud.payouts.services import budget_line_set, budget_year_close

from .test_ledger import reconciles
from .world import RENTAL, award, pay, talent, world

pytestmark = pytest.mark.django_db
D = Decimal


def test_a_line_never_goes_below_its_commitments_and_lapses_at_year_end(make_user, kfq_firm):
    w = world(make_user, kfq_firm, budget=D("20000"))
    a = award(w, talent(kfq_firm), months=12)  # 9,600 committed
    line = a.budget_line
    unit = OrgUnit.objects.get(code="320115-ZZB")
    with pytest.raises(ValidationFailed) as low:
        budget_line_set(
            actor=w.maker, policy_code=RENTAL, fiscal_year=2025, department=unit, amount=D("9599.99")
        )
    assert "amount" in low.value.fields
    budget_line_set(actor=w.maker, policy_code=RENTAL, fiscal_year=2025, department=unit, amount=D("15000"))
    with pytest.raises(ValidationFailed):
        award(w, talent(kfq_firm), months=12)  # 5,400 left: a 9,600 award does not fit
    pay(w, dt.date(2025, 4, 30))  # three months paid
    budget_year_close(actor=w.maker, line=line, carry_over=True)
    assert ledger.balance(Account.LAPSED, budget_line=line) == D("5400.00")
    assert ledger.balance(Account.COMMITTED, budget_line=line) == D("7200.00")  # carried over, still payable
    reconciles()


def test_without_carry_over_the_unpaid_commitment_is_released_and_lapses(make_user, kfq_firm):
    w = world(make_user, kfq_firm, budget=D("20000"))
    a = award(w, talent(kfq_firm), months=12)
    pay(w, dt.date(2025, 4, 30))
    budget_year_close(actor=w.maker, line=a.budget_line, carry_over=False)
    assert ledger.balance(Account.COMMITTED, budget_line=a.budget_line) == 0
    assert ledger.balance(Account.LAPSED, budget_line=a.budget_line) == D("20000.00") - D("2400.00")
    reconciles()
