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

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import lru_cache
from typing import Any

from django.db.models import BooleanField, Case, F, IntegerField, Value, When
from django.db.models.expressions import Expression, Func
from django.db.models.functions import NullIf
from django.db.models.lookups import (
    Exact,
    GreaterThan,
    GreaterThanOrEqual,
    In,
    IsNull,
    LessThan,
    LessThanOrEqual,
)
from django.utils.translation import get_language
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

    def get(self, talent: Any, on: date) -> Any:
        return self.getter(talent, on)

    def compare(self, op: str, value: Any, on: date) -> Expression:
        return self.sql(op, value, on)

    def show(self, value: Any, language: str | None = None) -> str:
        """The value as the reader reads it ("博士", "35 岁", "是"); remembered per language, as the engine
        shows the same few values over and over."""
        try:
            return _shown(language if language is not None else get_language() or "", self, value)
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
        return f"{value}{self.unit}"


@lru_cache(maxsize=8192)
def _shown(language: str, fact: Fact, value: Any) -> str:
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


def _years_fact(key: str, label: Any, column: str) -> Fact:
    return Fact(
        key,
        label,
        INT,
        lambda talent, on: whole_years(getattr(talent, column), on),
        lambda op, value, on: _compare_years(column, op, value, on),
        unit=_(" years"),
        column=column,
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
        _years_fact("age", _("age"), "birth_date"),
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


def value_type_ok(fact: Fact, value: Any) -> bool:
    if fact.type == BOOL:
        return isinstance(value, bool)
    if fact.type == INT:
        return isinstance(value, int | Decimal) and not isinstance(value, bool)
    if fact.type == ENUM:
        return isinstance(value, str) and value in {c for c, _label in fact.choices}
    return False
