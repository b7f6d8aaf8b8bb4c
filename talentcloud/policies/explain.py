"""Benefits in plain words, and the rule language's plain words re-exported, for the public pages (the policy
page and the service guide).

The conditions are put into words by ``talentcloud.rules.explain`` (the one rule language's renderer: no
comparison symbol, no code of a fact, parameter, policy or exclusion group reaches the text). This module adds
what is the policies' own: the benefit (money by grade or degree in 元 and, from ten thousand up, in 万元;
English: yuan).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _

from talentcloud.rules.explain import (
    Line,
    clause_text,
    conditions,
    label_words,
    money,
    tags_line,
    value_words,
)
from talentcloud.rules.facts import FACTS

from .formulas import words as formula_words

__all__ = [
    "Benefit",
    "BenefitRow",
    "Line",
    "benefit_words",
    "clause_text",
    "conditions",
    "money",
    "tags_line",
]


def _zh() -> bool:
    return not (get_language() or "").startswith("en")


# -- benefits -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BenefitRow:
    label: str  # "A 类", "博士"; "" for a single amount
    amount: str  # "300 万元"


@dataclass(frozen=True)
class Benefit:
    summary: str  # how it is paid ("一次性发放", "按月发放，最长 36 个月") or what is granted
    by: str  # "按人才认定类别" when the amount depends on a fact, else ""
    rows: list[BenefitRow]


def _period(benefit: dict[str, Any]) -> str:
    period = benefit.get("period", "once")
    months = benefit.get("months")
    if period == "tranches":
        shares = "/".join(f"{n}%" for n in benefit.get("shares") or [])
        return _("paid in yearly tranches (%(shares)s)") % {"shares": shares}
    if period == "year" and benefit.get("years"):
        return _("paid yearly, for at most %(n)s years") % {"n": benefit["years"]}
    if period == "month":
        if months:
            return _("paid monthly, for at most %(n)s months") % {"n": months}
        return _("paid monthly")
    if period == "year":
        return _("paid yearly")
    return _("paid once")


def benefit_words(benefit: dict[str, Any]) -> Benefit:
    """What a policy grants, in words: money by grade or degree in 元 / 万元, or the entitlement's text."""
    if benefit.get("kind") != "money":
        text = benefit.get("text_en") if not _zh() and benefit.get("text_en") else benefit.get("text", "")
        if benefit.get("imputed_yearly") is not None:  # what the office counts it as worth, for 就高不重复
            worth = _("counted as worth %(amount)s a year") % {"amount": money(benefit["imputed_yearly"])}
            return Benefit(str(text), "", [BenefitRow("", worth)])
        return Benefit(str(text), "", [])
    period = benefit.get("period", "once")
    per = {
        "month": pgettext("benefit", "%(amount)s a month"),
        "year": pgettext("benefit", "%(amount)s a year"),
    }.get(period, "%(amount)s")
    amount = benefit.get("amount")
    if isinstance(amount, dict) and "by" not in amount:  # a formula: said as one line
        return Benefit(_period(benefit), "", [BenefitRow("", per % {"amount": formula_words(amount)})])
    if isinstance(amount, dict):
        fact = FACTS.get(str(amount.get("by", "")))
        order = [code for code, _label in fact.choices] if fact else []
        table = amount.get("table") or {}
        keys = sorted(table, key=lambda k: order.index(k) if k in order else len(order))
        rows = [
            BenefitRow(value_words(fact, key) if fact else str(key), per % {"amount": money(table[key])})
            for key in keys
        ]
        by = _("by %(label)s") % {"label": label_words(fact)} if fact else ""
        return Benefit(_period(benefit), by, rows)
    return Benefit(_period(benefit), "", [BenefitRow("", per % {"amount": money(amount)})])
