"""The baseline the policy engine is measured against: the same rules evaluated as numpy expressions over
columns of facts, with the same three-valued logic (a fact's column has its values and a "known" mask; a rule
gives a "true" mask and a "false" mask, and what is neither is unknown). Benchmarks only; the platform's own
evaluations are ``rules.logic.evaluate`` (one person, with reasons) and ``rules.logic.to_sql`` (everyone,
inside the database)."""

from __future__ import annotations

import operator
from datetime import date
from typing import Any

import numpy as np

from talentcloud.rules.facts import whole_years
from talentcloud.rules.periods import DATE_OPS, as_date, period_of, thresholds
from talentcloud.talents.facts import DEGREE_RANK

Column = tuple[np.ndarray, np.ndarray]  # values, known
ROW = (
    "birth_date",
    "gender",
    "highest_degree",
    "graduated_on",
    "social_insurance_since",
    "arrived_on",
    "grade",
    "category",
    "tier",
    "owns_home_in_city",
    "employer_id",
)

COMPARE = {
    "==": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}


def _years(dates: list[date | None], on: date) -> Column:
    known = np.array([d is not None for d in dates])
    return np.array([whole_years(d, on) if d else 0 for d in dates]), known


def _days(dates: list[date | None]) -> Column:
    """A date fact as day numbers (``date.toordinal``), compared with the thresholds of ``rules.periods``."""
    known = np.array([d is not None for d in dates])
    return np.array([d.toordinal() if d else 0 for d in dates]), known


def _text(values: list[str]) -> Column:
    array = np.array(values, dtype=object)
    return array, array != ""


def columns(rows: list[tuple[Any, ...]], on: date) -> dict[str, Column]:
    """Fact columns from archive rows (``ROW``), as ``talents/facts.py`` defines each fact."""
    (birth, gender, degree, graduated, insured, arrived, grade, category, tier, home, employer) = (
        list(c) for c in zip(*rows, strict=True)
    )
    rank = np.array([DEGREE_RANK.get(d, 0) for d in degree])
    owns = np.array([bool(h) for h in home])
    return {
        "age": _years(birth, on),
        "gender": _text(gender),
        "highest_degree": _text(degree),
        "degree_rank": (rank, rank > 0),
        "years_since_graduation": _years(graduated, on),
        "social_insurance_years": _years(insured, on),
        "years_in_district": _years(arrived, on),
        "grade": _text(grade),
        "category": _text(category),
        "tier": _text(tier),
        "owns_home_in_city": (owns, np.array([h is not None for h in home])),
        "employed_in_district": (np.array([e is not None for e in employer]), np.ones(len(rows), dtype=bool)),
        "birth_date": _days(birth),
        "graduated_on": _days(graduated),
        "social_insurance_since": _days(insured),
        "arrived_on": _days(arrived),
        "_on": (np.array([on.toordinal()]), np.ones(1, dtype=bool)),  # the evaluation day
    }


def evaluate(rule: dict[str, Any], cols: dict[str, Column], params: dict[str, Any]) -> tuple[Any, Any]:
    """(true mask, false mask) of the rule over every row."""
    if "all" in rule or "any" in rule:
        parts = [evaluate(p, cols, params) for p in rule["all" if "all" in rule else "any"]]
        trues, falses = [p[0] for p in parts], [p[1] for p in parts]
        if "all" in rule:
            return np.logical_and.reduce(trues), np.logical_or.reduce(falses)
        return np.logical_or.reduce(trues), np.logical_and.reduce(falses)
    if "not" in rule:
        true, false = evaluate(rule["not"], cols, params)
        return false, true
    values, known = cols[rule["fact"]]
    value = rule["value"]
    op = rule["op"]
    if op in DATE_OPS:
        unit, n = period_of(value) or ("days", 0)
        n = params[n["param"]] if isinstance(n, dict) else n
        ref = as_date(rule.get("as_of")) or date.fromordinal(int(cols["_on"][0][0]))
        low, high = thresholds(op, unit, int(n), ref)
        hit = np.ones(len(values), dtype=bool)
        if low is not None:
            hit &= values > low.toordinal()
        if high is not None:
            hit &= values <= high.toordinal()
        return known & hit, known & ~hit
    if isinstance(value, dict):
        value = params[value["param"]]
    if op in ("in", "not_in"):
        hit = np.isin(values, value)
        hit = hit if op == "in" else ~hit
    elif op == "between":
        hit = (values >= value[0]) & (values <= value[1])
    else:
        hit = COMPARE[op](values, value)
    return known & hit, known & ~hit
