"""Money to the fen, and the schedule's and the clawback's arithmetic (pure functions, hand-checked in tests).

Rounding happens at exactly one point per line: ``fen`` (half up), applied to an award's amount per period
when the award is made and to a recovery's amount when it is raised. Everything after that adds and
subtracts amounts already in fen, so nothing is rounded twice."""

from __future__ import annotations

import calendar
import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from .enums import Cadence

CENT = Decimal("0.01")


def fen(value: Decimal | int | str) -> Decimal:
    """The amount rounded half up to the fen: the one rounding point (ADR 0024)."""
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later, cut to the month's last day (民法典 art. 202: 1-31 + 1 month = 2-28)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


def month_end(day: dt.date) -> dt.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def payable_by(period: dt.date, cadence: str, starts: dt.date) -> dt.date:
    """When the line for the month ``period`` is paid. Monthly: by the end of the next month. Quarterly in
    arrears: by the end of the first month of the next quarter. Yearly tranches: by the end of the month after
    the award's year (counted from its first month) closes. Once: by the end of the month after the first."""
    if cadence == Cadence.MONTHLY:
        return month_end(add_months(period, 1))
    if cadence == Cadence.QUARTERLY:
        quarter_start = dt.date(period.year, (period.month - 1) // 3 * 3 + 1, 1)
        return month_end(add_months(quarter_start, 3))
    if cadence == Cadence.ANNUAL:
        elapsed = (period.year - starts.year) * 12 + period.month - starts.month
        return month_end(add_months(starts, (elapsed // 12 + 1) * 12))
    return month_end(add_months(starts, 1))


def full_months(start: dt.date, end: dt.date) -> int:
    """Full months from ``start`` to ``end``: a month is full on the day numbered as the start day (or the
    month's last day when it has none), so 2024-01-31 → 2024-02-29 is one month and → 2024-02-28 none."""
    if end < start:
        return 0
    months = (end.year - start.year) * 12 + end.month - start.month
    if add_months(start, months) > end:
        months -= 1
    return max(months, 0)


def refund_due(*, paid: Decimal, total: Decimal, obligation_months: int, months_served: int) -> Decimal:
    """The pro rata clawback: max(0, paid − total ÷ obligation months × months served), rounded once."""
    if obligation_months <= 0:
        return Decimal("0.00")
    served_share = Decimal(total) * min(months_served, obligation_months) / obligation_months
    return max(Decimal("0.00"), fen(Decimal(paid) - served_share))


def plan_split(amount: Decimal, instalments: int, first_due: dt.date) -> list[tuple[int, dt.date, Decimal]]:
    """``amount`` in ``instalments`` monthly instalments from ``first_due``: equal shares in whole fen, the
    fen left over on the first ones, so they add up to the amount exactly (no rounding here)."""
    cents = int(fen(amount) * 100)
    share, left = divmod(cents, instalments)
    return [
        (n + 1, add_months(first_due, n), (Decimal(share + (1 if n < left else 0)) / 100).quantize(CENT))
        for n in range(instalments)
    ]
