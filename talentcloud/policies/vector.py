"""The sweep's evaluation over coded columns: each fact read once per subject, the rules decided in numpy.

The database reads, in one pass over the subjects, each fact a rule names as one column per day it is read
on (``Fact.read``, or a figure's or a choice's ``value_sql``): a choice as a small integer code (its values
that the rules name, numbered; 0 for any other value), a yes/no as 0 or 1, a figure as a float, a date (and
the date a years fact counts from) as a day number; an unknown value is a sentinel, read as a "known" mask.
PostgreSQL sends them in its binary COPY format (fixed-width rows: the sentinels keep NULL out), which numpy
reads without a Python object per value. Every distinct clause of all the rules is then decided once, as a
"true" and a "false" mask (what is neither is unknown), with the comparisons and thresholds of the clause's
SQL form (``facts.compare_column``, ``compare_years``, ``compare_date``); the rules combine those masks with
SQL's three-valued logic (all: true when every part is, false when one is; any: the converse; not: swapped).

A clause whose fact has no such reading (a set of labels, a programme's titles or level), or whose value is
none of the comparisons above (a missing value: ``== None`` is IS NULL), is computed inside the database as
its SQL form makes it (``rules.to_sql``), once, and travels as a coded column too. An amount by a choice's
table or per unit of a figure is decided in numpy over that fact's column (``Amount``); other amounts are
computed inside the database (``formulas.yearly_fen_sql``), one column per distinct benefit. In a full sweep
a fact from another table is read for everyone by one query over that table (``Fact.read_rows``: a GROUP BY
or a window, one row per subject) and placed by sweep number, instead of a subquery per subject.

``scan`` returns what ``sweep._scan_in_database`` does (the reference, which the tests compare it with):
per subject the number, the match masks, the computed amounts and, for talents, the verified facts.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import numpy as np
from django.db import connection, transaction
from django.db.models import BigIntegerField, BooleanField, ExpressionWrapper, F, Value
from django.db.models.functions import Coalesce

from talentcloud.rules.facts import BOOL, DATE, ENUM, FACTS, INT, Fact, with_sql_facts, years_before
from talentcloud.rules.logic import _resolve, to_sql
from talentcloud.rules.periods import DATE_OPS, as_date, period_of, thresholds

from .formulas import _fen, is_fixed, yearly_factor, yearly_fen_sql

if TYPE_CHECKING:
    from .models import Policy

BITS = 62  # policies per mask column (a signed 64-bit integer, its sign bit unused)
EPOCH = date(2000, 1, 1)  # day numbers count from here
UNKNOWN = -(1 << 62)  # an integer column's unknown value (a float column's is NaN)
Masks = tuple[np.ndarray, np.ndarray]  # true, false (neither: unknown)
Read = dict[str, tuple[np.ndarray, np.ndarray]]  # each column read: (values, known)

# How a value is read: "code" (a choice), "bool", "number" (a float), "day" (a date, or the date years count
# from)
CODE, BOOLEAN, NUMBER, DAY = "code", "bool", "number", "day"


def reading(fact: Fact) -> tuple[Callable[[date], Any], str, str] | None:
    """How the fact's value is read as one column: (the expression on a day, its kind, how clauses compare
    it: "column", "years" or "date"); None when its clauses are computed by their SQL forms."""
    read = fact.read
    if read is None and fact.value_sql is not None and fact.type in (INT, ENUM):
        read = fact.value_sql
    if read is None:
        return None
    if fact.type == DATE:
        return read, DAY, "date"
    if fact.read_as == "years":
        return read, DAY, "years"
    kinds = {ENUM: CODE, BOOL: BOOLEAN, INT: NUMBER}
    return (read, kinds[fact.type], "column") if fact.type in kinds else None


@dataclass(eq=False)  # compared by identity
class Column:
    """One fact's value on one day, read once per subject."""

    name: str
    kind: str
    expression: Any
    codes: dict[Any, int] = field(default_factory=dict)  # a choice's values that rules name → code
    rows: Any = None  # read set-based (``Fact.read_rows``): a queryset of (rn: number, rv: value)
    default: Any = None  # the value of a subject without a row


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return None
    return float(value)


def _plan(leaf: dict[str, Any], value: Any, compares: str, kind: str) -> tuple[str, Any] | None:
    """The clause as a comparison numpy makes over the column (op, operand in the column's terms); None when
    it is none numpy makes exactly as SQL does (the clause is then computed by its SQL form)."""
    op = leaf["op"]
    if value is None or (isinstance(value, list | tuple) and (not value or any(v is None for v in value))):
        return None
    if compares == "date":
        unit, n = period_of(value) or ("days", 0)
        if op not in DATE_OPS or not isinstance(n, int) or isinstance(n, bool):
            return None
        return op, (unit, n)
    if compares == "years":
        if op in ("in", "not_in", "between"):
            ok = isinstance(value, list | tuple) and all(isinstance(v, int) for v in value)
            ok = ok and (op != "between" or len(value) == 2)
        else:
            ok = op in ("==", "!=", "<", "<=", ">", ">=") and isinstance(value, int)
        return (op, value) if ok and not isinstance(value, bool) else None
    if kind == BOOLEAN:
        return (op, bool(value)) if op in ("==", "!=") and isinstance(value, bool) else None
    if kind == CODE:
        if op in ("in", "not_in") and isinstance(value, list | tuple):
            return (op, list(value)) if all(isinstance(v, str) for v in value) else None
        return (op, value) if op in ("==", "!=") and isinstance(value, str) else None
    if op in ("in", "not_in") or op == "between":
        numbers = [_number(v) for v in value] if isinstance(value, list | tuple) else [None]
        if None in numbers or (op == "between" and len(numbers) != 2):
            return None
        return op, numbers
    number = _number(value)
    return (op, number) if op in ("==", "!=", "<", "<=", ">", ">=") and number is not None else None


def _day(day: date) -> int:
    return (day - EPOCH).days


def _years(values: np.ndarray, op: str, value: Any, on: date) -> np.ndarray:
    """``compare_years``' thresholds over day numbers (whole years since the day ≥ n ⇔ day ≤ on − n years)."""

    def at_least(n: int) -> np.ndarray:
        return values <= _day(years_before(on, n))

    def below(n: int) -> np.ndarray:
        return values > _day(years_before(on, n))

    if op == ">=":
        return at_least(value)
    if op == ">":
        return at_least(value + 1)
    if op == "<":
        return below(value)
    if op == "<=":
        return below(value + 1)
    if op in ("==", "!="):
        hit = at_least(value) & below(value + 1)
        return hit if op == "==" else ~hit
    if op == "between":
        return at_least(value[0]) & below(value[1] + 1)
    hit = np.zeros(len(values), dtype=bool)
    for n in value:
        hit |= at_least(n) & below(n + 1)
    return hit if op == "in" else ~hit


def _compare(values: np.ndarray, op: str, value: Any) -> np.ndarray:
    if op == "==":
        return values == value
    if op == "!=":
        return values != value
    if op == "<":
        return values < value
    if op == "<=":
        return values <= value
    if op == ">":
        return values > value
    if op == ">=":
        return values >= value
    if op == "between":
        return (values >= value[0]) & (values <= value[1])
    hit = np.isin(values, np.asarray(value, dtype=values.dtype))
    return hit if op == "in" else ~hit


@dataclass
class Clause:
    """A distinct clause: decided in numpy over a column (``column``, ``op``, ``operand``), or computed by its
    SQL form (``sql``: the inner query's column of its TRUE/FALSE/NULL)."""

    column: Column | None = None
    compares: str = "column"
    op: str = ""
    operand: Any = None
    day: date | None = None
    sql: str = ""

    def masks(self, read: dict[str, tuple[np.ndarray, np.ndarray]]) -> Masks:
        if self.column is None:
            values, known = read[self.sql]
            return known & (values == 1), known & (values == 0)
        values, known = read[self.column.name]
        assert self.day is not None
        if self.compares == "date":
            unit, n = self.operand
            low, high = thresholds(self.op, unit, n, self.day)
            hit = np.ones(len(values), dtype=bool)
            if low is not None:
                hit &= values > _day(low)
            if high is not None:
                hit &= values <= _day(high)
        elif self.compares == "years":
            hit = _years(values, self.op, self.operand, self.day)
        elif self.column.kind == CODE:
            codes = self.column.codes
            operand = (
                [codes[v] for v in self.operand] if isinstance(self.operand, list) else codes[self.operand]
            )
            hit = _compare(values, self.op, operand)
        elif self.column.kind == BOOLEAN:
            hit = _compare(values, self.op, int(self.operand))
        else:
            hit = _compare(values, self.op, self.operand)
        return known & hit, known & ~hit


def clause_key(leaf: dict[str, Any]) -> str:
    return json.dumps(leaf, sort_keys=True, default=str)


def rule_clauses(rule: dict[str, Any], found: dict[str, dict[str, Any]]) -> None:
    """The rule's clauses (fact, operator, value, as of), each once however often the rules repeat it."""
    if "all" in rule or "any" in rule:
        for part in rule["all" if "all" in rule else "any"]:
            rule_clauses(part, found)
    elif "not" in rule:
        rule_clauses(rule["not"], found)
    else:
        leaf = {k: rule[k] for k in ("fact", "op", "value", "as_of") if k in rule}
        found.setdefault(clause_key(leaf), leaf)


def decide(rule: dict[str, Any], clauses: dict[str, Masks], done: dict[str, Masks]) -> Masks:
    """The rule's (true, false) masks from its clauses', in SQL's three-valued logic; each distinct part
    once (``done``)."""
    if "all" in rule or "any" in rule:
        key = clause_key(rule)
        if key not in done:
            parts = [decide(p, clauses, done) for p in rule["all" if "all" in rule else "any"]]
            trues, falses = [p[0] for p in parts], [p[1] for p in parts]
            if "all" in rule:
                done[key] = np.logical_and.reduce(trues), np.logical_or.reduce(falses)
            else:
                done[key] = np.logical_or.reduce(trues), np.logical_and.reduce(falses)
        return done[key]
    if "not" in rule:
        true, false = decide(rule["not"], clauses, done)
        return false, true
    return clauses[clause_key({k: rule[k] for k in ("fact", "op", "value", "as_of") if k in rule})]


# --- reading the columns -----------------------------------------------------------------------------------


def _coded_pg(name: str, kind: str, codes: dict[Any, int]) -> tuple[str, list[Any], str]:
    """PostgreSQL: the inner column as a non-null 8-byte value (text, its values, numpy's big-endian type)."""
    column = f"s.{name}"
    if kind == CODE:
        whens = " ".join(f"WHEN {column} = %s THEN {code}" for code in codes.values())
        return f"CASE WHEN {column} IS NULL THEN {UNKNOWN} {whens} ELSE 0 END", list(codes), ">i8"
    if kind == BOOLEAN:
        return f"COALESCE({column}::int4::int8, {UNKNOWN})", [], ">i8"
    if kind == DAY:
        return f"COALESCE(({column}::date - DATE '{EPOCH.isoformat()}')::int8, {UNKNOWN})", [], ">i8"
    if kind == NUMBER:
        return f"COALESCE({column}::float8, 'NaN'::float8)", [], ">f8"
    return f"COALESCE({column}::int8, {UNKNOWN})", [], ">i8"  # integers: the number, amounts, masks


def _fetch_pg(sql: str, params: list[Any], columns: list[tuple[str, list[Any], str]]) -> list[np.ndarray]:
    outer = ", ".join(text for text, _values, _type in columns)
    values = [v for _text, vs, _type in columns for v in vs]
    statement = f"COPY (SELECT {outer} FROM ({sql} OFFSET 0) s) TO STDOUT (FORMAT BINARY)"  # noqa: S608
    with transaction.atomic():
        connection.ensure_connection()
        with connection.connection.cursor() as cursor:
            cursor.execute("SET LOCAL jit = off")  # ADR 0031: compiling costs more than the one run
            with cursor.copy(statement, [*values, *params]) as copy:
                data = b"".join(bytes(block) for block in copy)
    # 19-byte header; per row a 2-byte field count, then per field a 4-byte length and 8 bytes; 2-byte trailer
    fields = [("count", ">i2")]
    for i, (_text, _values, kind) in enumerate(columns):
        fields += [(f"l{i}", ">i4"), (f"c{i}", kind)]
    rows = np.frombuffer(data[19:-2], dtype=np.dtype(fields))
    return [
        rows[f"c{i}"].astype(np.float64 if kind == ">f8" else np.int64)
        for i, (*_x, kind) in enumerate(columns)
    ]


def _python(value: Any, kind: str, codes: dict[Any, int]) -> Any:
    """Another database: one fetched value coded as PostgreSQL codes it."""
    if kind == CODE:
        return UNKNOWN if value is None else codes.get(value, 0)
    if kind == NUMBER:
        return math.nan if value is None else float(value)
    if value is None:
        return UNKNOWN
    if kind == DAY:
        day = value if isinstance(value, date) else date.fromisoformat(str(value)[:10])
        return _day(day)
    return int(value)


def _fetch_other(
    sql: str, params: list[Any], names: list[str], kinds: list[tuple[str, dict[Any, int]]]
) -> list[np.ndarray]:
    outer = ", ".join(f"s.{name}" for name in names)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {outer} FROM ({sql} LIMIT -1 OFFSET 0) s", params)  # noqa: S608 (ORM SQL)
        rows = cursor.fetchall()
    out = []
    for i, (kind, codes) in enumerate(kinds):
        dtype = np.float64 if kind == NUMBER else np.int64
        out.append(np.array([_python(row[i], kind, codes) for row in rows], dtype=dtype))
    return out


def _known(values: np.ndarray) -> np.ndarray:
    return ~np.isnan(values) if values.dtype == np.float64 else values != UNKNOWN


# --- the scan -------------------------------------------------------------------------------------------


def _computed(policies: list[Policy]) -> list[int]:
    """The places of the policies whose amount depends on the person (``sweep._computed``)."""
    return [
        i
        for i, p in enumerate(policies)
        if p.benefit.get("kind") == "money" and not is_fixed(p.benefit.get("amount"))
    ]


@dataclass
class Amount:
    """A yearly amount (fen) decided in numpy over one fact's column, as ``formulas.yearly_fen_sql`` computes
    it: a table by a choice (``by``; a value not in it: the default) or whole units of a figure (``per``),
    then ``floor`` and ``cap``, then the part of it one year pays."""

    column: Column
    amount: dict[str, Any]
    benefit: dict[str, Any]

    def fen(self, read: dict[str, tuple[np.ndarray, np.ndarray]]) -> tuple[np.ndarray, np.ndarray]:
        values, known = read[self.column.name]
        amount = self.amount
        if "by" in amount:
            default = amount.get("default")
            other = (_fen(default) or 0) if default is not None else 0
            table = np.full(len(self.column.codes) + 1, other, dtype=np.int64)
            for key, value in amount["table"].items():
                table[self.column.codes[key]] = _fen(value) or 0
            per = table[np.where(known, values, 0)]
        else:
            units = np.where(values < 0, 0, np.floor(np.where(known, values, 0))).astype(np.int64)
            if amount.get("max_units") is not None:
                units = np.minimum(units, int(amount["max_units"]))
            per = units * (_fen(amount["per"]) or 0)
        if "floor" in amount:
            per = np.maximum(per, _fen(amount["floor"]) or 0)
        if "cap" in amount:
            per = np.minimum(per, _fen(amount["cap"]) or 0)
        top, bottom = yearly_factor(self.benefit)
        yearly = per * top if bottom == 1 else (per * top + bottom // 2) // bottom
        return np.where(known, yearly, 0), known


def _amount(benefit: dict[str, Any], columns: dict[tuple[str, date], Column], on: date) -> Amount | None:
    """The benefit's amount decided in numpy, over the column of the fact it reads (shared with the rules'
    clauses when they read it too), or None: it is computed inside the database."""
    amount = benefit.get("amount")
    if not isinstance(amount, dict) or not ({"by", "per"} & set(amount)):
        return None
    fact = FACTS.get(str(amount.get("by") or amount.get("units")))
    how = reading(fact) if fact is not None else None
    if fact is None or how is None:
        return None
    if "by" in amount:  # formulas: the choice's column (blank: unknown), or its value's SQL
        table = amount.get("table")
        if how[1] != CODE or not isinstance(table, dict) or not all(isinstance(k, str) for k in table):
            return None
    elif how[1] != NUMBER or fact.read is not None or fact.value_sql is None:
        return None  # formulas read the units by ``value_sql``
    column = columns.get((fact.key, on))
    if column is None:
        column = Column(f"u{len(columns)}", how[1], how[0](on))
    for key in amount.get("table") or {}:
        column.codes.setdefault(key, len(column.codes) + 1)
    return Amount(column, amount, benefit)


@dataclass
class Plan:
    """What a scan reads (the inner query, its columns and how each is coded) and how it decides."""

    policies: list[Policy]
    sql: str
    values: list[Any]
    kinds: dict[str, tuple[str, dict[Any, int]]]
    clauses: dict[str, Clause]
    computed: list[int]
    amounts: dict[int, str]  # policy place → the amount's name (a column, or one decided in numpy)
    talents: bool
    in_numpy: dict[str, Amount] = field(default_factory=dict)
    by_rows: list[Column] = field(default_factory=list)  # read set-based, apart from the subjects' pass
    # each column of the subjects' pass as an expression over ``base`` (what ``kept`` names a column by)
    expressions: dict[str, Any] = field(default_factory=dict)
    base: Any = None


def plan(
    subjects: Any, policies: list[Policy], params: dict[str, Any], on: date, ids: list[Any] | None = None
) -> Plan:
    """Each fact the rules name read once per day as a column, each distinct clause planned once: decided
    in numpy over its fact's column, or computed inside the database (``Clause.sql``)."""
    leaves: dict[str, dict[str, Any]] = {}
    for policy in policies:
        rule_clauses(policy.rule, leaves)
    inner: dict[str, Any] = {"n": F("sweep_number__number")}
    kinds: dict[str, tuple[str, dict[Any, int]]] = {"n": ("int", {})}
    columns: dict[tuple[str, date], Column] = {}
    clauses: dict[str, Clause] = {}
    for key, leaf in leaves.items():
        fact = FACTS[leaf["fact"]]
        day = as_date(leaf.get("as_of")) or on
        how = reading(fact)
        found = _plan(leaf, _resolve(leaf["value"], params), how[2], how[1]) if how is not None else None
        if how is None or found is None:
            name = f"k{len(clauses)}"
            inner[name] = ExpressionWrapper(to_sql(leaf, params, on), output_field=BooleanField())
            kinds[name] = (BOOLEAN, {})
            clauses[key] = Clause(sql=name)
            continue
        read, kind, compares = how
        column = columns.get((fact.key, day))
        if column is None and fact.read_rows is not None and ids is None:  # everyone: one GROUP BY
            rows = fact.read_rows(day, "sweep_number__number")
            column = Column(f"v{len(columns)}", kind, None, rows=rows, default=fact.read_default)
            columns[(fact.key, day)] = column
        elif column is None:
            column = columns[(fact.key, day)] = Column(f"v{len(columns)}", kind, read(day))
            inner[column.name] = column.expression
        op, operand = found
        if kind == CODE:
            for v in operand if isinstance(operand, list) else [operand]:
                column.codes.setdefault(v, len(column.codes) + 1)
        clauses[key] = Clause(column, compares, op, operand, day)
    computed = _computed(policies)
    amounts: dict[int, str] = {}
    same: dict[str, str] = {}
    in_numpy: dict[str, Amount] = {}
    for i in computed:
        # policies with the same benefit (variants of one text) share its amount, computed once per person
        benefit = json.dumps(policies[i].benefit, sort_keys=True, default=str)
        amounts[i] = same.setdefault(benefit, f"a{i}")
        if amounts[i] != f"a{i}":
            continue
        found_amount = _amount(policies[i].benefit, columns, on)
        if found_amount is not None:
            in_numpy[f"a{i}"] = found_amount
            if found_amount.column not in columns.values():  # a column of its own
                inner[found_amount.column.name] = found_amount.column.expression
                columns[(found_amount.column.name, on)] = found_amount.column
        else:
            inner[f"a{i}"] = yearly_fen_sql(policies[i].benefit, params, on)
            kinds[f"a{i}"] = ("int", {})
    for column in columns.values():
        if column.rows is None:
            kinds[column.name] = (column.kind, column.codes)
    talents = subjects.target == "talent"
    if talents:
        inner["v"] = Coalesce(F("verified_facts__mask"), Value(0), output_field=BigIntegerField())
        kinds["v"] = ("int", {})
    everyone = subjects.base() if ids is None else subjects.base().filter(pk__in=ids)
    base = with_sql_facts(everyone, on)
    query = base.annotate(**inner).order_by().values_list(*inner)
    sql, values = query.query.sql_with_params()
    by_rows = [column for column in columns.values() if column.rows is not None]
    return Plan(
        policies,
        sql,
        list(values),
        kinds,
        clauses,
        computed,
        amounts,
        talents,
        in_numpy,
        by_rows,
        inner,
        base,
    )


def read(plan: Plan) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """The plan's columns, each as (values, known), in one pass over the subjects."""
    names = list(plan.kinds)
    if connection.vendor == "postgresql":
        fetched = _fetch_pg(plan.sql, plan.values, [_coded_pg(n, *plan.kinds[n]) for n in names])
    else:
        fetched = _fetch_other(plan.sql, plan.values, names, [plan.kinds[n] for n in names])
    out = {name: (array, _known(array)) for name, array in zip(names, fetched, strict=True)}
    numbers = out["n"][0]
    for column in plan.by_rows:
        sql, values = column.rows.values_list("rn", "rv").query.sql_with_params()
        kind = column.kind
        if connection.vendor == "postgresql":
            rn, rv = _fetch_pg(
                sql, list(values), [_coded_pg("rn", "int", {}), _coded_pg("rv", kind, column.codes)]
            )
        else:
            rn, rv = _fetch_other(sql, list(values), ["rn", "rv"], [("int", {}), (kind, column.codes)])
        known_rows = rn != UNKNOWN  # rows of subjects without a number yet (none in a sweep)
        rn, rv = rn[known_rows], rv[known_rows]
        size = int(max(numbers.max(initial=0), rn.max(initial=0))) + 1
        full = np.full(size, _python(column.default, kind, column.codes), dtype=rv.dtype)
        full[rn] = rv
        array = full[numbers]
        out[column.name] = (array, _known(array))
    return out


def columns(plan: Plan, read: dict[str, tuple[np.ndarray, np.ndarray]]) -> list[np.ndarray]:
    """Every distinct clause decided once, the rules combined from them: the scan's matrix as its columns
    (what the sweep reads; stacking them into one array wrote 168 MB more at 1,000,000 people)."""
    policies, computed, amounts = plan.policies, plan.computed, plan.amounts
    read = {**read, **{name: amount.fen(read) for name, amount in plan.in_numpy.items()}}
    masks = {key: clause.masks(read) for key, clause in plan.clauses.items()}
    done: dict[str, Masks] = {}
    count = len(read["n"][0])
    out = [read["n"][0]]
    for chunk in range(0, len(policies), BITS):
        # each rule's match a column of bytes, packed eight to a byte: shifting and OR-ing 62 eight-byte
        # integers per person wrote some 800 MB of temporaries at 1,000,000 people
        matches = np.zeros((count, 64), dtype=bool)
        for bit, policy in enumerate(policies[chunk : chunk + BITS]):
            matched = decide(policy.rule, masks, done)[0]
            if chunk + bit in computed:
                matched = matched & read[amounts[chunk + bit]][1]
            matches[:, bit] = matched
        packed = np.packbits(matches, axis=1, bitorder="little").view("<i8").reshape(count)
        out.append(packed.astype(np.int64))
    for i in computed:
        amount, known = read[amounts[i]]
        out.append(np.where(known, amount, 0))
    if plan.talents:
        out.append(read["v"][0])
    return out


def matrix(plan: Plan, read: dict[str, tuple[np.ndarray, np.ndarray]]) -> np.ndarray:
    """The scan's matrix (``columns`` stacked): one row per subject."""
    found = columns(plan, read)
    return np.stack(found, axis=1) if len(found[0]) else np.zeros((0, len(found)), dtype=np.int64)


def scan(
    subjects: Any, policies: list[Policy], params: dict[str, Any], on: date, ids: list[Any] | None = None
) -> np.ndarray:
    """Per subject their number, the match masks (bit i of column 1 + i // ``BITS`` for policy i: its
    rule is TRUE and its amount known), the yearly amounts (fen, 0 when unknown) of the policies whose amount
    depends on the person and, for talents, last, their verified facts: ``sweep._scan_in_database``'s
    matrix."""
    found = plan(subjects, policies, params, on, ids)
    return matrix(found, read(found))


def scan_columns(
    subjects: Any, policies: list[Policy], params: dict[str, Any], on: date, ids: list[Any] | None = None
) -> list[np.ndarray]:
    """``scan``'s matrix as its columns (``columns``)."""
    found = plan(subjects, policies, params, on, ids)
    return columns(found, read(found))
