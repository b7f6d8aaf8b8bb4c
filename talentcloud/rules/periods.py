"""Periods in years, months and days, read as the law reads them (ADR 0017), written once for every rule.

- A period of N years or months from a date ends on the corresponding day of the last month; a month without
  that day ends the period on its last day (民法典 art. 202): 29 February + 1 year = 28 February;
  31 January + 1 month = 28 (or 29) February. A period of N days ends N days later.
- 以上, 以下, 以内 and 届满 include the number; 不满, 超过 and 以外 exclude it (民法典 art. 1259). So
  "毕业 5 年以内" holds up to and including the fifth anniversary of graduation; "超过 5 年" from the day
  after it; "届满 1 年" from the first anniversary on; "不满 1 年" until the day before it.
- Age is counted in 周岁, whole years by birthday: "不超过 35 周岁" holds until the day before the 36th
  birthday ("不满 36 周岁").

The four operators of a date fact, with ``end = start + N`` and ``ref`` the evaluation date (or the date the
policy text names, a clause's ``as_of``):

    within       start ≤ ref ≤ end     (N 以内: the anniversary included; a date after ``ref`` is not "since")
    beyond       end < ref             (超过 N / N 以外)
    reached      end ≤ ref             (届满 N / 满 N / N 以上)
    not_reached  ref < end             (不满 N; for a birth date, 不超过 N−1 周岁)

Each is a comparison of the start date with a threshold computed from ``ref`` alone (``latest_start``: the
last start date whose period of N has ended by a day), so SQL compares a date column with constants and an
index on it serves.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from typing import Any

UNITS = ("years", "months", "days")
DATE_OPS = ("within", "beyond", "reached", "not_reached")


def _month_end(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def add_period(start: date, unit: str, n: int) -> date:
    """The day a period of ``n`` ``unit`` from ``start`` ends (民法典 art. 202: no such day → month's end)."""
    if unit == "days":
        return start + timedelta(days=n)
    months = n * 12 if unit == "years" else n
    index = start.year * 12 + (start.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(start.day, _month_end(year, month)))


def latest_start(day: date, unit: str, n: int) -> date:
    """The last start date whose period of ``n`` ``unit`` has ended by ``day`` (``add_period(s) ≤ day`` ⇔
    ``s ≤ latest_start(day)``; ``add_period`` never decreases as the start moves on)."""
    if unit == "days":
        return day - timedelta(days=n)
    months = n * 12 if unit == "years" else n
    index = day.year * 12 + (day.month - 1) - months
    year, month = divmod(index, 12)
    month += 1
    last = _month_end(year, month)
    if day.day == _month_end(day.year, day.month):  # every later day of that month clamps to ``day`` too
        return date(year, month, last)
    return date(year, month, min(day.day, last))


def holds(op: str, start: date, unit: str, n: int, ref: date) -> bool:
    """One date clause in Python (the definition; ``thresholds`` is the same in SQL's terms)."""
    end = add_period(start, unit, n)
    if op == "within":
        return start <= ref <= end
    if op == "beyond":
        return end < ref
    if op == "reached":
        return end <= ref
    if op == "not_reached":
        return ref < end
    raise ValueError(op)


def thresholds(op: str, unit: str, n: int, ref: date) -> tuple[date | None, date | None]:
    """The clause as ``low < start ≤ high`` (None: unbounded), for SQL. ``end < ref`` ⇔ ``end ≤ ref − 1 day``
    ⇔ ``start ≤ latest_start(ref − 1 day)``."""
    reached = latest_start(ref, unit, n)
    passed = latest_start(ref - timedelta(days=1), unit, n)
    if op == "within":  # not (end < ref) and start ≤ ref
        return passed, ref
    if op == "beyond":
        return None, passed
    if op == "reached":
        return None, reached
    if op == "not_reached":
        return reached, None
    raise ValueError(op)


def period_of(value: Any) -> tuple[str, Any] | None:
    """``{"years": 5}`` → ("years", 5); None when it is not one period."""
    if not isinstance(value, dict) or len(value) != 1:
        return None
    unit, n = next(iter(value.items()))
    return (unit, n) if unit in UNITS else None


def as_date(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            return None
    return None
