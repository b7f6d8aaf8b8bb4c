"""The vocabulary of rules: typed facts about a talent, each with a label, a Python getter and a SQL form.

A fact's value on a date is read two ways that must agree (``tests/test_agreement.py`` proves it):

- ``get(talent, on)``: the value for one person, ``None`` when the archive does not know it;
- ``compare(op, value, on)``: a boolean SQL expression over the talent table for one clause, which is NULL
  exactly when the fact is unknown (SQL's own three-valued logic then combines clauses as Kleene logic does).

Year counts (age, years since graduation, years of social insurance, years in the district) are whole years
up to the date; in SQL they become comparisons of the underlying date with thresholds, so an index on the
date serves them. New facts are added here, in code; rules may use registered facts only.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from fractions import Fraction
from functools import lru_cache
from typing import Any

from django.db.models import (
    BooleanField,
    Case,
    DecimalField,
    ExpressionWrapper,
    F,
    FilteredRelation,
    IntegerField,
    Q,
    Value,
    When,
)
from django.db.models.expressions import Expression, Func
from django.db.models.functions import Floor, NullIf, Round
from django.db.models.lookups import (
    Exact,
    GreaterThan,
    GreaterThanOrEqual,
    In,
    IsNull,
    LessThan,
    LessThanOrEqual,
)
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from talentcloud.talents.enums import CertificationGrade, Degree, Gender, ProgrammeTier, PyramidCategory

BOOL, INT, ENUM = "bool", "int", "enum"
OPS_BY_TYPE = {
    BOOL: ("==", "!="),
    INT: ("==", "!=", "<", "<=", ">", ">=", "in", "not_in", "between"),
    ENUM: ("==", "!=", "in", "not_in"),
}


class And(Func):
    arg_joiner = " AND "
    template = "(%(expressions)s)"
    output_field = BooleanField()


class Or(Func):
    arg_joiner = " OR "
    template = "(%(expressions)s)"
    output_field = BooleanField()


class Not(Func):
    template = "NOT (%(expressions)s)"
    output_field = BooleanField()


def years_before(on: date, years: int) -> date:
    try:
        return on.replace(year=on.year - years)
    except ValueError:  # 29 February
        return on.replace(year=on.year - years, day=28)


def whole_years(since: date | None, on: date) -> int | None:
    if since is None:
        return None
    return on.year - since.year - ((on.month, on.day) < (since.month, since.day))


def _compare_column(expression: Expression | F, op: str, value: Any) -> Expression:
    """A NULL-propagating comparison of a column (or expression) with a constant."""
    if op == "==":
        return Exact(expression, value)
    if op == "!=":
        return Not(Exact(expression, value))
    if op == "<":
        return LessThan(expression, value)
    if op == "<=":
        return LessThanOrEqual(expression, value)
    if op == ">":
        return GreaterThan(expression, value)
    if op == ">=":
        return GreaterThanOrEqual(expression, value)
    if op == "in":
        return In(expression, list(value))
    if op == "not_in":
        return Not(In(expression, list(value)))
    if op == "between":
        low, high = value
        return And(GreaterThanOrEqual(expression, low), LessThanOrEqual(expression, high))
    raise ValueError(op)


def _compare_years(column: str, op: str, value: Any, on: date) -> Expression:
    """Whole years since the date in ``column`` compared with ``value``, as comparisons of the date: years ≥ n
    ⇔ date ≤ on − n years. A NULL date gives NULL, like an unknown fact."""
    date_column = F(column)

    def at_least(n: int) -> Expression:
        return LessThanOrEqual(date_column, years_before(on, n))

    def below(n: int) -> Expression:  # years < n
        return GreaterThan(date_column, years_before(on, n))

    if op == ">=":
        return at_least(value)
    if op == ">":
        return at_least(value + 1)
    if op == "<":
        return below(value)
    if op == "<=":
        return below(value + 1)
    if op == "==":
        return And(at_least(value), below(value + 1))
    if op == "!=":
        return Not(And(at_least(value), below(value + 1)))
    if op == "between":
        low, high = value
        return And(at_least(low), below(high + 1))
    if op in ("in", "not_in"):
        either = Or(*[And(at_least(n), below(n + 1)) for n in value]) if value else Exact(Value(1), 0)
        return either if op == "in" else Not(either)
    raise ValueError(op)


@dataclass(frozen=True, eq=False)  # one object per fact in the registry: compared and hashed by identity
class Fact:
    key: str
    label: Any
    type: str
    getter: Callable[[Any, date], Any]
    sql: Callable[[str, Any, date], Expression]
    unit: Any = ""
    choices: tuple[tuple[str, Any], ...] = ()
    label_en: str = ""
    column: str = field(default="", compare=False)
    target: str = "talent"  # whom the fact is about: "talent" or "enterprise"

    def get(self, subject: Any, on: date) -> Any:
        return self.getter(subject, on)

    def compare(self, op: str, value: Any, on: date) -> Expression:
        return self.sql(op, value, on)

    def show(self, value: Any, language: str | None = None) -> str:
        """The value as the reader reads it ("博士", "35 岁", "是"); remembered per language, as the engine
        shows the same few values over and over."""
        try:
            # the type is part of the key: 30, 30.0 and Fraction(30) are equal, but read "30%" and "30.0%"
            return _shown(
                language if language is not None else get_language() or "", self, type(value).__name__, value
            )
        except TypeError:  # an unhashable value
            return self._show(value)

    def text(self, language: str | None = None) -> str:
        """The label in the reader's language (remembered per language)."""
        return _label(language if language is not None else get_language() or "", self)

    def _show(self, value: Any) -> str:
        if value is None:
            return str(_("unknown"))
        if self.type == BOOL:
            return str(_("yes") if value else _("no"))
        if self.choices:
            return str(dict(self.choices).get(value, value))
        if isinstance(value, Fraction):
            return f"{float(value):.1f}{self.unit}"
        return f"{value}{self.unit}"


@lru_cache(maxsize=8192)
def _shown(language: str, fact: Fact, kind: str, value: Any) -> str:
    return fact._show(value)


@lru_cache(maxsize=256)
def _label(language: str, fact: Fact) -> str:
    return str(fact.label)


def _column_fact(
    key: str,
    label: Any,
    column: str,
    kind: str,
    *,
    choices: tuple[tuple[str, Any], ...] = (),
    blank_is_unknown: bool = True,
) -> Fact:
    def getter(talent: Any, on: date) -> Any:
        value = getattr(talent, column)
        return None if blank_is_unknown and value == "" else value

    def sql(op: str, value: Any, on: date) -> Expression:
        expression: Any = NullIf(F(column), Value("")) if blank_is_unknown and kind == ENUM else F(column)
        return _compare_column(expression, op, value)

    return Fact(key, label, kind, getter, sql, choices=choices, column=column)


def _years_fact(key: str, label: Any, column: str, target: str = "talent", unit: Any = None) -> Fact:
    return Fact(
        key,
        label,
        INT,
        lambda subject, on: whole_years(getattr(subject, column), on),
        lambda op, value, on: _compare_years(column, op, value, on),
        unit=unit if unit is not None else _(" years"),
        column=column,
        target=target,
    )


DEGREE_RANK = {Degree.JUNIOR_COLLEGE: 1, Degree.BACHELOR: 2, Degree.MASTER: 3, Degree.DOCTOR: 4}


def _degree_rank_sql(op: str, value: Any, on: date) -> Expression:
    rank = Case(
        *[When(highest_degree=degree, then=Value(n)) for degree, n in DEGREE_RANK.items()],
        default=None,
        output_field=IntegerField(),
    )
    return _compare_column(rank, op, value)


FACTS: dict[str, Fact] = {
    fact.key: fact
    for fact in (
        _years_fact("age", _("age"), "birth_date", unit=pgettext_lazy("age", " years")),  # 岁, not 年
        _column_fact("gender", _("gender"), "gender", ENUM, choices=tuple(Gender.choices)),
        _column_fact(
            "highest_degree", _("highest degree"), "highest_degree", ENUM, choices=tuple(Degree.choices)
        ),
        Fact(
            "degree_rank",
            _("degree level (1 junior college … 4 doctor)"),
            INT,
            lambda talent, on: DEGREE_RANK.get(talent.highest_degree),
            _degree_rank_sql,
        ),
        _years_fact("years_since_graduation", _("years since graduation"), "graduated_on"),
        _years_fact(
            "social_insurance_years", _("years of social insurance in the district"), "social_insurance_since"
        ),
        _years_fact("years_in_district", _("years in the district"), "arrived_on"),
        _column_fact(
            "grade", _("certification grade"), "grade", ENUM, choices=tuple(CertificationGrade.choices)
        ),
        _column_fact(
            "category", _("pyramid category"), "category", ENUM, choices=tuple(PyramidCategory.choices)
        ),
        _column_fact("tier", _("programme tier"), "tier", ENUM, choices=tuple(ProgrammeTier.choices)),
        _column_fact(
            "owns_home_in_city",
            _("owns a home in the city"),
            "owns_home_in_city",
            BOOL,
            blank_is_unknown=False,
        ),
        Fact(
            "employed_in_district",
            _("employed by an enterprise of the district"),
            BOOL,
            lambda talent, on: talent.employer_id is not None,
            lambda op, value, on: _compare_column(Not(IsNull(F("employer"), True)), op, value),
        ),
    )
}


# --- facts about an enterprise ----------------------------------------------------------------------------
# Yearly figures come from the enterprise's annual report for the year before the evaluation date (the
# current — newest — submission for that year); an enterprise that has not reported it leaves those facts
# unknown. In SQL the current reports of the last two years are joined once (``with_sql_facts``), so a rule
# reading several figures reads columns, not a subquery per mention. Ratios (growth, R&D intensity) are
# compared without dividing in SQL: growth ≥ n ⇔ 100·(this − last) ≥ n·last, for last > 0.


REPORT_FIGURES = ("revenue", "rd_spend", "staff", "patents")  # the annual report's figures facts read


def _report_value(enterprise: Any, year: int, column: str) -> Any:
    cache = enterprise.__dict__.setdefault("_report_cache", {})
    if year not in cache:
        from talentcloud.enterprises.models import AnnualReport

        cache[year] = (
            AnnualReport.objects.filter(enterprise=enterprise, year=year, current=True)
            .values(*REPORT_FIGURES)
            .first()
        )
    row = cache[year]
    return row[column] if row else None


REPORT_BACK = {1: "report_last", 2: "report_before"}  # years before the evaluation year → joined alias


def _report_sql(column: str, back: int) -> F:
    """A figure of the current report ``back`` years before the evaluation year (joined by
    ``with_sql_facts``)."""
    return F(f"{REPORT_BACK[back]}__{column}")


def with_sql_facts(queryset: Any, on: date) -> Any:
    """The queryset with what the SQL forms of facts on ``on`` read: for enterprises, the current reports of
    the last two years joined (each at most one row: one current submission per enterprise and year)."""
    from talentcloud.enterprises.models import Enterprise

    if queryset.model is not Enterprise:
        return queryset
    joins = {
        alias: FilteredRelation("reports", condition=Q(reports__year=on.year - back, reports__current=True))
        for back, alias in REPORT_BACK.items()
    }
    return queryset.alias(**joins)


def _figure_fact(key: str, label: Any, column: str, unit: Any = "") -> Fact:
    """A yearly figure (whole units) from last year's report."""

    def getter(enterprise: Any, on: date) -> Any:
        value = _report_value(enterprise, on.year - 1, column)
        return math.floor(value) if value is not None else None

    def sql(op: str, value: Any, on: date) -> Expression:
        return _compare_column(Floor(_report_sql(column, 1)), op, value)

    return Fact(key, label, INT, getter, sql, unit=unit, target="enterprise")


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

    return Fact(key, label, INT, getter, sql, unit="%", target="enterprise")


def _growth_parts(enterprise: Any, year: int) -> tuple[Any, Any]:
    this, last = _report_value(enterprise, year, "revenue"), _report_value(enterprise, year - 1, "revenue")
    return (None if this is None or last is None else this - last), last


def _intensity_parts(enterprise: Any, year: int) -> tuple[Any, Any]:
    return _report_value(enterprise, year, "rd_spend"), _report_value(enterprise, year, "revenue")


ENTERPRISE_FACTS = (
    _years_fact("enterprise_years", _("years since the enterprise was founded"), "founded_on", "enterprise"),
    Fact(
        "in_park",
        _("registered in a park"),
        BOOL,
        lambda enterprise, on: enterprise.park_id is not None,
        lambda op, value, on: _compare_column(Not(IsNull(F("park"), True)), op, value),
        target="enterprise",
    ),
    _figure_fact("revenue", _("revenue last year"), "revenue", _(" × 10k yuan")),
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
)
FACTS.update({fact.key: fact for fact in ENTERPRISE_FACTS})


def facts_for(target: str) -> dict[str, Fact]:
    """The registered facts about talents, or about enterprises."""
    return {key: fact for key, fact in FACTS.items() if fact.target == target}


def value_type_ok(fact: Fact, value: Any) -> bool:
    if fact.type == BOOL:
        return isinstance(value, bool)
    if fact.type == INT:
        return isinstance(value, int | Decimal) and not isinstance(value, bool)
    if fact.type == ENUM:
        return isinstance(value, str) and value in {c for c, _label in fact.choices}
    return False
