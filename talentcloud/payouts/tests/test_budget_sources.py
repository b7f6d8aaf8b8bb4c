"""The sweep reads a policy's budget from the ledger's budget line (``policies.budget_sources``, declared by
payouts), and falls back to the policy's projected ``yearly_budget`` where no line exists."""

from __future__ import annotations

from decimal import Decimal

import pytest

from talentcloud.accounts.models import OrgUnit
from talentcloud.payouts.services import budget_line_set
from talentcloud.policies.budget_sources import yearly_budgets
from talentcloud.policies.models import Policy, SweepResult
from talentcloud.policies.sweep import sweep
from talentcloud.policies.tests.test_sweep import ON, population

pytestmark = pytest.mark.django_db
ELITE = "elite-skills-subsidy"


def test_the_sweep_decides_budgets_with_the_ledgers_line(kfq_firm, make_user):
    population(kfq_firm, make_user)
    Policy.objects.filter(code=ELITE).update(yearly_budget=Decimal(100000))  # the projection: everyone
    run = sweep(on=ON)
    assert SweepResult.objects.get(run=run, policy_code=ELITE).exhausted == 0
    budget_line_set(
        actor=make_user("talent-office"),
        policy_code=ELITE,
        fiscal_year=ON.year,
        department=OrgUnit.objects.get(code="320115-ZZB"),
        amount=Decimal(15000),  # the ledger's line: three of six
    )
    policies = list(Policy.objects.filter(status="published"))
    budgets = yearly_budgets(policies, ON)
    assert budgets[ELITE] == Decimal("15000.00")
    assert (
        budgets["graduate-rental-subsidy"]
        == Policy.objects.get(code="graduate-rental-subsidy", status="published").yearly_budget
    )  # no line: its own projection
    run = sweep(on=ON)
    assert SweepResult.objects.get(run=run, policy_code=ELITE).exhausted == 3
    assert Policy.objects.get(code=ELITE, status="published").yearly_budget == Decimal(100000)  # untouched
