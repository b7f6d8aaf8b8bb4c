"""The dashboard's figures about money (discovered by the dashboards app; ``common.metrics``): per policy,
what was disbursed (confirmed paid by the bank) and what is committed but not yet paid, from the ledger."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from talentcloud.common.metrics import Figures, Metric

from . import ledger
from .enums import Account


def money_by_policy() -> Figures:
    figures = ledger.balances("policy_code")
    codes = sorted(code for (code,) in figures)
    zero = Decimal(0)
    return {
        "keys": codes,
        "labels": codes,
        "series": {
            # Yuan with two decimals: a chart's number (the ledger keeps the exact figure).
            "paid": [float(figures[(c,)].get(Account.PAID, zero)) for c in codes],
            "committed": [float(figures[(c,)].get(Account.COMMITTED, zero)) for c in codes],
        },
    }


METRICS = [
    Metric(
        "payouts_by_policy",
        _("Money disbursed and committed, by policy (yuan)"),
        "bar",
        money_by_policy,
        series={"paid": _("Disbursed"), "committed": _("Committed, not yet paid")},
        order=90,
    ),
]
