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
from decimal import Decimal
from fractions import Fraction
from itertools import pairwise
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


# years before the evaluation year → joined alias ("近三年": the reports of the three years before it)
REPORT_BACK = {1: "report_last", 2: "report_before", 3: "report_third"}


def _report_sql(column: str, back: int) -> F:
    """A figure of the current report ``back`` years before the evaluation year (joined by
    ``report_joins``)."""
    return F(f"{REPORT_BACK[back]}__{column}")


def report_joins(queryset: Any, on: date) -> Any:
    """Enterprises with what the SQL forms of facts on ``on`` read: the current reports of the last three
    years joined (each at most one row: one current submission per enterprise and year)."""
    joins = {
        alias: FilteredRelation("reports", condition=Q(reports__year=on.year - back, reports__current=True))
        for back, alias in REPORT_BACK.items()
    }
    return queryset.alias(**joins)


def _figure_fact(key: str, label: Any, column: str, unit: Any = "", words: str = "", back: int = 1) -> Fact:
    """A yearly figure (whole units) from the report ``back`` years before the evaluation year (1: last
    year's)."""

    def getter(enterprise: Any, on: date) -> Any:
        value = _report_value(enterprise, on.year - back, column)
        return math.floor(value) if value is not None else None

    def sql(op: str, value: Any, on: date) -> Expression:
        return compare_column(Floor(_report_sql(column, back)), op, value)

    return Fact(
        key,
        label,
        INT,
        getter,
        sql,
        unit=unit,
        target="enterprise",
        words=words,
        value_sql=lambda on: Floor(_report_sql(column, back)),
    )


def _money_fact(key: str, label: Any, column: str, back: int = 1) -> Fact:
    """A yearly figure in 万元 from the report ``back`` years before (1: last year's), exact to the hundred
    yuan (two decimals): what an amount may be a percentage of ("研发费用的 10%")."""

    def getter(enterprise: Any, on: date) -> Any:
        return _report_value(enterprise, on.year - back, column)

    def sql(op: str, value: Any, on: date) -> Expression:
        return compare_column(_report_sql(column, back), op, value)

    return Fact(
        key,
        label,
        INT,
        getter,
        sql,
        unit=_(" × 10k yuan"),
        target="enterprise",
        words="ten_thousand_yuan",
        value_sql=lambda on: _report_sql(column, back),
    )


LOOKUPS = {"==": Exact, "<": LessThan, "<=": LessThanOrEqual, ">": GreaterThan, ">=": GreaterThanOrEqual}


def _by_op(cmp: Callable[[str, Any], Expression], op: str, value: Any) -> Expression:
    """A clause of any number operator from ``cmp(symbol, n)``, the comparison with one number."""
    if op == "!=":
        return Not(cmp("==", value))
    if op == "between":
        return And(cmp(">=", value[0]), cmp("<=", value[1]))
    if op in ("in", "not_in"):
        either = Or(*[cmp("==", n) for n in value])
        return either if op == "in" else Not(either)
    return cmp(op, value)


def _ratio_compare(numerator: Any, denominator: Any, op: str, value: Any) -> Expression:
    """100·numerator/denominator compared with whole numbers, as products (NULL unless denominator > 0)."""

    def cmp(symbol: str, n: int) -> Expression:
        # Figures have two decimals; rounding both products to two keeps SQLite's floating point from
        # deciding a tie that exact arithmetic (PostgreSQL's, and Python's fractions) decides otherwise.
        scaled = Round(ExpressionWrapper(Value(n) * denominator, output_field=DecimalField()), 2)
        hundred = Round(ExpressionWrapper(Value(100) * numerator, output_field=DecimalField()), 2)
        return LOOKUPS[symbol](hundred, scaled)

    inner = _by_op(cmp, op, value)
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


class CompoundGrowth:
    """Compound annual growth in percent over ``steps`` years, from ``first`` to ``last`` (first > 0): the
    ``steps``-th root of last/first, less 1. Compared exactly with a whole number n without taking the root:
    growth ≥ n ⇔ last·100^steps ≥ (100 + n)^steps·first (for n ≥ −100; every growth is ≥ −100%)."""

    __slots__ = ("first", "last", "steps")

    def __init__(self, first: Any, last: Any, steps: int) -> None:
        self.first, self.last, self.steps = Fraction(str(first)), Fraction(str(last)), steps

    def _cmp(self, n: Any) -> int:
        """−1, 0 or 1 as the growth is below, at or above ``n``."""
        base = 100 + Fraction(str(n))
        if base < 0:
            return 1
        left, right = self.last * 100**self.steps, base**self.steps * self.first
        return (left > right) - (left < right)

    def __eq__(self, n: object) -> bool:
        return isinstance(n, int | Decimal | Fraction) and self._cmp(n) == 0

    def __ne__(self, n: object) -> bool:
        return not self.__eq__(n)

    def __lt__(self, n: Any) -> bool:
        return self._cmp(n) < 0

    def __le__(self, n: Any) -> bool:
        return self._cmp(n) <= 0

    def __gt__(self, n: Any) -> bool:
        return self._cmp(n) > 0

    def __ge__(self, n: Any) -> bool:
        return self._cmp(n) >= 0

    def __hash__(self) -> int:
        return hash((self.first, self.last, self.steps))

    def __float__(self) -> float:
        return (float(self.last / self.first) ** (1 / self.steps) - 1) * 100

    def __str__(self) -> str:
        return f"{float(self):.1f}"


def _cagr_getter(steps: int) -> Callable[[Any, date], Any]:
    def getter(enterprise: Any, on: date) -> Any:
        first = _report_value(enterprise, on.year - 1 - steps, "revenue")
        last = _report_value(enterprise, on.year - 1, "revenue")
        if first is None or last is None or first <= 0:
            return None
        return CompoundGrowth(first, last, steps)

    return getter


def _cagr_sql(steps: int) -> Callable[[str, Any, date], Expression]:
    def sql(op: str, value: Any, on: date) -> Expression:
        first, last = _report_sql("revenue", 1 + steps), _report_sql("revenue", 1)

        def cmp(symbol: str, n: int) -> Expression:
            base = 100 + n
            if base < 0:  # every growth is above a fall of more than 100%
                return (
                    GreaterThan(Value(1), Value(0)) if symbol in (">", ">=") else LessThan(Value(1), Value(0))
                )
            # rounded to two decimals both sides: figures have two, and SQLite multiplies in floating point
            left = Round(ExpressionWrapper(last * Value(100**steps), output_field=DecimalField()), 2)
            right = Round(ExpressionWrapper(first * Value(base**steps), output_field=DecimalField()), 2)
            return LOOKUPS[symbol](left, right)

        return Case(
            When(And(GreaterThan(first, 0), Not(IsNull(last, True))), then=_by_op(cmp, op, value)),
            default=None,
            output_field=BooleanField(),
        )

    return sql


def _grew_getter(years: int) -> Callable[[Any, date], Any]:
    def getter(enterprise: Any, on: date) -> Any:
        figures = [_report_value(enterprise, on.year - back, "revenue") for back in range(years, 0, -1)]
        if any(f is None for f in figures):
            return None
        return all(a < b for a, b in pairwise(figures))

    return getter


def _grew_sql(years: int) -> Callable[[str, Any, date], Expression]:
    def sql(op: str, value: Any, on: date) -> Expression:
        figures = [_report_sql("revenue", back) for back in range(years, 0, -1)]
        grew = And(*[LessThan(a, b) for a, b in pairwise(figures)])
        known = And(*[Not(IsNull(f, True)) for f in figures])
        return Case(
            When(known, then=compare_column(grew, op, value)), default=None, output_field=BooleanField()
        )

    return sql


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
    # Each figure of the reports two and three years before ("近三年"), the compound growth over them.
    _figure_fact(
        "revenue_2y_ago",
        _("revenue two years ago"),
        "revenue",
        _(" × 10k yuan"),
        words="ten_thousand_yuan",
        back=2,
    ),
    _figure_fact(
        "revenue_3y_ago",
        _("revenue three years ago"),
        "revenue",
        _(" × 10k yuan"),
        words="ten_thousand_yuan",
        back=3,
    ),
    _money_fact("rd_spend_2y_ago", _("R&D spend two years ago"), "rd_spend", back=2),
    _money_fact("rd_spend_3y_ago", _("R&D spend three years ago"), "rd_spend", back=3),
    _figure_fact("staff_2y_ago", _("staff two years ago"), "staff", back=2),
    _figure_fact("staff_3y_ago", _("staff three years ago"), "staff", back=3),
    _figure_fact("patents_2y_ago", _("patents two years ago"), "patents", back=2),
    _figure_fact("patents_3y_ago", _("patents three years ago"), "patents", back=3),
    Fact(
        "revenue_cagr_3y",
        _("compound annual revenue growth over the last three years"),
        INT,
        _cagr_getter(2),
        _cagr_sql(2),
        unit="%",
        target="enterprise",
        words="percent",
    ),
    Fact(
        "revenue_grew_each_year_3y",
        _("revenue grew every year of the last three"),
        BOOL,
        _grew_getter(3),
        _grew_sql(3),
        target="enterprise",
        phrases=(
            (True, _("revenue grew in each of the last three years")),
            (False, _("revenue did not grow in each of the last three years")),
        ),
    ),
]
