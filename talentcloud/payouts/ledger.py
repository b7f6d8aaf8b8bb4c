"""The double-entry ledger: every event writes one entry of postings that sum to zero, and every figure the
office reads (committed, paid, due, recovered) is a sum of postings, per budget line, department, policy and
month. Nothing else writes ``Posting``."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db.models import Sum

from .enums import Account
from .models import BudgetLine, Posting

Leg = tuple[str, Decimal]


class Unbalanced(ValueError):
    """An entry whose postings do not sum to zero (a programming error: nothing is written)."""


def post(
    kind: str,
    line: BudgetLine,
    month: dt.date,
    legs: Iterable[Leg],
    *,
    award: Any = None,
    payout: Any = None,
    recovery: Any = None,
) -> uuid.UUID:
    """Write one balanced entry. Call it inside the transaction of the change it records."""
    legs = [(account, Decimal(amount)) for account, amount in legs if Decimal(amount) != 0]
    if sum((amount for _account, amount in legs), Decimal(0)) != 0:
        raise Unbalanced(f"{kind}: {legs}")
    entry = uuid.uuid4()
    Posting.objects.bulk_create(
        Posting(
            entry=entry,
            kind=kind,
            account=account,
            amount=amount,
            budget_line=line,
            department_id=line.department_id,
            policy_code=line.policy_code,
            month=month.replace(day=1),
            award=award,
            line=payout,
            recovery=recovery,
        )
        for account, amount in legs
    )
    return entry


def post_many(rows: list[Posting]) -> None:
    """Write entries built by a set-based step (a return file): each entry's postings must sum to zero."""
    totals: dict[uuid.UUID, Decimal] = {}
    for row in rows:
        totals[row.entry] = totals.get(row.entry, Decimal(0)) + row.amount
    if any(total != 0 for total in totals.values()):
        raise Unbalanced("a set of entries does not balance")
    for start in range(0, len(rows), 2000):
        Posting.objects.bulk_create(rows[start : start + 2000])


def balances(*group_by: str, **filters: Any) -> dict[tuple[Any, ...], dict[str, Decimal]]:
    """Each account's balance per group (``"budget_line"``, ``"department"``, ``"policy_code"``,
    ``"month"``): {(group values): {account: amount}}."""
    out: dict[tuple[Any, ...], dict[str, Decimal]] = {}
    rows = Posting.objects.filter(**filters).values(*group_by, "account").annotate(total=Sum("amount"))
    for row in rows:
        key = tuple(row[g] for g in group_by)
        out.setdefault(key, {})[row["account"]] = row["total"]
    return out


def balance(account: str, **filters: Any) -> Decimal:
    total = Posting.objects.filter(account=account, **filters).aggregate(total=Sum("amount"))["total"]
    return total if total is not None else Decimal("0.00")


def left_on(line: BudgetLine) -> Decimal:
    """What is left to commit on a budget line: its available balance in the ledger."""
    return balance(Account.AVAILABLE, budget_line=line)
