"""The vocabulary of rules: typed facts, each with a label, a Python getter and a SQL form.

Each app declares the facts it knows in its own ``facts.py`` (architecture.md, rule 12)::

    FACTS = [years_fact("age", _("age"), "birth_date"), column_fact("gender", _("gender"), "gender", ENUM, …)]
    FACT_SUBJECTS = [FactSubject("talent", Talent, _("talents"))]   # whom its facts are about, once

and ``FACTS`` here is every installed app's, by key, in the apps' order (a key declared twice is an error).
Rules may use declared facts only.

A fact's value on a date is read two ways that must agree (``policies/tests/test_agreement.py`` proves it):

- ``get(subject, on)``: the value for one person or enterprise, ``None`` when the archive does not know it;
- ``compare(op, value, on)``: a boolean SQL expression over the subject's table for one clause, which is NULL
  exactly when the fact is unknown (SQL's own three-valued logic then combines clauses as Kleene logic does).

Year counts (age, years since graduation, …) are whole years up to the date; in SQL they become comparisons of
the underlying date with thresholds, so an index on the date serves them. This module imports no app.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from fractions import Fraction
from functools import cache, lru_cache
from typing import Any

from django.db.models import BooleanField, F, Value
from django.db.models.expressions import Expression, Func
from django.db.models.functions import NullIf
from django.db.models.lookups import (
    Exact,
    GreaterThan,
    GreaterThanOrEqual,
    In,
    LessThan,
    LessThanOrEqual,
)
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from talentcloud.common.registries import Declarations, forgotten_with_apps

from .periods import DATE_OPS, add_period, latest_start, period_of, thresholds

BOOL, INT, ENUM, TAGS, DATE = "bool", "int", "enum", "tags", "date"
OPS_BY_TYPE = {
    BOOL: ("==", "!="),
    INT: ("==", "!=", "<", "<=", ">", ">=", "in", "not_in", "between"),
    ENUM: ("==", "!=", "in", "not_in"),
    TAGS: ("any_of",),  # a set of labels: "any_of" [a, b] passes when it shares at least one with the list
    DATE: DATE_OPS,  # a day something began, read with a period: {"years": 5} (``rules.periods``)
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


class SharesAny(Expression):
    """A JSON list of strings shares at least one item with ``values``: TRUE/FALSE, NULL when the column is
    NULL (PostgreSQL: ``?|``; SQLite: ``json_each``)."""

    output_field = BooleanField()

    def __init__(self, column: str, values: list[str]) -> None:
        super().__init__()
        self.column, self.values = F(column), list(values)

    def get_source_expressions(self) -> list[Any]:
        return [self.column]

    def set_source_expressions(self, exprs: Any) -> None:
        (self.column,) = exprs

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        column_sql, params = compiler.compile(self.column)
        marks = ", ".join(["%s"] * len(self.values))
        if connection.vendor == "postgresql":
            return f"({column_sql} ?| ARRAY[{marks}]::text[])", [*params, *self.values]
        sql = (  # only compiled SQL and placeholders are put together; the values are parameters
            f"(CASE WHEN {column_sql} IS NULL THEN NULL ELSE EXISTS (SELECT 1 FROM json_each({column_sql}) "  # noqa: S608
            f"WHERE json_each.value IN ({marks})) END)"
        )
        return sql, [*params, *params, *self.values]


def years_before(on: date, years: int) -> date:
    """The last date from which ``years`` whole years have passed by ``on`` (``periods.latest_start``)."""
    return latest_start(on, "years", years)


def whole_years(since: date | None, on: date) -> int | None:
    """Whole years from ``since`` to ``on``, anniversaries read as ``periods.add_period`` reads them (周岁 for
    a birth date; one born on 29 February has a birthday on 28 February of other years)."""
    if since is None:
        return None
    years = on.year - since.year
    return years - 1 if add_period(since, "years", years) > on else years


def compare_date(column: str | Any, op: str, value: Any, on: date) -> Expression:
    """A date clause (``periods``) as comparisons of the date column (or a date expression: a subquery) with
    constants: NULL when it is NULL."""
    unit, n = period_of(value) or ("days", 0)
    low, high = thresholds(op, unit, int(n), on)
    parts: list[Expression] = []
    day = F(column) if isinstance(column, str) else column
    if low is not None:
        parts.append(GreaterThan(day, low))
    if high is not None:
        parts.append(LessThanOrEqual(day, high))
    return parts[0] if len(parts) == 1 else And(*parts)


def compare_column(expression: Any, op: str, value: Any) -> Expression:
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
    if op == "any_of" and isinstance(expression, F):
        return SharesAny(expression.name, list(value))
    raise ValueError(op)


def compare_years(column: str, op: str, value: Any, on: date) -> Expression:
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
    """One fact rules may read. ``getter(subject, on)`` may keep what it reads for one evaluation in
    ``subject.__dict__["_fact_cache"]`` (``logic.fact_values`` empties it before each)."""

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
    # How a sentence says it (``rules.explain``): ``words`` "age" ("35 周岁"), "years" ("5 年"), "percent"
    # ("30%") or "ten_thousand_yuan" (a figure kept in 万元, said as money); ``phrases``: a yes/no fact's
    # sentence for each answer; ``levels``: a ranked fact's name of each level (1 → junior college …);
    # ``plain_label``: its name in a sentence, when not ``label``.
    words: str = ""
    phrases: tuple[tuple[bool, Any], ...] = ()
    levels: tuple[tuple[int, Any], ...] = ()
    plain_label: Any = None
    # A figure an amount may be computed from (``policies.formulas``): its value as an SQL expression on a
    # date (NULL when unknown), agreeing with ``get``.
    value_sql: Callable[[date], Any] | None = None
    # A date fact whose date itself is read as of the day (an office-defined date, a recognition's first
    # day): "as_of" would move both the reading and the value, so a rule may not give one.
    dated: bool = False
    # The values a rule may name, read when asked from a register the office keeps (the talent programmes):
    # instead of ``choices`` fixed in code. A rule naming a value not in it is refused.
    choices_from: Callable[[], tuple[tuple[str, Any], ...]] | None = None
    # The permission a reader needs to see the value in a verdict's reasons (children's counts: family.view,
    # ADR 0019); others read that the condition holds or not, without the value.
    perm: str = ""
    # The value as one SQL expression per subject (NULL when unknown) that the sweep reads once and compares
    # in numpy (``policies.vector``), where the fact's SQL form is ``compare_column(read(on), op, value)``, a
    # date fact's ``compare_date(read(on), …)``, or with ``read_as="years"`` ``compare_years`` over the date
    # ``read(on)``. None: ``value_sql`` for a figure or a choice, else the clause is computed by its SQL form.
    read: Callable[[date], Any] | None = None
    read_as: str = ""
    # The same value read set-based, for everyone at once: ``read_rows(on, path)`` is a queryset of at most
    # one row per subject, ``rn`` its subject's field ``path`` (the sweep's number) and ``rv`` the value;
    # a subject without a row has ``read_default``. One GROUP BY over the other table instead of a
    # subquery per subject (``policies.vector``).
    read_rows: Callable[[date, str], Any] | None = None
    read_default: Any = None

    def get(self, subject: Any, on: date) -> Any:
        return self.getter(subject, on)

    def options(self) -> tuple[tuple[str, Any], ...]:
        """The values a rule may name and their names: ``choices``, or those of the register now."""
        return self.choices_from() if self.choices_from is not None else self.choices

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
        if isinstance(value, list | tuple):
            names = dict(self.options())
            return "、".join(str(names.get(v, v)) for v in value) or "—"
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


def column_fact(
    key: str,
    label: Any,
    column: str,
    kind: str,
    *,
    choices: tuple[tuple[str, Any], ...] = (),
    blank_is_unknown: bool = True,
    target: str = "talent",
    phrases: tuple[tuple[bool, Any], ...] = (),
) -> Fact:
    """A fact that is a column of the subject's table (a blank text is unknown, unless told otherwise)."""

    def getter(subject: Any, on: date) -> Any:
        value = getattr(subject, column)
        return None if blank_is_unknown and value == "" else value

    def read(on: date) -> Any:
        return NullIf(F(column), Value("")) if blank_is_unknown and kind == ENUM else F(column)

    def sql(op: str, value: Any, on: date) -> Expression:
        return compare_column(read(on), op, value)

    return Fact(
        key,
        label,
        kind,
        getter,
        sql,
        choices=choices,
        column=column,
        target=target,
        phrases=phrases,
        read=read,
    )


def years_fact(
    key: str, label: Any, column: str, target: str = "talent", unit: Any = None, words: str = "years"
) -> Fact:
    """Whole years since the date in ``column``, up to the evaluation date."""
    return Fact(
        key,
        label,
        INT,
        lambda subject, on: whole_years(getattr(subject, column), on),
        lambda op, value, on: compare_years(column, op, value, on),
        unit=unit if unit is not None else _(" years"),
        column=column,
        target=target,
        words=words,
        read=lambda on: F(column),
        read_as="years",
    )


def date_fact(
    key: str, label: Any, column: str, event: Any, target: str = "talent", words: str = "since"
) -> Fact:
    """The day something began (graduation, birth, founding), read with a period: "毕业 5 年以内". ``event``
    is how a sentence names it ("毕业" / "graduation"); ``words`` "age" for a birth date (周岁)."""
    return Fact(
        key,
        label,
        DATE,
        lambda subject, on: getattr(subject, column),
        lambda op, value, on: compare_date(column, op, value, on),
        column=column,
        target=target,
        words=words,
        plain_label=event,
        read=lambda on: F(column),
    )


@dataclass(frozen=True, eq=False)
class FactSubject:
    """Whom an app's facts are about: the ``target`` its facts name, the model whose table their SQL forms
    read, what it is called in a rule's error ("a fact about %(about)s"), and what a queryset of it must have
    joined before those SQL forms run (``prepare(queryset, on)``; ``with_sql_facts`` applies it)."""

    target: str
    model: Any
    plural: Any
    prepare: Callable[[Any, date], Any] | None = None


# --- the registry: every installed app's declarations ---------------------------------------------------

DECLARED: Declarations[Fact] = Declarations("facts", "FACTS")
DECLARED_SUBJECTS: Declarations[FactSubject] = Declarations("facts", "FACT_SUBJECTS")


@forgotten_with_apps
@cache
def _facts() -> dict[str, Fact]:
    found: dict[str, Fact] = {}
    for fact in DECLARED.items():
        if fact.key in found:
            raise ValueError(f"facts.FACTS: {fact.key!r} declared twice")
        found[fact.key] = fact
    return found


# Facts the office defines without code (``policies.office_facts``): built from the database and handed here
# whenever their version changes (``set_defined_facts``); a declared fact keeps its key (the office's are
# checked against the declared ones when defined).
# ``refresh`` (set by the app that keeps them) reads them again when their version changed: called on the
# registry's first use in a process and when a key is not found (a fact defined a moment ago elsewhere); the
# engine calls it too before every evaluation (``policies.engine.in_force``).
_DEFINED: dict[str, Any] = {
    "facts": {},
    "merged": None,
    "by_target": None,
    "loaded": False,
    "refresh": None,
    "token": None,
}


def set_defined_facts(facts: list[Fact], token: Any = None) -> None:
    """The office-defined facts, replacing those held before (the registry reads them at once); ``token``
    names the version they were read at (None: read inside a transaction that changed them)."""
    _DEFINED.update(
        facts={fact.key: fact for fact in facts}, merged=None, by_target=None, loaded=True, token=token
    )


def defined_facts() -> list[Fact]:
    """The office-defined facts held now."""
    return list(_DEFINED["facts"].values())


def defined_facts_token() -> Any:
    """The version the office-defined facts held were read at (None: none read, or not to be kept)."""
    return _DEFINED["token"]


def defined_facts_from(refresh: Callable[[], None]) -> None:
    """Name the function that reads the office-defined facts again when they changed."""
    _DEFINED["refresh"] = refresh


def forget_defined_facts() -> None:
    """Drop the office-defined facts held (read again at the next use): between tests."""
    _DEFINED.update(facts={}, merged=None, by_target=None, loaded=False, token=None)


def _refresh_defined() -> None:
    refresh = _DEFINED["refresh"]
    if refresh is None:
        return
    try:
        refresh()
    except Exception:
        return


def _all_facts() -> dict[str, Fact]:
    """The declared facts, then the office-defined ones; made again when either changes."""
    if not _DEFINED["loaded"]:
        _DEFINED["loaded"] = True  # before reading, so that reading cannot recurse
        _refresh_defined()
    declared = _facts()
    held = _DEFINED["merged"]
    if held is None or held[0] is not declared:
        merged = dict(declared)
        merged.update({k: v for k, v in _DEFINED["facts"].items() if k not in declared})
        held = _DEFINED["merged"] = (declared, merged)
        _DEFINED["by_target"] = None
    facts: dict[str, Fact] = held[1]
    return facts


class _Registry(Mapping[str, Fact]):
    """``FACTS``: every declared fact by key, in the apps' order, then the office-defined ones (read when
    asked, so a test enabling an app sees its facts)."""

    def __getitem__(self, key: str) -> Fact:
        found = _all_facts().get(key)
        if found is None:
            _refresh_defined()  # perhaps defined a moment ago, by another process
            return _all_facts()[key]
        return found

    def __iter__(self) -> Iterator[str]:
        return iter(_all_facts())

    def __len__(self) -> int:
        return len(_all_facts())

    def __contains__(self, key: object) -> bool:
        return self.get(str(key)) is not None

    def get(self, key: str, default: Any = None) -> Any:
        found = _all_facts().get(key)
        if found is None and key:  # an empty key (a row not filled in yet) is no fact anywhere
            _refresh_defined()
            found = _all_facts().get(key)
        return default if found is None else found


FACTS: Mapping[str, Fact] = _Registry()


def _facts_by_target() -> dict[str, dict[str, Fact]]:
    _all_facts()  # made again (and the grouping forgotten) when the facts changed
    by_target: dict[str, dict[str, Fact]] | None = _DEFINED["by_target"]
    if by_target is None:
        by_target = {}
        for key, fact in _all_facts().items():
            by_target.setdefault(fact.target, {})[key] = fact
        _DEFINED["by_target"] = by_target
    return by_target


def facts_for(target: str) -> dict[str, Fact]:
    """The declared facts about talents, or about enterprises (or any other target an app declares)."""
    return dict(_facts_by_target().get(target, {}))


def subject_for(target: str) -> FactSubject | None:
    return next((s for s in DECLARED_SUBJECTS.items() if s.target == target), None)


def with_sql_facts(queryset: Any, on: date) -> Any:
    """The queryset with what the SQL forms of facts on ``on`` read joined (as the subject's app declares:
    for enterprises, their current reports of the last two years)."""
    for subject in DECLARED_SUBJECTS.items():
        if subject.prepare is not None and queryset.model is subject.model:
            return subject.prepare(queryset, on)
    return queryset


def value_type_ok(fact: Fact, value: Any) -> bool:
    if fact.type == BOOL:
        return isinstance(value, bool)
    if fact.type == INT:
        return isinstance(value, int | Decimal) and not isinstance(value, bool)
    if fact.type == ENUM:
        return isinstance(value, str) and value in {c for c, _label in fact.choices}
    if fact.type == TAGS:
        if fact.choices_from is not None:
            return isinstance(value, str) and value in {c for c, _label in fact.options()}
        return isinstance(value, str) and bool(value.strip())
    if fact.type == DATE:
        period = period_of(value)
        return (
            period is not None
            and isinstance(period[1], int)
            and not isinstance(period[1], bool)
            and (0 <= period[1] <= 200 * 366)
        )
    return False


@dataclass(frozen=True)
class Words:
    """A name the office wrote in both languages (an office-defined fact's label or unit): read in the
    reader's language, the Chinese when no English was given."""

    zh: str
    en: str = ""

    def __str__(self) -> str:
        return self.en if self.en and (get_language() or "").startswith("en") else self.zh
