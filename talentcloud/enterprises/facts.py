"""The facts about an enterprise that rules may read (discovered by ``talentcloud.rules.facts``).

Yearly figures come from the enterprise's annual report for the year before the evaluation date (the
current — newest — submission for that year); an enterprise that has not reported it leaves those facts
unknown. In SQL the current reports of the last two years are joined once (``report_joins``, this app's
``prepare``), so a rule reading several figures reads columns, not a subquery per mention. Ratios (growth, R&D
intensity) are compared without dividing in SQL: growth ≥ n ⇔ 100·(this − last) ≥ n·last, for last > 0.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import date
from fractions import Fraction
from typing import Any

from django.db.models import (
    BooleanField,
    Case,
    DecimalField,
    ExpressionWrapper,
    F,
    FilteredRelation,
    Q,
    Value,
    When,
)
from django.db.models.expressions import Expression
from django.db.models.functions import Floor, Round
from django.db.models.lookups import (
    Exact,
    GreaterThan,
    GreaterThanOrEqual,
    IsNull,
    LessThan,
    LessThanOrEqual,
)
from django.utils.translation import gettext_lazy as _

from talentcloud.rules.facts import (
    BOOL,
    INT,
    And,
    Fact,
    FactSubject,
    Not,
    Or,
    compare_column,
    date_fact,
    years_fact,
)

from .models import AnnualReport, Enterprise

REPORT_FIGURES = ("revenue", "rd_spend", "staff", "patents")  # the annual report's figures facts read


def _report_value(enterprise: Any, year: int, column: str) -> Any:
    cache = enterprise.__dict__.setdefault("_fact_cache", {})  # emptied before each evaluation
    if ("report", year) not in cache:
        cache["report", year] = (
            AnnualReport.objects.filter(enterprise=enterprise, year=year, current=True)
            .values(*REPORT_FIGURES)
            .first()
        )
    row = cache["report", year]
    return row[column] if row else None


REPORT_BACK = {1: "report_last", 2: "report_before"}  # years before the evaluation year → joined alias


def _report_sql(column: str, back: int) -> F:
    """A figure of the current report ``back`` years before the evaluation year (joined by
    ``report_joins``)."""
    return F(f"{REPORT_BACK[back]}__{column}")


def report_joins(queryset: Any, on: date) -> Any:
    """Enterprises with what the SQL forms of facts on ``on`` read: the current reports of the last two years
    joined (each at most one row: one current submission per enterprise and year)."""
    joins = {
        alias: FilteredRelation("reports", condition=Q(reports__year=on.year - back, reports__current=True))
        for back, alias in REPORT_BACK.items()
    }
    return queryset.alias(**joins)


def _figure_fact(key: str, label: Any, column: str, unit: Any = "", words: str = "") -> Fact:
    """A yearly figure (whole units) from last year's report."""

    def getter(enterprise: Any, on: date) -> Any:
        value = _report_value(enterprise, on.year - 1, column)
        return math.floor(value) if value is not None else None

    def sql(op: str, value: Any, on: date) -> Expression:
        return compare_column(Floor(_report_sql(column, 1)), op, value)

    return Fact(
        key,
        label,
        INT,
        getter,
        sql,
        unit=unit,
        target="enterprise",
        words=words,
        value_sql=lambda on: Floor(_report_sql(column, 1)),
    )


def _money_fact(key: str, label: Any, column: str) -> Fact:
    """A yearly figure in 万元 from last year's report, exact to the hundred yuan (two decimals): what an
    amount may be a percentage of ("研发费用的 10%")."""

    def getter(enterprise: Any, on: date) -> Any:
        return _report_value(enterprise, on.year - 1, column)

    def sql(op: str, value: Any, on: date) -> Expression:
        return compare_column(_report_sql(column, 1), op, value)

    return Fact(
        key,
        label,
        INT,
        getter,
        sql,
        unit=_(" × 10k yuan"),
        target="enterprise",
        words="ten_thousand_yuan",
        value_sql=lambda on: _report_sql(column, 1),
    )


def _ratio_compare(numerator: Any, denominator: Any, op: str, value: Any) -> Expression:
    """100·numerator/denominator compared with whole numbers, as products (NULL unless denominator > 0)."""

    def cmp(symbol: str, n: int) -> Expression:
        # Figures have two decimals; rounding both products to two keeps SQLite's floating point from
        # deciding a tie that exact arithmetic (PostgreSQL's, and Python's fractions) decides otherwise.
        scaled = Round(ExpressionWrapper(Value(n) * denominator, output_field=DecimalField()), 2)
        hundred = Round(ExpressionWrapper(Value(100) * numerator, output_field=DecimalField()), 2)
        return {
            "==": Exact,
            "<": LessThan,
            "<=": LessThanOrEqual,
            ">": GreaterThan,
            ">=": GreaterThanOrEqual,
        }[symbol](hundred, scaled)

    inner: Expression
    if op == "!=":
        inner = Not(cmp("==", value))
    elif op == "between":
        inner = And(cmp(">=", value[0]), cmp("<=", value[1]))
    elif op in ("in", "not_in"):
        either = Or(*[cmp("==", n) for n in value])
        inner = either if op == "in" else Not(either)
    else:
        inner = cmp(op, value)
    return Case(When(GreaterThan(denominator, 0), then=inner), default=None, output_field=BooleanField())


def _ratio_fact(
    key: str,
    label: Any,
    numerator: Callable[[], Any],
    denominator: Callable[[], Any],
    python: Callable[[Any, int], tuple[Any, Any]],
) -> Fact:
    def getter(enterprise: Any, on: date) -> Any:
        top, bottom = python(enterprise, on.year - 1)
        if top is None or bottom is None or bottom <= 0:
            return None
        return Fraction(100) * Fraction(str(top)) / Fraction(str(bottom))

    def sql(op: str, value: Any, on: date) -> Expression:
        return _ratio_compare(numerator(), denominator(), op, value)

    return Fact(key, label, INT, getter, sql, unit="%", target="enterprise", words="percent")


def _growth_parts(enterprise: Any, year: int) -> tuple[Any, Any]:
    this, last = _report_value(enterprise, year, "revenue"), _report_value(enterprise, year - 1, "revenue")
    return (None if this is None or last is None else this - last), last


def _intensity_parts(enterprise: Any, year: int) -> tuple[Any, Any]:
    return _report_value(enterprise, year, "rd_spend"), _report_value(enterprise, year, "revenue")


FACT_SUBJECTS = [FactSubject("enterprise", Enterprise, _("enterprises"), prepare=report_joins)]

FACTS = [
    years_fact("enterprise_years", _("years since the enterprise was founded"), "founded_on", "enterprise"),
    date_fact("founded_on", _("founding date"), "founded_on", _("founded"), "enterprise"),
    Fact(
        "in_park",
        _("registered in a park"),
        BOOL,
        lambda enterprise, on: enterprise.park_id is not None,
        lambda op, value, on: compare_column(Not(IsNull(F("park"), True)), op, value),
        target="enterprise",
        phrases=(
            (True, _("registered in one of the district's parks")),
            (False, _("not registered in any of the district's parks")),
        ),
    ),
    _figure_fact("revenue", _("revenue last year"), "revenue", _(" × 10k yuan"), words="ten_thousand_yuan"),
    _money_fact("rd_spend", _("R&D spend last year"), "rd_spend"),
    _figure_fact("staff", _("staff last year"), "staff"),
    _figure_fact("patents", _("patents last year"), "patents"),
    _ratio_fact(
        "revenue_growth",
        _("revenue growth last year"),
        lambda: _report_sql("revenue", 1) - _report_sql("revenue", 2),
        lambda: _report_sql("revenue", 2),
        _growth_parts,
    ),
    _ratio_fact(
        "rd_intensity",
        _("R&D spend as a share of revenue last year"),
        lambda: _report_sql("rd_spend", 1),
        lambda: _report_sql("revenue", 1),
        _intensity_parts,
    ),
]
