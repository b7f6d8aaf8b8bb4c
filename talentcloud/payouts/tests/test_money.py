"""The arithmetic of schedules and clawbacks, checked against cases computed by hand."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from talentcloud.payouts.money import fen, full_months, payable_by, refund_due

D = Decimal


def test_rounding_is_half_up_to_the_fen():
    assert fen(D("0.005")) == D("0.01")
    assert fen(D("0.0049")) == D("0.00")
    assert fen(D("2.675")) == D("2.68")  # binary floats would say 2.67
    assert fen(D("-0.005")) == D("-0.01")


@pytest.mark.parametrize(
    ("start", "end", "months"),
    [
        (dt.date(2025, 3, 15), dt.date(2025, 3, 31), 0),  # left in the first month
        (dt.date(2025, 3, 15), dt.date(2025, 4, 14), 0),
        (dt.date(2025, 3, 15), dt.date(2025, 4, 15), 1),
        (dt.date(2024, 1, 31), dt.date(2024, 2, 29), 1),  # month end: no 31st in February
        (dt.date(2024, 1, 31), dt.date(2024, 2, 28), 0),
        (dt.date(2020, 1, 1), dt.date(2024, 12, 31), 59),  # one day before 5 years end
        (dt.date(2020, 1, 1), dt.date(2025, 1, 1), 60),
    ],
)
def test_full_months_served(start, end, months):
    assert full_months(start, end) == months


@pytest.mark.parametrize(
    ("paid", "total", "obligation", "served", "refund"),
    [
        # A 100,000 purchase subsidy, 5-year obligation, all paid.
        (D("100000"), D("100000"), 60, 0, D("100000.00")),  # departure in the first month: everything
        (D("100000"), D("100000"), 60, 59, D("1666.67")),  # one day before the end: 100000 − 100000/60×59
        (D("100000"), D("100000"), 60, 60, D("0.00")),  # obligation served
        (D("100000"), D("100000"), 60, 61, D("0.00")),  # served longer: still nothing
        # Paid in tranches: 40,000 paid, 30 of 60 months served → the served share is 50,000: no negative.
        (D("40000"), D("100000"), 60, 30, D("0.00")),
        # 60,000 paid, served 30 months → 10,000.
        (D("60000"), D("100000"), 60, 30, D("10000.00")),
        # 10,000 over 36 months, 7 served → 10000 − 1944.444… = 8055.555… → 8055.56 (half up, once).
        (D("10000"), D("10000"), 36, 7, D("8055.56")),
    ],
)
def test_refund_pro_rata_matches_hand_computed_cases(paid, total, obligation, served, refund):
    assert refund_due(paid=paid, total=total, obligation_months=obligation, months_served=served) == refund


@pytest.mark.parametrize(
    ("period", "cadence", "due"),
    [
        (dt.date(2025, 1, 1), "monthly", dt.date(2025, 2, 28)),
        (dt.date(2025, 1, 1), "quarterly", dt.date(2025, 4, 30)),  # Q1 paid by the end of April
        (dt.date(2025, 3, 1), "quarterly", dt.date(2025, 4, 30)),
        (dt.date(2025, 4, 1), "quarterly", dt.date(2025, 7, 31)),
        (dt.date(2025, 12, 1), "quarterly", dt.date(2026, 1, 31)),
        (dt.date(2025, 5, 1), "annual", dt.date(2026, 3, 31)),  # started 2025-03: first year ends 2026-02
        (dt.date(2025, 3, 1), "once", dt.date(2025, 4, 30)),
    ],
)
def test_when_a_line_is_payable(period, cadence, due):
    assert (
        payable_by(period, cadence, dt.date(2025, 3, 1) if cadence in ("annual", "once") else period) == due
    )
