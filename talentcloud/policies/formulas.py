"""Amounts as formulas: what a money benefit pays per period, computed from the person's facts, with the
computation in words — and the same formula as one SQL expression, for the sweep (``to_sql``; the agreement
test proves the two give the same amount, to the fen, on both databases).

An amount is plain data (ADR 0017)::

    600                                                        fixed (yuan)
    {"by": "highest_degree", "table": {"master": 800, "doctor": 1000}, "default": 0}   a table by a choice
    {"bands": "revenue", "rows": [{"from": 500, "amount": 100000}, {"from": 1000, "amount": 200000}]}
                                            bands over a number: the highest band whose lower bound is met
                                            (以上: the bound included); below the first band, 0
    {"percent": 10, "of": {"fact": "rd_spend"}, "floor": 0, "cap": 2000000}   a percentage of a figure
    {"fact": "rd_spend"}                    a figure, in yuan (a figure kept in 万元 is multiplied by 10,000)
    {"sum": [amount, …]}                    a sum of parts
    {"difference": [amount, amount]}        the first less the second (never below 0)
    {"per": 10000, "units": "patents", "max_units": 20, "cap": 150000}   per unit (per patent, per hire …)
    {"uplift": 20, "base": amount, "when": rule}   the base raised by 20% when the rule holds

and any of them may carry ``floor`` and ``cap`` (yuan), applied last. Arithmetic is in whole fen: a figure is
exact to the fen, a percentage (up to two decimals) is rounded half up to the fen, nothing is negative (a
negative figure or difference counts as 0). An amount that needs a fact nobody knows is unknown — never 0: the
verdict is then "information missing" and names the fact.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db.models import (
    BigIntegerField,
    BooleanField,
    Case,
    DecimalField,
    ExpressionWrapper,
    F,
    Value,
    When,
)
from django.db.models.expressions import Expression
from django.db.models.functions import Cast, Floor, NullIf, Round
from django.db.models.lookups import Exact, GreaterThan, GreaterThanOrEqual, IsNull, LessThan
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from talentcloud.rules.explain import label_words, money, value_words
from talentcloud.rules.facts import ENUM, FACTS, INT, Not, facts_for
from talentcloud.rules.logic import FALSE, TRUE, RuleError, evaluate, facts_used, to_sql, validate

FORMS = ("by", "bands", "percent", "fact", "sum", "difference", "per", "uplift")
YUAN_PER_UNIT = {"ten_thousand_yuan": 10000}  # a figure kept in 万元 is read in yuan


def _zh() -> bool:
    return not (get_language() or "").startswith("en")


def _fen(value: Any) -> int | None:
    """Yuan (a number) in whole fen, half up; None when it is not an amount of 0 or more."""
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    if not amount.is_finite() or amount < 0:
        return None
    return int((amount * 100).to_integral_value(rounding="ROUND_HALF_UP"))


def _percent_hundredths(value: Any) -> int | None:
    """A percentage in hundredths of a percent (10 → 1000, 2.5 → 250); None beyond two decimals."""
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    scaled = number * 100
    if not number.is_finite() or number < 0 or scaled != scaled.to_integral_value():
        return None
    return int(scaled)


def yuan(fen: int) -> str:
    """Fen as the computation shows them: "8,000,000", "1,234.56"."""
    whole, cents = divmod(fen, 100)
    return f"{whole:,}" if cents == 0 else f"{whole:,}.{cents:02d}"


# --- checking -------------------------------------------------------------------------------------------


def validate_amount(amount: Any, target: str, path: str = "benefit.amount") -> list[RuleError]:
    """Every problem of an amount, each with its path."""
    if not isinstance(amount, dict):
        return [] if _fen(amount) is not None else [RuleError(path, _("An amount of money, 0 or more."))]
    errors: list[RuleError] = []
    for bound in ("floor", "cap"):
        if bound in amount and _fen(amount[bound]) is None:
            errors.append(RuleError(f"{path}.{bound}", _("An amount of money, 0 or more.")))
    form = next((key for key in FORMS if key in amount), None)
    if form is None:
        return [
            *errors,
            RuleError(
                path, _("An amount is a number or a formula: %(forms)s.") % {"forms": ", ".join(FORMS)}
            ),
        ]
    if form == "by":
        fact = FACTS.get(str(amount.get("by", "")))
        if fact is None or fact.type != ENUM or fact.target != target:
            errors.append(
                RuleError(f"{path}.by", _("The amount can depend on a listed fact only (degree, grade …)."))
            )
        table = amount.get("table")
        if not isinstance(table, dict) or not table:
            errors.append(RuleError(f"{path}.table", _("Give an amount for each value.")))
        else:
            known = {c for c, _label in fact.choices} if fact else set()
            for key, value in table.items():
                if key not in known:
                    errors.append(RuleError(f"{path}.table.{key}", _("Not a value of this fact.")))
                elif _fen(value) is None:
                    errors.append(RuleError(f"{path}.table.{key}", _("An amount of money, 0 or more.")))
        if "default" in amount and _fen(amount["default"]) is None:
            errors.append(RuleError(f"{path}.default", _("An amount of money, 0 or more.")))
    elif form in ("bands", "fact", "per"):
        key = (
            amount["bands"] if form == "bands" else amount["fact"] if form == "fact" else amount.get("units")
        )
        fact = FACTS.get(str(key))
        if fact is None or fact.type != INT or fact.target != target or fact.value_sql is None:
            errors.append(
                RuleError(
                    f"{path}.{'units' if form == 'per' else form}",
                    _("A figure of %(whom)s is needed here (revenue, R&D spend, staff, patents …).")
                    % {"whom": target},
                )
            )
        if form == "bands":
            rows = amount.get("rows")
            if not isinstance(rows, list) or not rows or not all(isinstance(r, dict) for r in rows):
                errors.append(
                    RuleError(f"{path}.rows", _("Give the bands: each a lower bound and an amount."))
                )
            else:
                bounds = [r.get("from") for r in rows]
                if not all(
                    isinstance(b, int | float | Decimal) and not isinstance(b, bool) for b in bounds
                ) or bounds != sorted(bounds):
                    errors.append(
                        RuleError(f"{path}.rows", _("The lower bounds are numbers, from the smallest up."))
                    )
                for index, row in enumerate(rows):
                    errors += validate_amount(row.get("amount"), target, f"{path}.rows[{index}].amount")
        if form == "per":
            if _fen(amount.get("per")) is None:
                errors.append(RuleError(f"{path}.per", _("An amount of money, 0 or more.")))
            units = amount.get("max_units")
            if units is not None and (not isinstance(units, int) or isinstance(units, bool) or units < 0):
                errors.append(RuleError(f"{path}.max_units", _("A whole number, 0 or more.")))
    elif form == "percent":
        if _percent_hundredths(amount["percent"]) is None:
            errors.append(
                RuleError(f"{path}.percent", _("A percentage of 0 or more, with at most two decimals."))
            )
        errors += validate_amount(amount.get("of"), target, f"{path}.of")
    elif form in ("sum", "difference"):
        parts = amount[form]
        size_ok = isinstance(parts, list) and (len(parts) == 2 if form == "difference" else len(parts) >= 1)
        if not size_ok:
            errors.append(RuleError(f"{path}.{form}", _("A sum has one part or more; a difference has two.")))
        else:
            for index, part in enumerate(parts):
                errors += validate_amount(part, target, f"{path}.{form}[{index}]")
    elif form == "uplift":
        if _percent_hundredths(amount["uplift"]) is None:
            errors.append(
                RuleError(f"{path}.uplift", _("A percentage of 0 or more, with at most two decimals."))
            )
        errors += validate_amount(amount.get("base"), target, f"{path}.base")
        errors += validate(amount.get("when"), {}, f"{path}.when", target)
    return errors


def amount_facts(amount: Any) -> set[str]:
    """The facts an amount reads."""
    if not isinstance(amount, dict):
        return set()
    if "by" in amount:
        return {str(amount["by"])}
    if "bands" in amount:
        return {str(amount["bands"])}.union(
            *(amount_facts(r.get("amount")) for r in amount.get("rows") or [])
        )
    if "fact" in amount:
        return {str(amount["fact"])}
    if "per" in amount:
        return {str(amount["units"])}
    if "percent" in amount:
        return amount_facts(amount.get("of"))
    if "sum" in amount or "difference" in amount:
        return set().union(*(amount_facts(p) for p in amount.get("sum") or amount.get("difference") or []))
    if "uplift" in amount:
        return amount_facts(amount.get("base")) | facts_used(amount.get("when") or {})
    return set()


def is_fixed(amount: Any) -> bool:
    return not isinstance(amount, dict)


# --- computing (one person) -----------------------------------------------------------------------------


@dataclass
class Computed:
    """An amount in fen (None: unknown), the steps that made it, and the facts it lacked."""

    fen: int | None
    steps: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)


def _figure_fen(key: str, value: Any) -> int:
    """A figure's value in fen (a negative figure counts as 0)."""
    scale = YUAN_PER_UNIT.get(FACTS[key].words, 1)
    fen = int((Decimal(str(value)) * scale * 100).to_integral_value(rounding="ROUND_HALF_UP"))
    return max(fen, 0)


def _bounded(amount: dict[str, Any], result: Computed) -> Computed:
    if result.fen is None:
        return result
    value = result.fen
    floor, cap = amount.get("floor"), amount.get("cap")
    if floor is not None and value < (low := _fen(floor) or 0):
        result.steps.append(_("at least %(floor)s → %(result)s") % {"floor": yuan(low), "result": yuan(low)})
        value = low
    if cap is not None:
        high = _fen(cap) or 0
        result.steps.append(
            _("cap %(cap)s → %(result)s") % {"cap": yuan(high), "result": yuan(min(value, high))}
        )
        value = min(value, high)
    result.fen = value
    return result


def compute(amount: Any, facts: dict[str, Any], on: date, params: dict[str, Any] | None = None) -> Computed:
    """The amount (per period) for these facts, with the computation in the reader's language."""
    if not isinstance(amount, dict):
        fen = _fen(amount)
        return Computed(fen, [])
    return _bounded(amount, _compute(amount, facts, on, params or {}))


def _compute(amount: dict[str, Any], facts: dict[str, Any], on: date, params: dict[str, Any]) -> Computed:
    if "by" in amount:
        key = str(amount["by"])
        value = facts.get(key)
        if value is None:
            return Computed(None, missing=[key])
        raw = amount["table"].get(value, amount.get("default"))
        fen = _fen(raw) if raw is not None else 0
        label = FACTS[key].show(value)
        return Computed(fen, [f"{FACTS[key].text()}: {label} → {yuan(fen or 0)}"])
    if "bands" in amount:
        key = str(amount["bands"])
        value = facts.get(key)
        if value is None:
            return Computed(None, missing=[key])
        met = [row for row in amount["rows"] if Decimal(str(value)) >= Decimal(str(row["from"]))]
        if not met:
            return Computed(
                0,
                [
                    _("%(label)s %(value)s: below every band → 0")
                    % {"label": FACTS[key].text(), "value": FACTS[key].show(value)}
                ],
            )
        row = met[-1]
        inner = compute(row["amount"], facts, on, params)
        if inner.fen is None:
            return inner
        step = _("%(label)s %(value)s ≥ %(bound)s → %(result)s") % {
            "label": FACTS[key].text(),
            "value": FACTS[key].show(value),
            "bound": FACTS[key].show(row["from"]),
            "result": yuan(inner.fen),
        }
        return Computed(inner.fen, [step, *inner.steps])
    if "fact" in amount:
        key = str(amount["fact"])
        value = facts.get(key)
        if value is None:
            return Computed(None, missing=[key])
        fen = _figure_fen(key, value)
        return Computed(fen, [f"{FACTS[key].text()} {yuan(fen)}"])
    if "per" in amount:
        key = str(amount["units"])
        value = facts.get(key)
        if value is None:
            return Computed(None, missing=[key])
        units = max(math.floor(value), 0)  # whole units: 0.5 of a patent is none
        if amount.get("max_units") is not None and units > int(amount["max_units"]):
            units = int(amount["max_units"])
        per = _fen(amount["per"]) or 0
        fen = units * per
        return Computed(fen, [f"{units} × {yuan(per)} = {yuan(fen)}"])
    if "percent" in amount:
        inner = compute(amount["of"], facts, on, params)
        if inner.fen is None:
            return inner
        hundredths = _percent_hundredths(amount["percent"]) or 0
        fen = (inner.fen * hundredths + 5000) // 10000
        percent = Decimal(hundredths) / 100
        step = f"{yuan(inner.fen)} × {percent.normalize():f}% = {yuan(fen)}"
        return Computed(
            fen, [*inner.steps[:-1], step] if amount_is_figure(amount["of"]) else [*inner.steps, step]
        )
    if "sum" in amount or "difference" in amount:
        parts = [compute(p, facts, on, params) for p in amount.get("sum") or amount.get("difference") or []]
        missing = [key for p in parts for key in p.missing]
        if any(p.fen is None for p in parts):
            return Computed(None, missing=missing)
        values = [p.fen or 0 for p in parts]
        steps = [step for p in parts for step in p.steps]
        if "sum" in amount:
            fen = sum(values)
            return Computed(fen, [*steps, " + ".join(yuan(v) for v in values) + f" = {yuan(fen)}"])
        fen = max(values[0] - values[1], 0)
        return Computed(fen, [*steps, f"{yuan(values[0])} − {yuan(values[1])} = {yuan(fen)}"])
    if "uplift" in amount:
        base = compute(amount["base"], facts, on, params)
        outcome = evaluate(amount["when"], facts, params, "benefit.amount.when", on=on)
        if base.fen is None or outcome.status not in (TRUE, FALSE):
            return Computed(None, missing=base.missing + [c.fact for c in outcome.missing])
        if outcome.status == FALSE:
            return Computed(base.fen, [*base.steps, _("%(base)s, not raised") % {"base": yuan(base.fen)}])
        hundredths = _percent_hundredths(amount["uplift"]) or 0
        fen = (base.fen * (10000 + hundredths) + 5000) // 10000
        percent = (Decimal(hundredths) / 100).normalize()
        return Computed(fen, [*base.steps, f"{yuan(base.fen)} × (1 + {percent:f}%) = {yuan(fen)}"])
    raise ValueError(amount)


def amount_is_figure(amount: Any) -> bool:
    return isinstance(amount, dict) and "fact" in amount and "floor" not in amount and "cap" not in amount


def computation(steps: list[str]) -> str:
    """The steps as one line: "8,000,000 × 10% = 800,000，上限 2,000,000 → 800,000"."""
    return ("，" if _zh() else ", ").join(steps)


# --- the same in SQL (everyone at once) --------------------------------------------------------------------


def _int(expression: Any) -> Expression:
    return Cast(expression, BigIntegerField())


def _big(number: int) -> Expression:
    """A whole number as a 64-bit integer in SQL (PostgreSQL would otherwise type a small one as a 32-bit
    integer, and a product of two of them could overflow)."""
    return Cast(Value(number), BigIntegerField())


def _fen_sql(key: str, on: date) -> Expression:
    """A figure in whole fen, rounded half up; NULL when unknown, 0 when negative."""
    fact = FACTS[key]
    scale = YUAN_PER_UNIT.get(fact.words, 1) * 100
    value = fact.value_sql(on)  # type: ignore[misc]
    product = ExpressionWrapper(
        Cast(value, DecimalField(max_digits=30, decimal_places=2)) * Value(scale),
        output_field=DecimalField(max_digits=30, decimal_places=2),
    )
    scaled = _int(Round(product, 0))
    return Case(When(LessThan(value, 0), then=_big(0)), default=scaled, output_field=BigIntegerField())


def to_sql_fen(amount: Any, params: dict[str, Any], on: date) -> Expression:
    """The amount per period in whole fen as one SQL expression over the subject's table (NULL: unknown)."""
    if not isinstance(amount, dict):
        return _big(_fen(amount) or 0)
    inner = _sql(amount, params, on)
    if "floor" in amount:
        low = _fen(amount["floor"]) or 0
        inner = Case(
            When(LessThan(inner, low), then=_big(low)), default=inner, output_field=BigIntegerField()
        )
    if "cap" in amount:
        high = _fen(amount["cap"]) or 0
        inner = Case(
            When(GreaterThan(inner, high), then=_big(high)), default=inner, output_field=BigIntegerField()
        )
    return inner


def _null() -> Expression:
    return Value(None, output_field=BigIntegerField())


def _sql(amount: dict[str, Any], params: dict[str, Any], on: date) -> Expression:
    if "by" in amount:
        fact = FACTS[str(amount["by"])]
        # a column of the subject's table, or (an office-defined choice) its value read by a subquery
        column = NullIf(F(fact.column), Value("")) if fact.column else fact.value_sql(on)  # type: ignore[misc]
        default = amount.get("default")
        whens = [When(Exact(column, key), then=_big(_fen(v) or 0)) for key, v in amount["table"].items()]
        return Case(
            When(IsNull(column, True), then=_null()),
            *whens,
            default=_big(_fen(default) or 0 if default is not None else 0),
            output_field=BigIntegerField(),
        )
    if "bands" in amount:
        value = FACTS[str(amount["bands"])].value_sql(on)  # type: ignore[misc]
        whens = [
            When(GreaterThanOrEqual(value, row["from"]), then=to_sql_fen(row["amount"], params, on))
            for row in reversed(amount["rows"])
        ]
        return Case(
            When(IsNull(value, True), then=_null()), *whens, default=_big(0), output_field=BigIntegerField()
        )
    if "fact" in amount:
        return _fen_sql(str(amount["fact"]), on)
    if "per" in amount:
        value = FACTS[str(amount["units"])].value_sql(on)  # type: ignore[misc]
        units: Expression = Case(
            When(LessThan(value, 0), then=_big(0)), default=_int(Floor(value)), output_field=BigIntegerField()
        )
        if amount.get("max_units") is not None:
            most = int(amount["max_units"])
            units = Case(
                When(GreaterThan(units, most), then=_big(most)),
                default=units,
                output_field=BigIntegerField(),
            )
        return ExpressionWrapper(units * _big(_fen(amount["per"]) or 0), output_field=BigIntegerField())
    if "percent" in amount:
        of = to_sql_fen(amount["of"], params, on)
        hundredths = _percent_hundredths(amount["percent"]) or 0
        return ExpressionWrapper(
            (of * _big(hundredths) + _big(5000)) / _big(10000), output_field=BigIntegerField()
        )
    if "sum" in amount:
        parts = [to_sql_fen(p, params, on) for p in amount["sum"]]
        total = parts[0]
        for part in parts[1:]:
            total = ExpressionWrapper(total + part, output_field=BigIntegerField())
        return total
    if "difference" in amount:
        first, second = (to_sql_fen(p, params, on) for p in amount["difference"])
        less = ExpressionWrapper(first - second, output_field=BigIntegerField())
        return Case(When(LessThan(less, 0), then=_big(0)), default=less, output_field=BigIntegerField())
    if "uplift" in amount:
        base = to_sql_fen(amount["base"], params, on)
        hundredths = _percent_hundredths(amount["uplift"]) or 0
        raised = ExpressionWrapper(
            (base * _big(10000 + hundredths) + _big(5000)) / _big(10000), output_field=BigIntegerField()
        )
        holds = ExpressionWrapper(to_sql(amount["when"], params, on), output_field=BooleanField())
        fails = ExpressionWrapper(Not(to_sql(amount["when"], params, on)), output_field=BooleanField())
        return Case(
            When(holds, then=raised), When(fails, then=base), default=_null(), output_field=BigIntegerField()
        )
    raise ValueError(amount)


def tranches(total_fen: int, shares: list[int]) -> list[int]:
    """A total in yearly tranches (percent shares), in fen: each rounded half up, the last the remainder."""
    parts = [(total_fen * share + 50) // 100 for share in shares[:-1]]
    return [*parts, total_fen - sum(parts)]


def yearly_factor(benefit: dict[str, Any]) -> tuple[int, int]:
    """What one year of the benefit pays, as a fraction of the amount per period (numerator, denominator):
    12 a month (or the months granted, if fewer), the amount a year or once, the first tranche."""
    period = benefit.get("period", "once")
    if period == "month":
        return min(12, int(benefit.get("months") or 12)), 1
    if period == "tranches":
        return int((benefit.get("shares") or [100])[0]), 100
    return 1, 1


def yearly_fen(benefit: dict[str, Any], per_period_fen: int) -> int:
    top, bottom = yearly_factor(benefit)
    return (per_period_fen * top + bottom // 2) // bottom


def yearly_fen_sql(benefit: dict[str, Any], params: dict[str, Any], on: date) -> Expression:
    """A money benefit's yearly amount in fen as SQL (NULL: unknown), as ``engine.Amount.yearly`` computes
    it: the sweep's and the simulation's figure."""
    top, bottom = yearly_factor(benefit)
    per = to_sql_fen(benefit.get("amount"), params, on)
    if bottom == 1:
        return ExpressionWrapper(per * _big(top), output_field=BigIntegerField())
    return ExpressionWrapper(
        (per * _big(top) + _big(bottom // 2)) / _big(bottom), output_field=BigIntegerField()
    )


def words(amount: Any) -> str:
    """An amount as the public reads it (no codes, no symbols but %): "600 元", "上年研发投入的 10%，最高
    200 万元", "每件专利 1 万元，最多 20 件"."""
    if not isinstance(amount, dict):
        return money(amount)
    text = _words(amount)
    if amount.get("floor") is not None:
        text += _(", at least %(floor)s") % {"floor": money(amount["floor"])}
    if amount.get("cap") is not None:
        text += _(", at most %(cap)s") % {"cap": money(amount["cap"])}
    return text


def _words(amount: dict[str, Any]) -> str:
    if "by" in amount:
        fact = FACTS[str(amount["by"])]
        parts = [f"{value_words(fact, k)} {money(v)}" for k, v in amount["table"].items()]
        return _("by %(label)s: %(parts)s") % {"label": label_words(fact), "parts": "、".join(parts)}
    if "bands" in amount:
        fact = FACTS[str(amount["bands"])]
        parts = [
            _("%(bound)s or more: %(amount)s")
            % {"bound": value_words(fact, r["from"]), "amount": words(r["amount"])}
            for r in amount["rows"]
        ]
        return _("by %(label)s: %(parts)s") % {"label": label_words(fact), "parts": "；".join(parts)}
    if "fact" in amount:
        return label_words(FACTS[str(amount["fact"])])
    if "per" in amount:
        text = _("%(amount)s per unit of %(label)s") % {
            "amount": money(amount["per"]),
            "label": label_words(FACTS[str(amount["units"])]),
        }
        if amount.get("max_units") is not None:
            text += _(", for at most %(n)s") % {"n": amount["max_units"]}
        return text
    if "percent" in amount:
        percent = (Decimal(str(amount["percent"]))).normalize()
        return _("%(percent)s%% of %(of)s") % {"percent": f"{percent:f}", "of": words(amount["of"])}
    if "sum" in amount:
        return " + ".join(words(p) for p in amount["sum"])
    if "difference" in amount:
        first, second = amount["difference"]
        return f"{words(first)} − {words(second)}"
    if "uplift" in amount:
        return _("%(base)s, raised by %(percent)s%% for those who meet further conditions") % {
            "base": words(amount["base"]),
            "percent": f"{Decimal(str(amount['uplift'])).normalize():f}",
        }
    raise ValueError(amount)


def figures(target: str) -> list[str]:
    """The facts an amount may read as a figure (a number the subject's table gives)."""
    return [key for key, fact in facts_for(target).items() if fact.type == INT and fact.value_sql is not None]
