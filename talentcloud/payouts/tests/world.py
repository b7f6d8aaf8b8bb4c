"""A small payout world for the tests: the library's graduate rental subsidy, a budget line, the office's
maker and checker, a finance-bureau account and talents with awards."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from talentcloud.accounts.models import OrgUnit
from talentcloud.policies.loader import library_install
from talentcloud.policies.models import Policy
from talentcloud.servicehall.seed import catalogue_install
from talentcloud.talents.models import Talent

from ..bankfiles import FAILED, PAID
from ..batches import batch_draft, batch_move
from ..models import Award, BankFile, Batch
from ..services import award_make, budget_line_set

RENTAL = "graduate-rental-subsidy"
_numbers = itertools.count(1)


@dataclass
class World:
    maker: Any
    checker: Any
    finance: Any
    policy: Policy
    firm: Any


def world(make_user: Any, firm: Any, *, budget: Decimal = Decimal("10000000"), year: int = 2025) -> World:
    catalogue_install()
    library_install()
    maker = make_user("talent-office")
    checker = make_user("talent-office-head")
    finance = make_user("finance-bureau", "320115-CZJ")
    policy = Policy.objects.get(code=RENTAL, status="published")
    budget_line_set(
        actor=maker,
        policy_code=RENTAL,
        fiscal_year=year,
        department=OrgUnit.objects.get(code="320115-ZZB"),
        amount=budget,
    )
    return World(maker, checker, finance, policy, firm)


def talent(firm: Any, **kw: Any) -> Talent:
    n = next(_numbers)
    fields = {
        "name": f"租房者{n}",
        "birth_date": dt.date(1999, 5, 1),
        "highest_degree": "master",
        "graduated_on": dt.date(2024, 6, 30),
        "social_insurance_since": dt.date(2024, 8, 1),
        "owns_home_in_city": False,
        "employer": firm,
        **kw,
    }
    return Talent.objects.create(**fields)


def award(w: World, person: Talent, *, months: int = 12, cadence: str = "monthly", **kw: Any) -> Award:
    return award_make(
        actor=w.maker,
        policy=w.policy,
        talent=person,
        period_amount=kw.pop("amount", Decimal("800")),
        periods=months,
        cadence=cadence,
        starts=kw.pop("starts", dt.date(2025, 1, 1)),
        payee_account=kw.pop("account", f"6222{next(_numbers):016d}"),
        **kw,
    )


def return_text(batch: Batch, failed: set[str] = frozenset()) -> str:  # type: ignore[assignment]
    rows = ["key,status,note"]
    for line in BankFile.objects.get(batch=batch, kind="bank").content.splitlines()[1:]:
        key = line.split(",", 1)[0]
        rows.append(f"{key},{FAILED if key in failed else PAID},{'账户已销户' if key in failed else ''}")
    return "\n".join(rows) + "\n"


def pay(w: World, due_by: dt.date, failed: set[str] = frozenset()) -> Batch:  # type: ignore[assignment]
    """One batch through every step: drafted, re-checked, checked, approved, exported, its return imported."""
    batch = batch_draft(actor=w.maker, due_by=due_by)
    batch = batch_move(actor=w.maker, batch=batch, action="recheck")
    batch = batch_move(actor=w.checker, batch=batch, action="check")
    batch = batch_move(actor=w.finance, batch=batch, action="approve")
    batch = batch_move(actor=w.finance, batch=batch, action="export")
    return batch_move(
        actor=w.finance, batch=batch, action="import_return", return_file=return_text(batch, failed)
    )
