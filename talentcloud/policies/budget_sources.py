"""Where the 免申即享 sweep reads a policy's yearly budget: a registry a higher app fills (the payout ledger,
which stands above policies), falling back to the policy's own ``yearly_budget`` (the projection) when no
installed app knows a budget for it.

An app declares in its own ``budget_sources.py`` ``BUDGET_SOURCES = [BudgetSource(name, yearly)]``:
``yearly(policies, on)`` answers, for as many of ``policies`` as it knows, the budget of the fiscal year of
``on`` as {policy code: Decimal}, in one query for all. A later app's answer for a code wins over an earlier
one's. ``with_budgets`` gives the sweep copies of the policies carrying the budget it should decide with."""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from talentcloud.common.registries import Declarations

from .models import Policy


@dataclass(frozen=True)
class BudgetSource:
    name: str
    yearly: Callable[[list[Policy], date], dict[str, Decimal]]


DECLARED: Declarations[BudgetSource] = Declarations("budget_sources", "BUDGET_SOURCES")


def yearly_budgets(policies: list[Policy], on: date) -> dict[str, Decimal | None]:
    """Each policy's budget for the year of ``on``: the declared sources' answer, else its own."""
    budgets: dict[str, Decimal | None] = {p.code: p.yearly_budget for p in policies}
    for source in DECLARED.items():
        budgets.update(
            {code: amount for code, amount in source.yearly(policies, on).items() if code in budgets}
        )
    return budgets


def with_budgets(policies: list[Policy], on: date) -> list[Policy]:
    """The policies as the sweep decides with them: copies (the cached ones stay as published) whose
    ``yearly_budget`` is the declared budget where a source knows one."""
    budgets = yearly_budgets(policies, on)
    out = []
    for policy in policies:
        if budgets[policy.code] != policy.yearly_budget:
            policy = copy.copy(policy)
            policy.yearly_budget = budgets[policy.code]
        out.append(policy)
    return out
