"""The payout ledger is where a policy's budget lives (``policies.budget_sources``): the sweep decides its
claims against the budget line of the year as the ledger holds it (raised or lowered with approval), not the
policy's projected ``yearly_budget``. Commitments are checked again, under the line's lock, when an award is
made (``services.award_make``)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from talentcloud.policies.budget_sources import BudgetSource
from talentcloud.policies.models import Policy

from .models import BudgetLine


def _lines(policies: list[Policy], on: date) -> dict[str, Decimal]:
    lines = BudgetLine.objects.filter(
        policy_code__in=[p.code for p in policies], fiscal_year=on.year, closed=False
    )
    return {line.policy_code: line.amount for line in lines}


BUDGET_SOURCES = [BudgetSource("payouts.budget_lines", _lines)]
