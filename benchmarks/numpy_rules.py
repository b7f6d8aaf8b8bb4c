"""The baseline the policy engine is measured against: the same rules evaluated as numpy expressions over
columns of facts, with the same three-valued logic (a fact's column has its values and a "known" mask; a rule
gives a "true" mask and a "false" mask, and what is neither is unknown). Choice facts are small integer codes
(a vocabulary per column; a rule's values are looked up in it), dates are day numbers and a date clause
(以内/超过/届满/不满, ``rules.periods``) compares them with the thresholds the SQL form uses. Benchmarks
only; the platform's own evaluations are ``rules.logic.evaluate`` (one person, with reasons) and
``rules.logic.to_sql`` (everyone, inside the database). ``plain`` is the floor for one person: the same rules
in plain Python, without reasons."""

from __future__ import annotations

import operator
from datetime import date
from typing import Any

import numpy as np

from talentcloud.rules.logic import _compare
from talentcloud.rules.periods import DATE_OPS, as_date, period_of, thresholds
from talentcloud.talents.facts import DEGREE_RANK

Column = tuple[np.ndarray, np.ndarray]  # values, known
VOCABULARY: dict[int, dict[Any, int]] = {}  # id of a coded column's values → its codes
EPOCH = date(1900, 1, 1)
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
    "pk",
)

COMPARE = {
    "==": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}


def _day(value: Any) -> int:
    return (value - EPOCH).days


def _dates(dates: list[date | None]) -> Column:
    known = np.array([d is not None for d in dates])
    return np.array([_day(d) if d else 0 for d in dates], dtype=np.int64), known


def _years(dates: list[date | None], on: date) -> Column:
    known = np.array([d is not None for d in dates])
    year = np.array([d.year if d else 0 for d in dates])
    before = np.array([(d.month, d.day) > (on.month, on.day) if d else False for d in dates])
    return on.year - year - before.astype(int), known


def _text(values: list[str]) -> Column:
    """Small integer codes (0: blank), the vocabulary kept for the rules' values."""
    vocabulary: dict[Any, int] = {"": 0}
    codes = np.fromiter((vocabulary.setdefault(v, len(vocabulary)) for v in values), dtype=np.int16)
    VOCABULARY[id(codes)] = vocabulary
    return codes, codes != 0


def columns(rows: list[tuple[Any, ...]], on: date) -> dict[str, Column]:
    """Fact columns from archive rows (``ROW``), as ``talents/facts.py`` defines each fact."""
    (birth, gender, degree, graduated, insured, arrived, grade, category, tier, home, employer, _pk) = (
        list(c) for c in zip(*rows, strict=True)
    )
    rank = np.array([DEGREE_RANK.get(d, 0) for d in degree])
    owns = np.array([bool(h) for h in home])
    return {
        "age": _years(birth, on),
        "birth_date": _dates(birth),
        "graduated_on": _dates(graduated),
        "social_insurance_since": _dates(insured),
        "arrived_on": _dates(arrived),
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
    }


def derived_columns(subjects: Any, keys: set[str], on: date) -> tuple[list[Any], dict[str, Column]]:
    """Columns of the facts that are no archive column — derived from other tables (social-insurance
    runs, education, children) or defined by the office (ADR 0020) — read by one query with each fact's
    value as its SQL form computes it (a figure's ``value_sql``; a yes/no fact's ``== true`` clause, NULL
    when unknown; a choice's value, coded), ordered by id. Returns the ids and the columns."""
    from django.db.models import BooleanField, ExpressionWrapper, F

    from talentcloud.rules.facts import BOOL, ENUM, FACTS, with_sql_facts

    exprs: dict[str, Any] = {}
    for n, key in enumerate(sorted(keys)):
        fact = FACTS[key]
        if fact.value_sql is not None:
            exprs[f"f{n}"] = fact.value_sql(on)
        elif fact.column and fact.type != BOOL:
            exprs[f"f{n}"] = F(fact.column)
        elif fact.type == BOOL:
            exprs[f"f{n}"] = ExpressionWrapper(fact.compare("==", True, on), output_field=BooleanField())
        else:
            raise SystemExit(f"the numpy baseline cannot read {key} ({fact.type})")
    names = dict(zip(sorted(keys), exprs, strict=True))
    query = with_sql_facts(subjects, on).annotate(**exprs).order_by("pk").values_list("pk", *exprs)
    rows = list(query.iterator(chunk_size=20_000))
    ids = [row[0] for row in rows]
    out: dict[str, Column] = {}
    for k, key in enumerate(names, start=1):
        values = [row[k] for row in rows]
        fact = FACTS[key]
        if fact.type == ENUM:
            out[key] = _text([v or "" for v in values])
            continue
        known = np.array([v is not None for v in values])
        if fact.type == BOOL:
            out[key] = (np.array([bool(v) for v in values]), known)
        else:
            out[key] = (np.array([float(v) if v is not None else 0 for v in values]), known)
    return ids, out


def _value(value: Any, params: dict[str, Any]) -> Any:
    if isinstance(value, dict) and "param" in value:
        return params[value["param"]]
    if isinstance(value, dict) and len(value) == 1:
        unit, n = next(iter(value.items()))
        return {unit: _value(n, params)}
    return value


def evaluate(
    rule: dict[str, Any], cols: dict[str, Column], params: dict[str, Any], on: date | None = None
) -> tuple[Any, Any]:
    """(true mask, false mask) of the rule over every row."""
    on = on or date.today()
    if "all" in rule or "any" in rule:
        parts = [evaluate(p, cols, params, on) for p in rule["all" if "all" in rule else "any"]]
        trues, falses = [p[0] for p in parts], [p[1] for p in parts]
        if "all" in rule:
            return np.logical_and.reduce(trues), np.logical_or.reduce(falses)
        return np.logical_or.reduce(trues), np.logical_and.reduce(falses)
    if "not" in rule:
        true, false = evaluate(rule["not"], cols, params, on)
        return false, true
    values, known = cols[rule["fact"]]
    value = _value(rule["value"], params)
    op = rule["op"]
    vocabulary = VOCABULARY.get(id(values))
    if vocabulary is not None:  # a coded column: the rule's values as codes (-1: a value nobody has)
        value = (
            [vocabulary.get(v, -1) for v in value] if isinstance(value, list) else vocabulary.get(value, -1)
        )
    if op in DATE_OPS:
        unit, n = period_of(value) or ("days", 0)
        low, high = thresholds(op, unit, int(n), as_date(rule.get("as_of")) or on)
        hit = np.ones(len(values), dtype=bool)
        if low is not None:
            hit &= values > _day(low)
        if high is not None:
            hit &= values <= _day(high)
    elif op in ("in", "not_in"):
        hit = np.isin(values, value)
        hit = hit if op == "in" else ~hit
    elif op == "between":
        hit = (values >= value[0]) & (values <= value[1])
    else:
        if isinstance(value, str) and as_date(value) is not None:
            value = _day(as_date(value))
        hit = COMPARE[op](values, value)
    return known & hit, known & ~hit


def plain(rule: dict[str, Any], facts: dict[str, Any], params: dict[str, Any], on: date) -> bool | None:
    """The rule for one person's facts in plain Python, Kleene logic, no reasons (None: unknown)."""
    if "all" in rule or "any" in rule:
        seen = [plain(p, facts, params, on) for p in rule["all" if "all" in rule else "any"]]
        if "all" in rule:
            return False if False in seen else None if None in seen else True
        return True if True in seen else None if None in seen else False
    if "not" in rule:
        inner = plain(rule["not"], facts, params, on)
        return None if inner is None else not inner
    actual = facts.get(rule["fact"])
    if actual is None:
        return None
    return _compare(rule["op"], actual, _value(rule["value"], params), as_date(rule.get("as_of")) or on)
