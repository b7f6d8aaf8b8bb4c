"""免申即享: every published policy evaluated for everyone at once, the results kept as one array per policy.

The sweep numbers everyone once (``TalentNumber``, ``EnterpriseNumber``: a dense place in the arrays), then
reads, in one scan of the archive inside the database, which policies each person matches: every rule's SQL
form (``rules.to_sql``) becomes one bit of a mask, so 50 policies cost one pass, not 50, and only the masks
travel (PostgreSQL sends them in its binary COPY format, read straight into numpy). Whether the facts a match
rests on are verified travels with them: one integer per talent (``talents.VerifiedFacts``, kept current when
a fact record is written, accepted or rejected). In numpy: a match on verified facts is granted, one on
self-declared or unrecorded facts asks for verification first; 就高不重复 within exclusion groups and yearly
budgets in order of eligibility date are decided by ``decision`` (the calculator's decision, over arrays).
Each policy's result is a byte per person (``SweepResult``), read against the run before: who is new, who
lapsed.

Results are stored per target (talents, then enterprises) in one transaction each, noted in the run, and the
newly granted are told (or a pre-filled case is opened) in a last transaction that ends the run: a sweep
stopped midway (a crash, a kill) is finished by the next one, and a rerun adds nothing (ADR 0009). Telling is
set-based (``_tell``: bulk notices, bulk drafts), never one person at a time.

Between sweeps, a person whose facts change is re-evaluated alone (``reevaluate``, a background task, ADR
0017): their results are kept as a ``SubjectResult`` that stands in for their bytes of the newest run, which
the calculator reads and the next sweep counts as what the person was told before; the sweep then removes
the ones it has caught up with.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache
from typing import TYPE_CHECKING, Any

import numpy as np
from django.db import connection, transaction
from django.db.models import (
    BigIntegerField,
    BooleanField,
    ExpressionWrapper,
    F,
    Q,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from talentcloud.accounts.scope import scope_filter
from talentcloud.audit.services import audit_record
from talentcloud.enterprises.models import Enterprise, EnterpriseMember
from talentcloud.notifications.services import notify_events
from talentcloud.rules.facts import ENUM, FACTS, INT, Fact, with_sql_facts
from talentcloud.rules.logic import _resolve, fact_values, facts_used, to_sql
from talentcloud.rules.periods import as_date
from talentcloud.servicehall.models import Case as HallCase  # not the ORM's Case
from talentcloud.talents.consents import withdrawn
from talentcloud.talents.models import Talent, VerifiedFacts

from . import kept, vector
from .budget_sources import with_budgets
from .decision import Member, exclusion_sets, fen, group_losers, linked, over_budget_array
from .effects import effect_of
from .engine import benefit_amount, benefit_facts, imputed_yearly, published
from .formulas import is_fixed, yearly_fen_sql
from .models import (
    BUDGET_EXHAUSTED,
    EXCLUDED,
    GRANTED,
    STATE_CODES,
    VERIFY_FIRST,
    EnterpriseNumber,
    EntitlementStatus,
    OnMatch,
    Policy,
    SubjectChange,
    SubjectResult,
    SweepResult,
    SweepRun,
    SweepStatus,
    TalentNumber,
    parameters_on,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from talentcloud.accounts.models import User

# Rule facts that rest on a fact with provenance (talents.FactRecord keys, bits of talents.VerifiedFacts); the
# others are recorded by staff.
PROVENANCE = {
    "highest_degree": "highest_degree",
    "degree_rank": "highest_degree",
    "years_since_graduation": "graduated_on",
    "social_insurance_years": "social_insurance_since",
    "owns_home_in_city": "owns_home_in_city",
    "employed_in_district": "employer",
}
BITS = vector.BITS  # policies per mask column (a signed 64-bit integer, its sign bit unused)
SINCE_EPOCH = date(2000, 1, 1)  # ``since`` counts days from here in two bytes (until 2179)
# Telling more subjects than this reads who they are in one pass over everyone, not by lists of keys: at
# 1,000,000 talents, 260,000 enterprises' administrators took 12.2 s by lists of two thousand
EVERYONE_FROM = 50_000
KEEP_ARRAYS = 2  # runs whose arrays are kept: the newest and the one it was read against


@dataclass(frozen=True)
class Subjects:
    """Talents or enterprises: what the sweep reads and how it numbers them."""

    target: str
    model: Any
    number_model: Any
    link: str  # the number model's field pointing at the subject
    # every change to their facts is noted (``SubjectChange``: the talents' change hooks, ADR 0018), so a
    # sweep may keep their coded columns and read again only whose changed (``kept``, ADR 0041); an
    # enterprise's facts also change with its reports and its hires, which note nothing
    noted: bool = False

    def base(self) -> Any:
        everyone = self.model.objects.filter(sweep_number__isnull=False)
        return everyone.filter(restricted=False) if self.target == "talent" else everyone


SUBJECTS = {
    "talent": Subjects("talent", Talent, TalentNumber, "talent", noted=True),
    "enterprise": Subjects("enterprise", Enterprise, EnterpriseNumber, "enterprise"),
}


def number_new() -> None:
    """Give a number to every talent and enterprise that has none yet (one statement each)."""
    with connection.cursor() as cursor:
        for subjects in SUBJECTS.values():
            table, source = subjects.number_model._meta.db_table, subjects.model._meta.db_table
            column = f"{subjects.link}_id"
            missing = f"NOT EXISTS (SELECT 1 FROM {table} n WHERE n.{column} = s.id)"  # noqa: S608
            cursor.execute(  # table and column names from the models, no input
                f"INSERT INTO {table} ({column}) SELECT s.id FROM {source} s "  # noqa: S608
                f"WHERE {missing} ORDER BY s.created_at, s.id"
            )


def _fetch_ints(sql: str, params: Iterable[Any], width: int) -> np.ndarray:
    """The rows of a query of ``width`` non-null integer columns as an int64 matrix. PostgreSQL sends them in
    its binary COPY format (fixed-width rows, read by numpy without a Python object per value)."""
    if connection.vendor != "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(sql, list(params))
            return np.array(cursor.fetchall(), dtype=np.int64).reshape(-1, width)
    columns = ", ".join(f"s.c{i}::int8" for i in range(width))
    statement = f"COPY (SELECT {columns} FROM ({sql}) s) TO STDOUT (FORMAT BINARY)"  # noqa: S608 (ORM SQL)
    with transaction.atomic():
        connection.ensure_connection()
        with connection.connection.cursor() as cursor:
            # Compiling the scan's expressions to machine code (JIT) took longer than running them: 7.5 s
            # of 22 s at 100,000 talents (EXPLAIN ANALYZE), for a statement that runs once.
            cursor.execute("SET LOCAL jit = off")
            with cursor.copy(statement, list(params)) as copy:
                data = b"".join(bytes(block) for block in copy)
    # 19-byte header; per row a 2-byte field count, then per field a 4-byte length and 8 bytes; 2-byte trailer
    fields = [("count", ">i2")] + [
        item for i in range(width) for item in ((f"l{i}", ">i4"), (f"c{i}", ">i8"))
    ]
    rows = np.frombuffer(data[19:-2], dtype=np.dtype(fields))
    return np.stack([rows[f"c{i}"].astype(np.int64) for i in range(width)], axis=1)


def _computed(policies: list[Policy]) -> list[int]:
    """The places of the policies whose amount depends on the person (a table, a formula): the scan reads
    each one's yearly amount, computed inside the database (``formulas.yearly_fen_sql``)."""
    return [
        i
        for i, p in enumerate(policies)
        if p.benefit.get("kind") == "money" and not is_fixed(p.benefit.get("amount"))
    ]


def _combined(
    rule: dict[str, Any], names: dict[str, str], raw: dict[str, tuple[str, list[Any]]], out: list[Any]
) -> str:
    """The rule over its clauses' columns, in SQL's three-valued logic (the same as ``to_sql``'s); a clause
    compared outside the inner query (``raw``) adds its values to ``out`` in the order the text uses them."""
    if "all" in rule or "any" in rule:
        joiner = " AND " if "all" in rule else " OR "
        parts = rule["all" if "all" in rule else "any"]
        return "(" + joiner.join(_combined(part, names, raw, out) for part in parts) + ")"
    if "not" in rule:
        return f"(NOT {_combined(rule['not'], names, raw, out)})"
    leaf = {k: rule[k] for k in ("fact", "op", "value", "as_of") if k in rule}
    key = json.dumps(leaf, sort_keys=True, default=str)
    if key in raw:
        text, values = raw[key]
        out.extend(values)
        return text
    return f"s.{names[key]}"


# A clause of a figure or a choice over its value read once per person (``Fact.value_sql``), as
# ``facts.compare_column`` makes it (such a fact's own SQL form is ``compare_column(value_sql(on), …)``): NULL
# when the value is NULL, SQL's three-valued logic as before.
_RAW = {
    "==": "({x} = %s)",
    "!=": "(NOT ({x} = %s))",
    "<": "({x} < %s)",
    "<=": "({x} <= %s)",
    ">": "({x} > %s)",
    ">=": "({x} >= %s)",
}


def _raw_compare(column: str, op: str, value: Any) -> tuple[str, list[Any]] | None:
    """A clause over a column the inner query computed, as SQL text and its values; None when it is none of
    these comparisons (the clause is then computed as ``to_sql`` makes it). A missing value (None) is left to
    ``to_sql``: the ORM reads ``== None`` as IS NULL and drops None from a list."""
    if value is None or (isinstance(value, list | tuple) and any(v is None for v in value)):
        return None
    if op in ("in", "not_in") and isinstance(value, list | tuple) and value:
        text = f"({column} IN ({', '.join(['%s'] * len(value))}))"
        return (text if op == "in" else f"(NOT {text})"), list(value)
    if op == "between" and isinstance(value, list | tuple) and len(value) == 2:
        return f"({column} >= %s AND {column} <= %s)", list(value)
    if op in _RAW and not isinstance(value, dict | list | tuple | bool):
        return _RAW[op].format(x=column), [value]
    return None


def _shared_value(fact: Fact) -> bool:
    """A fact whose clauses compare one value read per person: a figure or a choice with its value's SQL.
    Each clause as a subquery of its own computed the same count once per clause (children under 3 twice,
    continuous months of social insurance five times, per person)."""
    return fact.value_sql is not None and fact.type in (INT, ENUM)


def _scan(
    subjects: Subjects,
    policies: list[Policy],
    params: dict[str, Any],
    on: date,
    ids: list[Any] | None = None,
) -> np.ndarray:
    """One pass over everyone (or the subjects ``ids``), each fact read once as a coded column and the rules
    decided in numpy (``vector.scan``, ADR 0036): the matrix ``_scan_in_database`` returns."""
    return vector.scan(subjects, policies, params, on, ids)


def _scan_columns(
    subjects: Subjects,
    policies: list[Policy],
    params: dict[str, Any],
    on: date,
    ids: list[Any] | None = None,
    *,
    keep: bool = False,
) -> list[np.ndarray]:
    """``_scan``'s matrix as its columns, which the sweep and a re-evaluation read (``vector.columns``).
    ``keep``: a sweep over everyone reads the columns kept by an earlier sweep of the day where it can, and
    keeps them for the next (``kept.read``, ADR 0041)."""
    if not policies:
        return [np.zeros(0, dtype=np.int64)]
    plan = vector.plan(subjects, policies, params, on, ids)
    if keep and ids is None:

        def read_some(some: list[Any]) -> vector.Read:
            return vector.read(vector.plan(subjects, policies, params, on, some))

        return vector.columns(plan, kept.read(plan, subjects, on, read_some))
    return vector.columns(plan, vector.read(plan))


def _scan_in_database(
    subjects: Subjects,
    policies: list[Policy],
    params: dict[str, Any],
    on: date,
    ids: list[Any] | None = None,
) -> np.ndarray:
    """The scan with the rules evaluated inside the database (ADR 0031): the reference ``_scan`` is
    compared with in the tests. One pass over everyone (or the subjects ``ids``): per person their number,
    the match masks (bit i of column 1 + i // BITS for policy i: its rule is TRUE and its amount is known —
    one that cannot be computed is "information missing", as the calculator says), the yearly amounts (fen)
    of the policies whose amount depends on the person (``_computed``) and, for talents, last, their
    verified facts (``VerifiedFacts.mask``: 0 when none is).

    Every distinct clause of all the rules (``rules.to_sql``) is computed once per person, in an inner query
    the planner may not flatten (``OFFSET 0``); the rules are combined from those columns outside it, with
    SQL's AND, OR and NOT (the same three-valued logic), so 50 rules sharing their clauses cost the clauses,
    not 50 rules."""
    leaves: dict[str, dict[str, Any]] = {}
    for policy in policies:
        vector.rule_clauses(policy.rule, leaves)
    names = {key: f"k{n}" for n, key in enumerate(leaves)}
    computed = _computed(policies)
    inner: dict[str, Any] = {"n": F("sweep_number__number")}
    values: dict[tuple[str, date], str] = {}  # (fact, day) → the column of its value, read once per person
    raw: dict[str, tuple[str, list[Any]]] = {}
    for key, leaf in leaves.items():
        fact = FACTS[leaf["fact"]]
        day = as_date(leaf.get("as_of")) or on
        if _shared_value(fact) and fact.value_sql is not None:
            column = values.get((fact.key, day)) or f"v{len(values)}"
            found = _raw_compare(f"s.{column}", leaf["op"], _resolve(leaf["value"], params))
            if found is not None:
                if (fact.key, day) not in values:
                    values[(fact.key, day)] = column
                    inner[column] = fact.value_sql(day)
                raw[key] = found
                continue
        inner[names[key]] = ExpressionWrapper(to_sql(leaf, params, on), output_field=BooleanField())
    amounts: dict[int, str] = {}
    same: dict[str, str] = {}
    for i in computed:
        # policies with the same benefit (variants of one text) share its amount, computed once per person
        benefit = json.dumps(policies[i].benefit, sort_keys=True, default=str)
        amounts[i] = same.setdefault(benefit, f"a{i}")
        if amounts[i] == f"a{i}":
            inner[f"a{i}"] = yearly_fen_sql(policies[i].benefit, params, on)
    if subjects.target == "talent":
        inner["v"] = Coalesce(F("verified_facts__mask"), Value(0), output_field=BigIntegerField())
    everyone = subjects.base() if ids is None else subjects.base().filter(pk__in=ids)
    query = with_sql_facts(everyone, on).annotate(**inner).order_by().values_list(*inner)
    sql, inner_values = query.query.sql_with_params()
    columns = ["s.n"]
    outer_values: list[Any] = []
    for chunk in range(0, len(policies), BITS):
        bits = []
        for bit, policy in enumerate(policies[chunk : chunk + BITS]):
            matched = _combined(policy.rule, names, raw, outer_values)
            if chunk + bit in computed:
                matched = f"({matched} AND s.{amounts[chunk + bit]} IS NOT NULL)"
            bits.append(f"(CASE WHEN {matched} THEN {1 << bit} ELSE 0 END)")
        columns.append(" + ".join(bits))
    columns += [f"COALESCE(s.{amounts[i]}, 0)" for i in computed]
    if subjects.target == "talent":
        columns.append("s.v")
    fence = "OFFSET 0" if connection.vendor == "postgresql" else "LIMIT -1 OFFSET 0"
    outer = ", ".join(f"{column} AS c{n}" for n, column in enumerate(columns))
    statement = f"SELECT {outer} FROM ({sql} {fence}) s"  # noqa: S608 (ORM SQL, names of our own)
    return _fetch_ints(statement, [*outer_values, *inner_values], len(columns))


def _needs_verified(policy: Policy) -> int:
    """The ``VerifiedFacts`` bits of the facts with provenance a policy's rule reads."""
    need = 0
    for key in {PROVENANCE[f] for f in facts_used(policy.rule) if f in PROVENANCE}:
        need |= VerifiedFacts.bit(key)
    return need


def _constant_fen(policy: Policy, on: date) -> int:
    """The yearly amount (fen) of a policy whose amount is the same for everyone: fixed money, or the value
    the office sets on a benefit that is not money (so an exclusion group compares them), else 0."""
    benefit = policy.benefit
    if benefit.get("kind") == "money":
        money = benefit_amount(benefit, {}, on)
        return fen(money.yearly if money is not None else None)
    return fen(imputed_yearly(benefit))


def _days(day: date) -> int:
    return (day - SINCE_EPOCH).days


def _array(blob: Any, dtype: Any, size: int) -> np.ndarray:
    """A stored array, widened with zeros to ``size`` (numbers given after it was stored)."""
    stored = blob if isinstance(blob, np.ndarray) else np.frombuffer(bytes(blob or b""), dtype=dtype)
    out = np.zeros(max(size, len(stored)), dtype=dtype)
    out[: len(stored)] = stored
    return out


def previous_run(run: SweepRun) -> SweepRun | None:
    """The finished run this one is read against."""
    return SweepRun.objects.filter(status=SweepStatus.DONE, pk__lt=run.pk).order_by("-pk").first()


Before = dict[str, tuple[np.ndarray, np.ndarray | None]]  # per policy code: states, eligibility days


def _states(
    policies: list[Policy], matrix: list[np.ndarray], size: int, on: date
) -> tuple[list[np.ndarray], Any]:
    """Per policy the state of every number before budgets (matched, verified, 就高不重复), and the function
    giving a policy's yearly amounts (fen). ``matrix``: the scan's columns (``_scan_columns``). Every array is
    indexed by the first column (a number the scan did not return — restricted, erased — stays 0)."""
    numbers = matrix[0]

    def column(i: int) -> np.ndarray:
        full = np.zeros(size, dtype=np.int64)
        full[numbers] = matrix[i]
        return full

    chunks = (len(policies) + BITS - 1) // BITS
    masks = [column(1 + c) for c in range(chunks)]
    computed = {i: column(1 + chunks + k) for k, i in enumerate(_computed(policies))}
    talents = bool(policies) and policies[0].target == "talent"
    verified_facts = column(len(matrix) - 1) if talents else None
    states: list[np.ndarray] = []
    for i, policy in enumerate(policies):
        matched = (masks[i // BITS] & (1 << (i % BITS))) != 0
        state = np.zeros(size, dtype=np.uint8)
        state[matched] = GRANTED
        need = _needs_verified(policy)
        if verified_facts is not None and need:
            state[matched & ((verified_facts & need) != need)] = VERIFY_FIRST
        states.append(state)
    amounts: dict[int, np.ndarray] = {}

    def amount(i: int) -> np.ndarray:
        if i not in amounts:
            found = computed.get(i)
            amounts[i] = (
                found if found is not None else np.full(size, _constant_fen(policies[i], on), dtype=np.int64)
            )
        return amounts[i]

    # 就高不重复 (``decision.group_losers``): of a person's matches in a group, one is granted (or, on facts
    # not yet verified, awaits verification); the others are excluded, as the calculator says.
    groups = exclusion_sets(policies)
    members = [Member(p.code, groups[p.code], p.group_priority) for p in policies]
    for places in linked(members):
        losers = group_losers(
            [members[i] for i in places], [states[i] > 0 for i in places], [amount(i) for i in places]
        )
        for i, lost in zip(places, losers, strict=True):
            states[i][lost] = EXCLUDED
    return states, amount


def _first_days(policy: Policy, before: Before, size: int, today: int) -> np.ndarray:
    """Each number's eligibility day for a budgeted policy: carried while they keep matching, else today."""
    first = np.full(size, today, dtype=np.int64)
    earlier = before.get(policy.code)
    if earlier is not None and earlier[1] is not None:
        was, then = earlier[0][:size] > 0, earlier[1][:size].astype(np.int64)
        first = np.where(was & (then > 0), then, first)
    return first


def _decide(
    policies: list[Policy], matrix: list[np.ndarray], before: Before, on: date, size: int
) -> list[tuple[Policy, np.ndarray, np.ndarray | None, np.ndarray | None]]:
    """Per policy the state of every number, for policies with a budget the eligibility dates (the whole
    population: budgets in order of eligibility date over everyone) and, where the amount depends on the
    person, each claim's yearly amount (what a budget's queue sums and what the notice says, ADR 0037)."""
    states, amount = _states(policies, matrix, size, on)
    today = _days(on)
    computed = set(_computed(policies))
    decided: list[tuple[Policy, np.ndarray, np.ndarray | None, np.ndarray | None]] = []
    for i, policy in enumerate(policies):
        since, yearly = None, None
        if policy.yearly_budget is not None:
            # Budgets (``decision.over_budget_array``) go by eligibility date: the day a person began to
            # match, carried from run to run (and from a person's re-evaluation, ADR 0018).
            state = states[i]
            first = _first_days(policy, before, size, today)
            over = over_budget_array(state == GRANTED, first, amount(i), fen(policy.yearly_budget))
            state[over] = BUDGET_EXHAUSTED
            since = np.where(state > 0, first, 0).astype("<u2")
        if i in computed:
            yearly = np.where(states[i] > 0, amount(i), 0).astype("<i8")
        decided.append((policy, states[i], since, yearly))
    return decided


def _effective(
    target: str, results: dict[str, SweepResult], size: int, codes: set[str] | None = None
) -> Before:
    """What each number held before a sweep: the previous run's arrays with every person's re-evaluation
    since (``SubjectResult``) in place of their bytes (of the policies ``codes`` alone, when given).
    Eligibility days only where a policy has them."""
    held: Before = {}
    for code, result in results.items():
        if codes is not None and code not in codes:
            continue
        since = since_of(result)
        held[code] = (
            _array(result.state, np.uint8, size)[:size].copy(),
            _array(since, "<u2", size)[:size].copy() if len(since) else None,
        )
    rows = SubjectResult.objects.filter(target=target, number__lt=size).values_list("number", "results")
    for number, found in rows.iterator(chunk_size=5000):
        for _pid, code, state, day in found:
            if codes is not None and code not in codes:
                continue
            states, days = held.setdefault(code, (np.zeros(size, dtype=np.uint8), None))
            states[number] = state
            if day:
                if days is None:
                    days = np.zeros(size, dtype="<u2")
                    held[code] = (states, days)
                days[number] = day
    return held


def _pack(array: np.ndarray | None) -> bytes:
    """Eligibility dates and amounts as stored: compressed (mostly zeros; read whole, never sliced)."""
    return zlib.compress(array.tobytes(), 1) if array is not None else b""


def amounts_of(result: SweepResult) -> np.ndarray:
    """A result's yearly amounts of its claims (fen per number; empty where not kept)."""
    return np.frombuffer(zlib.decompress(bytes(result.amounts)) if result.amounts else b"", dtype="<i8")


def since_of(result: SweepResult) -> np.ndarray:
    """A result's eligibility dates (days since ``SINCE_EPOCH`` per number; empty without a budget)."""
    return np.frombuffer(zlib.decompress(bytes(result.since)) if result.since else b"", dtype="<u2")


def sweep_target(run: SweepRun, target: str, params: dict[str, Any]) -> None:
    """Evaluate every policy in force for talents (or enterprises) and store one result per policy (the
    caller holds the transaction)."""
    policies = with_budgets(published(run.on, target), run.on)
    if not policies:
        return
    subjects = SUBJECTS[target]
    size = (
        subjects.number_model.objects.order_by("-number").values_list("number", flat=True).first() or 0
    ) + 1
    matrix = _scan_columns(subjects, policies, params, run.on, keep=subjects.noted)
    earlier = previous_run(run)
    before = (
        {r.policy_code: r for r in SweepResult.objects.filter(run=earlier, target=target)} if earlier else {}
    )
    budgeted = {p.code for p in policies if p.yearly_budget is not None}  # whose eligibility days carry
    held = _effective(target, before, size, budgeted)
    results = []
    new_total = 0
    for policy, state, since, yearly in _decide(policies, matrix, held, run.on, size):
        previous = before.get(policy.code)
        was = (
            _array(previous.state, np.uint8, size) > 0 if previous is not None else np.zeros(size, dtype=bool)
        )
        now = state > 0
        counts = np.bincount(state, minlength=5)
        new = int(np.count_nonzero(now & ~was))
        new_total += new
        results.append(
            SweepResult(
                run=run,
                policy=policy,
                policy_code=policy.code,
                target=target,
                state=state.tobytes(),
                since=_pack(since),
                amounts=_pack(yearly),
                granted=int(counts[GRANTED]),
                verify_first=int(counts[VERIFY_FIRST]),
                excluded=int(counts[EXCLUDED]),
                exhausted=int(counts[BUDGET_EXHAUSTED]),
                new=new,
                lapsed=int(np.count_nonzero(was & ~now)),
            )
        )
    SweepResult.objects.bulk_create(results)
    run.done = [*run.done, *(p.code for p in policies)]
    run.new += new_total
    SweepRun.objects.filter(pk=run.pk).update(done=run.done, new=run.new)


def _yearly(policy: Policy, subject: Any, on: date) -> Any:
    """The yearly amount a talent or an enterprise gets under the policy (its facts on ``on``), or None."""
    keys = benefit_facts(policy.benefit)
    money = benefit_amount(policy.benefit, fact_values(subject, keys, on) if keys else {}, on)
    return money.yearly if money is not None else None


def _holders(subjects: Subjects, size: int, numbers: np.ndarray | None = None) -> np.ndarray:
    """Per number (below ``size``; of ``numbers`` alone when given, a few thousand at most), whether it is a
    talent with an account or an enterprise with an administrator (who can be told). A talent who turned
    免申即享 notices off (the box on their page) is neither told nor sent a draft; the calculator page still
    lists what was found for them."""
    holders = subjects.number_model.objects.all()
    if subjects.target == "talent":
        holders = holders.filter(talent__account__isnull=False)
    else:
        holders = holders.filter(enterprise__members__is_admin=True).distinct()
    if numbers is not None:
        holders = holders.filter(number__in=numbers.tolist())
    mask = np.zeros(size, dtype=bool)
    found = np.fromiter(holders.values_list("number", flat=True).iterator(chunk_size=20_000), dtype=np.int64)
    mask[found[found < size]] = True
    if subjects.target == "talent":
        refused = list(withdrawn("policy_push"))
        for start in range(0, len(refused), 5000):
            chunk = subjects.number_model.objects.filter(talent_id__in=refused[start : start + 5000])
            off = np.fromiter(chunk.values_list("number", flat=True), dtype=np.int64)
            mask[off[off < size]] = False
    return mask


def _admins(ids: list[Any]) -> dict[Any, list[Any]]:
    """Per enterprise its administrators' user ids (first first): one query per two thousand enterprises,
    or one pass over every administrator when the enterprises are many (``EVERYONE_FROM``)."""
    admins: dict[Any, list[Any]] = {}
    members = EnterpriseMember.objects.filter(is_admin=True).order_by("pk")
    if len(ids) > EVERYONE_FROM:  # a first sweep: one pass over every administrator
        wanted: set[Any] | None = set(ids)
        chunks = [members]
    else:
        wanted = None
        chunks = [
            members.filter(enterprise_id__in=chunk)
            for chunk in (ids[start : start + 2000] for start in range(0, len(ids), 2000))
        ]
    for members_of in chunks:
        for enterprise_id, user_id in members_of.values_list("enterprise_id", "user_id").iterator(10_000):
            if wanted is None or enterprise_id in wanted:
                admins.setdefault(enterprise_id, []).append(user_id)
    return admins


@dataclass(frozen=True)
class _Told:
    """What telling a talent or an enterprise needs of them (read as values, no archive row loaded)."""

    pk: Any
    account_id: Any  # a talent's account; None for an enterprise
    name: str


def _people(subjects: Subjects, numbers: np.ndarray) -> dict[int, _Told]:
    """Who these numbers are, of those who can be told (a talent with an account; every enterprise), read
    once for all of a sweep's policies: one query per twenty thousand, or one pass over everyone when the
    numbers are many (``EVERYONE_FROM``)."""
    talent = subjects.target == "talent"
    columns = ["sweep_number__number", "pk", "account_id" if talent else "pk", "name"]
    found: dict[int, _Told] = {}
    everyone = subjects.model.objects.filter(sweep_number__isnull=False).order_by()
    if talent:
        everyone = everyone.filter(account__isnull=False)  # a talent without an account is told nothing
    if len(numbers) > EVERYONE_FROM:  # a first sweep: one pass over everyone who can be told
        wanted = np.zeros(int(numbers.max()) + 1, dtype=bool)
        wanted[numbers] = True
        for number, pk, account, name in everyone.values_list(*columns).iterator(10_000):
            if number < len(wanted) and wanted[number]:
                found[number] = _Told(pk, account if talent else None, name)
        return found
    for start in range(0, len(numbers), 20_000):
        chunk = numbers[start : start + 20_000].tolist()
        rows = everyone.filter(sweep_number__number__in=chunk).values_list(*columns)
        for number, pk, account, name in rows:
            found[number] = _Told(pk, account if talent else None, name)
    return found


def _told_rows(
    subjects: Subjects,
    policy: Policy,
    service: Any,
    numbers: np.ndarray,
    on: date,
    constant: Any,
    people: dict[int, _Told],
    yearly: np.ndarray | None = None,
) -> list[tuple[_Told, Any]]:
    """The subjects of these numbers (``people``: who they are) with their yearly amount under the policy:
    the amount as the sweep computes it (``formulas.yearly_fen_sql``) unless it is the same for everyone;
    those the service's own eligibility rule refuses are left out — no draft can open for them, so they are
    not told they qualify (ADR 0014; the rule's SQL form, ``rules.to_sql``, as ``eligibility_problem``
    decides it); the calculator still shows the policy's verdict. ``yearly``: the amounts (fen by number) the
    sweep computed and kept (``SweepResult.amounts``), read instead of computing them again. A policy that
    needs neither reads nothing more; one that does, one query per twenty thousand."""
    talent = subjects.target == "talent"
    rule = service.eligibility if talent and service is not None and not service.for_enterprises else None
    computed = constant is None and policy.benefit.get("kind") == "money"
    kept = computed and yearly is not None and len(yearly) > int(numbers.max(initial=0))

    def money_of(number: int) -> Any:
        if not kept or yearly is None:
            return constant
        return (Decimal(int(yearly[number])) / 100).quantize(Decimal("0.01"))

    if not rule and (not computed or kept):
        return [(people[n], money_of(n)) for n in numbers.tolist() if n in people]
    found: list[tuple[_Told, Any]] = []
    for start in range(0, len(numbers), 20_000):
        chunk = numbers[start : start + 20_000].tolist()
        subjects_of = with_sql_facts(subjects.model.objects.filter(sweep_number__number__in=chunk), on)
        if rule:
            subjects_of = subjects_of.filter(
                ExpressionWrapper(to_sql(rule, {}, on), output_field=BooleanField())
            )
        columns: list[Any] = ["sweep_number__number"]
        if computed and not kept:
            subjects_of = subjects_of.annotate(fen=yearly_fen_sql(policy.benefit, parameters_on(on), on))
            columns.append("fen")
        for row in subjects_of.order_by("sweep_number__number").values_list(*columns):
            money = money_of(row[0])
            if computed and not kept:
                money = (Decimal(row[1]) / 100).quantize(Decimal("0.01")) if row[1] is not None else None
            if row[0] in people:
                found.append((people[row[0]], money))
    return found


def prepared_url(policy: Policy, target: str, pk: Any) -> str:
    """Where a notice of a policy that applies through a service sends its reader: the draft prepared when
    first opened (``prepared.prepared_case``, ADR 0040)."""
    if target == "enterprise":
        return f"/policies/prepared/{policy.code}/enterprise/{pk}/"
    return f"/policies/prepared/{policy.code}/"


def _tell(
    target: str,
    told: list[tuple[Policy, np.ndarray, np.ndarray | None]],
    on: date,
    holders: np.ndarray | None = None,
) -> int:
    """Everyone of each policy's ``numbers`` newly granted it hears of it once: a notice, or — for a policy
    that applies through a service open now and says so — a notice that an application is ready for them,
    pointing to the draft made when they first open it (``prepared_url``, ADR 0040); a talent that service's
    eligibility rule refuses is not told (they could not get the draft). For an enterprise, its
    administrators hear of it and the first of them is sent to the draft. Set-based over all the policies at
    once: who the people are is one read, an enterprise's administrators one query per two thousand, and the
    notices of every policy one insert (``notify_events``: one preference query). ``holders``: ``_holders``
    of everyone, when the caller has it. ``told``: per policy the numbers newly granted it and, where its
    amount depends on the person, the amounts (fen by number) the caller computed, else None. Returns how
    many times a subject was told (once per policy)."""
    subjects = SUBJECTS[target]
    told = [(policy, numbers, yearly) for policy, numbers, yearly in told if len(numbers)]
    if not told:
        return 0
    size = max(int(numbers.max()) for _policy, numbers, _y in told) + 1
    if holders is None or len(holders) < size:
        holders = _holders(subjects, size, np.unique(np.concatenate([numbers for _p, numbers, _y in told])))
    reached = [(policy, numbers[holders[numbers]], yearly) for policy, numbers, yearly in told]
    reached = [(policy, numbers, yearly) for policy, numbers, yearly in reached if len(numbers)]
    if not reached:
        return 0
    people = _people(subjects, np.unique(np.concatenate([numbers for _p, numbers, _y in reached])))
    found: list[tuple[Policy, Any, list[tuple[_Told, Any]]]] = []
    for policy, numbers, yearly in reached:
        service = policy.service if policy.on_match == OnMatch.CASE else None
        constant = _yearly(policy, None, on) if not benefit_facts(policy.benefit) else None
        rows = _told_rows(subjects, policy, service, numbers, on, constant, people, yearly)
        found.append((policy, service, rows))
    admins: dict[Any, list[Any]] = {}
    if target == "enterprise":
        admins = _admins(list({s.pk for _p, _s, rows in found for s, _m in rows}))
    # One notice text per policy, event and amount (people told the same thing share it), one insert for all.
    groups: dict[tuple[int, str, Any], list[tuple[Any, str]]] = {}
    services: dict[int, Any] = {}
    for i, (policy, service, rows) in enumerate(found):
        services[i] = service
        opens = (
            service is not None
            and service.is_active
            and service.current is not None
            and service.for_enterprises == (target == "enterprise")
        )
        for subject, money in rows:
            amount = money if money is not None else "—"
            kind = "" if money is not None else "_entitlement"  # no "(— yuan a year)": notices of its own
            recipients = [subject.account_id] if target == "talent" else admins.get(subject.pk, [])
            calculator = (
                f"/policies/calculator/enterprise/{subject.pk}/"
                if target == "enterprise"
                else "/policies/calculator/"
            )
            for recipient in recipients:
                if opens and recipient == recipients[0]:
                    groups.setdefault((i, f"policy.case_opened{kind}", amount), []).append(
                        (recipient, prepared_url(policy, target, subject.pk))
                    )
                else:
                    groups.setdefault((i, f"policy.granted{kind}", amount), []).append(
                        (recipient, calculator)
                    )
    notify_events(
        [
            (
                event,
                {
                    "policy": found[i][0],
                    "amount": amount,
                    **({"service": services[i]} if event.startswith("policy.case_opened") else {}),
                },
                recipients,
            )
            for (i, event, amount), recipients in groups.items()
        ]
    )
    return sum(len(rows) for _policy, _service, rows in found)


def _apply_effect(target: str, policy: Policy, numbers: np.ndarray, on: date) -> int:
    """The policy's grant effect (``effects.py``: the card issued, …) for everyone of ``numbers`` newly
    granted it, in the caller's transaction; returns how many subjects it changed."""
    effect = effect_of(policy)
    if effect is None or not len(numbers):
        return 0
    model = SUBJECTS[target].model
    changed = 0
    for start in range(0, len(numbers), 2000):
        chunk = numbers[start : start + 2000].tolist()
        ids = list(model.objects.filter(sweep_number__number__in=chunk).values_list("pk", flat=True))
        changed += effect.apply(policy, ids, on)
    return changed


def _locked_runs(*runs: SweepRun | None) -> None:
    """Lock the newest finished run (and the running one): the sweep's telling step and a re-evaluation's
    take turns, so nobody is told twice by the two (ADR 0018)."""
    newest = SweepRun.objects.filter(status=SweepStatus.DONE).order_by("-pk").values_list("pk", flat=True)[:1]
    wanted = Q(status=SweepStatus.RUNNING) | Q(pk__in=list(newest))
    for run in runs:
        if run is not None:
            wanted |= Q(pk=run.pk)
    list(SweepRun.objects.select_for_update().filter(wanted).order_by("pk").values_list("pk", flat=True))


def _reach_new(run: SweepRun) -> int:
    """Everyone newly granted by this run — granted now, and neither by the run before nor by a
    re-evaluation since (they were told then) — hears of it once (``_tell``)."""

    earlier = previous_run(run)
    before = {r.policy_code: r for r in SweepResult.objects.filter(run=earlier)} if earlier else {}
    held: dict[str, Before] = {}
    sizes: dict[str, int] = {}
    told: dict[str, list[tuple[Policy, np.ndarray, np.ndarray | None]]] = {}
    for result in SweepResult.objects.filter(run=run).select_related("policy__service"):
        state = _array(result.state, np.uint8, 0)
        if result.target not in held:
            mine = {code: r for code, r in before.items() if r.target == result.target}
            held[result.target] = _effective(result.target, mine, len(state))
            sizes[result.target] = len(state)
        granted = state == GRANTED
        was = held[result.target].get(result.policy_code)
        if was is not None:
            granted &= was[0][: len(state)] != GRANTED
        fresh = np.flatnonzero(granted)
        _apply_effect(result.target, result.policy, fresh, run.on)
        yearly = amounts_of(result) if result.amounts else None  # kept by the run (``_decide``)
        told.setdefault(result.target, []).append((result.policy, fresh, yearly))
    # who can be told, read for everyone only when someone is new (a sweep with nothing new reads nothing:
    # 2.5 s of a 30 s sweep at 1,000,000 talents)
    return sum(
        _tell(target, found, run.on, _holders(SUBJECTS[target], sizes[target]))
        for target, found in told.items()
        if any(len(numbers) for _policy, numbers, _yearly in found)
    )


def _prune(run: SweepRun) -> None:
    """Empty the arrays of runs older than the last ``KEEP_ARRAYS`` (their counts stay)."""
    kept = SweepRun.objects.filter(status=SweepStatus.DONE).order_by("-pk").values_list("pk", flat=True)
    keep = list(kept[:KEEP_ARRAYS])
    SweepResult.objects.filter(run__lt=min([*keep, run.pk])).exclude(state=b"").update(
        state=b"", since=b"", amounts=b""
    )


def swept_policies(on: date) -> list[Policy]:
    """Every policy in force, for talents and for enterprises."""
    return published(on, "talent") + published(on, "enterprise")


def sweep(*, on: date | None = None, stop_after: str | None = None) -> SweepRun:
    """Run (or resume) the sweep. ``stop_after`` ("talent" or "enterprise") stops once that target's
    results are stored (what a crash would leave)."""
    on = on or timezone.localdate()
    run = SweepRun.objects.filter(status=SweepStatus.RUNNING).first() or SweepRun.objects.create(
        on=on, total=len(swept_policies(on))
    )
    params = parameters_on(run.on)
    number_new()
    for target in SUBJECTS:
        if SweepResult.objects.filter(run=run, target=target).exists():
            continue  # stored before a stop
        with transaction.atomic():
            sweep_target(run, target, params)
        if stop_after == target:
            return run
    with transaction.atomic():
        _locked_runs(run)
        notified = _reach_new(run)
        run.status, run.finished_at = SweepStatus.DONE, timezone.now()
        run.save(update_fields=["status", "finished_at"])
        _prune(run)
        # Re-evaluations from facts read before this run began are what the run found: theirs are dropped.
        SubjectResult.objects.filter(read_at__lt=run.started_at).delete()
        audit_record(
            actor=None,
            actor_username="system",
            action="policy.sweep",
            object_type="sweep",
            object_id=run.pk,
            details={"policies": run.total, "new": run.new, "notified": notified},
        )
    return run


def _number(subjects: Subjects, ids: list[Any]) -> None:
    """Give a number to those of these subjects who have none yet (a subject added since the sweep)."""
    column = f"{subjects.link}_id"
    have = set(subjects.number_model.objects.filter(**{f"{column}__in": ids}).values_list(column, flat=True))
    missing = [pk for pk in ids if pk not in have]
    subjects.number_model.objects.bulk_create(
        [subjects.number_model(**{column: pk}) for pk in missing], ignore_conflicts=True
    )


def _amounts_each(
    policy: Policy, subjects: Subjects, numbers: np.ndarray, params: dict[str, Any], on: date
) -> np.ndarray:
    """The yearly amounts (fen) of a policy whose amount depends on the person, for these numbers (in their
    order; 0 where unknown), by the amount's SQL: one query per twenty thousand."""
    found: dict[int, int] = {}
    amount = Coalesce(yearly_fen_sql(policy.benefit, params, on), Value(0), output_field=BigIntegerField())
    for start in range(0, len(numbers), 20_000):
        chunk = numbers[start : start + 20_000].tolist()
        rows = with_sql_facts(subjects.model.objects.filter(sweep_number__number__in=chunk), on)
        found.update(rows.annotate(fen=amount).values_list("sweep_number__number", "fen"))
    return np.array([found.get(n, 0) for n in numbers.tolist()], dtype=np.int64)


def _queue_amounts(
    policy: Policy,
    subjects: Subjects,
    ahead: np.ndarray,
    kept: np.ndarray | None,
    changed: np.ndarray,
    params: dict[str, Any],
    on: date,
) -> np.ndarray:
    """The yearly amounts (fen) of the claims queued ``ahead`` (numbers): constant, or the newest run's kept
    amounts (``SweepResult.amounts``) with those of people re-evaluated since (``changed``) computed again
    (their claim is what they match now); all computed when the run kept none (a run from before)."""
    if not (policy.benefit.get("kind") == "money" and not is_fixed(policy.benefit.get("amount"))):
        return np.full(len(ahead), _constant_fen(policy, on), dtype=np.int64)
    if kept is None or not len(kept):
        return _amounts_each(policy, subjects, ahead, params, on)
    widened = np.zeros(max(len(kept), int(ahead.max(initial=0)) + 1), dtype=np.int64)
    widened[: len(kept)] = kept
    fen_ahead = widened[ahead]
    again = np.isin(ahead, changed)
    if again.any():
        fen_ahead[again] = _amounts_each(policy, subjects, ahead[again], params, on)
    return fen_ahead


def _budget_in_queue(
    policy: Policy,
    state: np.ndarray,
    first: np.ndarray,
    numbers: np.ndarray,
    yearly: np.ndarray,
    had: np.ndarray,
    days: np.ndarray,
    queue_fen: Any,
) -> None:
    """A budgeted policy for the re-evaluated people (``numbers``, local places): each granted claim goes in
    the queue the sweep keeps — eligibility day, then number — behind the newest run's claims (granted or
    over budget, ``had``/``days`` by number) that come before it; it is over the budget when the claims up to
    and including it pass it (``decision.over_budget``). Marks the claims over it in ``state``. Set-based:
    the amounts of the claims ahead (``queue_fen(ahead)``) are read once and summed as prefix sums."""
    queued = np.isin(had, (GRANTED, BUDGET_EXHAUSTED))
    queued[numbers] = False  # the re-evaluated people are queued by what they match now
    queue = np.flatnonzero(queued)
    queue_days = days[queue].astype(np.int64)
    order = np.lexsort((queue, queue_days))
    ahead, ahead_days = queue[order], queue_days[order]
    claims = np.flatnonzero(state == GRANTED)
    claims = claims[np.lexsort((numbers[claims], first[claims]))]
    if not len(claims):
        return
    # Where each claim falls in the queue: after the claims of earlier days, and of its day with a lower
    # number.
    cuts = np.searchsorted(ahead_days, first[claims], side="left")
    ends = np.searchsorted(ahead_days, first[claims], side="right")
    for k, (cut, end) in enumerate(zip(cuts.tolist(), ends.tolist(), strict=True)):
        cuts[k] = cut + int(np.count_nonzero(ahead[cut:end] < numbers[claims[k]]))
    reach = int(cuts.max())
    prefix = np.concatenate(([0], np.cumsum(queue_fen(ahead[:reach])))) if reach else np.zeros(1, np.int64)
    spent = prefix[cuts] + np.cumsum(yearly[claims])
    state[claims[spent > fen(policy.yearly_budget)]] = BUDGET_EXHAUSTED


@dataclass
class Reevaluated:
    """What one re-evaluation did: subjects evaluated, results stored, subjects told."""

    evaluated: int = 0
    stored: int = 0
    told: int = 0


def reevaluate(target: str, ids: list[Any], *, on: date | None = None) -> Reevaluated:
    """Evaluate these talents (or enterprises) against every policy in force, as the sweep would, and keep
    each one's results (``SubjectResult``) where the calculator and the next sweep read them; whoever is
    newly granted is told (``_tell``). Budgets are decided in the sweep's order: a claim is within the budget
    when the claims ahead of it in the newest run (eligibility day, then number) and its own fit (ADR 0018).
    A re-evaluation whose facts were read before the newest run began keeps nothing: that run read them."""
    on = on or timezone.localdate()
    done = Reevaluated()
    policies = with_budgets(published(on, target), on)
    subjects = SUBJECTS[target]
    ids = list(dict.fromkeys(ids))
    if not ids:
        return done
    _number(subjects, ids)
    params = parameters_on(on)
    read_at = timezone.now()
    matrix = _scan_columns(subjects, policies, params, on, ids)
    numbers = matrix[0].copy()
    done.evaluated = len(numbers)
    if not len(numbers):
        return done
    order = np.argsort(numbers)  # local places in number order (the sweep's tie order)
    numbers = numbers[order]
    local = [np.arange(len(numbers)), *(column[order] for column in matrix[1:])]
    states, amount = _states(policies, local, len(numbers), on)
    today = _days(on)
    with transaction.atomic():
        _locked_runs()
        newest = SweepRun.objects.filter(status=SweepStatus.DONE).order_by("-pk").first()
        if newest is not None and newest.started_at > read_at:
            return done  # superseded: the newest run read these facts, or newer ones
        results = (
            {r.policy_code: r for r in SweepResult.objects.filter(run=newest, target=target)}
            if newest
            else {}
        )
        size = max([int(numbers.max()) + 1, *(len(r.state) for r in results.values())])
        held = _effective(target, results, size)
        changed = np.fromiter(  # people re-evaluated since the run: their kept amounts may be stale
            SubjectResult.objects.filter(target=target).values_list("number", flat=True), dtype=np.int64
        )
        sinces: list[np.ndarray | None] = []
        for i, policy in enumerate(policies):
            if policy.yearly_budget is None:
                sinces.append(None)
                continue
            state = states[i]
            had, days = held.get(policy.code, (np.zeros(size, dtype=np.uint8), None))
            if days is None:
                days = np.zeros(size, dtype="<u2")
            then = days[numbers].astype(np.int64)
            first = np.where((had[numbers] > 0) & (then > 0), then, today)
            if np.any(state == GRANTED):
                result = results.get(policy.code)

                def queue_fen(ahead: np.ndarray, policy: Policy = policy, result: Any = result) -> np.ndarray:
                    kept = amounts_of(result) if result is not None else None
                    return _queue_amounts(policy, subjects, ahead, kept, changed, params, on)

                _budget_in_queue(policy, state, first, numbers, amount(i), had, days, queue_fen)
            sinces.append(np.where(state > 0, first, 0))
        rows = []
        fresh: dict[int, list[int]] = {}
        for k, number in enumerate(numbers.tolist()):
            found = []
            for i, policy in enumerate(policies):
                code = int(states[i][k])
                since = sinces[i]
                found.append([policy.pk, policy.code, code, int(since[k]) if since is not None else 0])
                earlier = held.get(policy.code)
                was = int(earlier[0][number]) if earlier is not None else 0
                if code == GRANTED and was != GRANTED:
                    fresh.setdefault(i, []).append(number)
            rows.append(SubjectResult(target=target, number=number, on=on, results=found, read_at=read_at))
        _store(rows)
        done.stored = len(rows)
        computed = set(_computed(policies))
        news: list[tuple[Policy, np.ndarray, np.ndarray | None]] = []
        for i, granted in sorted(fresh.items()):
            yearly = None
            if i in computed:  # the amounts this re-evaluation computed, by number
                yearly = np.zeros(int(numbers.max()) + 1, dtype=np.int64)
                yearly[numbers] = amount(i)
            news.append((policies[i], np.array(granted, dtype=np.int64), yearly))
        for policy, granted_now, _yearly_fen in news:
            _apply_effect(target, policy, granted_now, on)
        done.told = _tell(target, news, on)
        if done.stored:
            audit_record(
                actor=None,
                actor_username="system",
                action="policy.reevaluate",
                object_type=target,
                details={"subjects": done.stored, "notified": done.told},
            )
    return done


def _store(rows: list[SubjectResult]) -> None:
    """Keep these results, each in place of the person's earlier one (the caller holds the transaction and
    the runs' lock, so nobody else writes these people meanwhile). On PostgreSQL the earlier ones are deleted
    and the new ones copied in (COPY): an upsert's statement quoted 1,000 people's JSON on the client for
    longer than the database took to write them."""
    if connection.vendor != "postgresql" or not rows:
        SubjectResult.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["target", "number"],
            update_fields=["on", "results", "read_at"],
        )
        return
    for target in {row.target for row in rows}:
        numbers = [row.number for row in rows if row.target == target]
        SubjectResult.objects.filter(target=target, number__in=numbers).delete()
    quote = connection.ops.quote_name
    columns = ", ".join(quote(c) for c in ("target", "number", "on", "results", "read_at"))
    statement = f"COPY {SubjectResult._meta.db_table} ({columns}) FROM STDIN"  # names from the model
    with connection.connection.cursor() as cursor, cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row((row.target, row.number, row.on, json.dumps(row.results), row.read_at))


def reevaluate_pending(*, limit: int = 5000, on: date | None = None) -> Reevaluated:
    """Re-evaluate the subjects whose changes are noted, oldest first, ``limit`` at a time until none is
    left; the notes taken are deleted once their results are stored (a change noted meanwhile stays)."""
    total = Reevaluated()
    while True:
        taken = list(SubjectChange.objects.order_by("pk").values_list("pk", "target", "subject_id")[:limit])
        if not taken:
            return total
        for target in SUBJECTS:
            ids = [subject for _pk, kind, subject in taken if kind == target]
            if ids:
                model = SUBJECTS[target].model
                done = reevaluate(target, [model._meta.pk.to_python(pk) for pk in ids], on=on)
                total.evaluated += done.evaluated
                total.stored += done.stored
                total.told += done.told
        SubjectChange.objects.filter(pk__in=[pk for pk, _t, _s in taken]).delete()


def sweep_job() -> None:
    sweep()


def _in_scope(target: str, viewer: User | AnonymousUser) -> np.ndarray | None:
    """The numbers of the talents (or enterprises) in the viewer's scope; None when that is everyone."""

    subjects = SUBJECTS[target]
    condition = scope_filter(subjects.model, viewer)
    if condition is None:
        return None
    numbers = subjects.model.objects.filter(condition, sweep_number__isnull=False).values_list(
        "sweep_number__number", flat=True
    )
    return np.fromiter(numbers.iterator(chunk_size=20_000), dtype=np.int64)


def run_results(*, run: SweepRun, viewer: User | AnonymousUser) -> list[dict[str, Any]]:
    """What a sweep found per policy, counted over the people in the viewer's scope."""
    rows = []
    earlier = previous_run(run)
    before = {r.policy_code: r for r in SweepResult.objects.filter(run=earlier)} if earlier else {}
    scopes = {target: _in_scope(target, viewer) for target in SUBJECTS}
    for result in SweepResult.objects.filter(run=run).select_related("policy").order_by("policy_code"):
        row: dict[str, Any] = {"policy_code": result.policy_code, "policy__title": result.policy.title}
        numbers = scopes[result.target]
        if numbers is None or not result.state:
            counts = [
                result.granted,
                result.verify_first,
                result.excluded,
                result.exhausted,
                result.new,
                result.lapsed,
            ]
        else:
            state = _array(result.state, np.uint8, int(numbers.max(initial=0)) + 1)
            mine = state[numbers]
            previous = before.get(result.policy_code)
            was = _array(previous.state, np.uint8, len(state))[numbers] if previous is not None else 0 * mine
            tally = np.bincount(mine, minlength=5)
            counts = [
                int(tally[GRANTED]),
                int(tally[VERIFY_FIRST]),
                int(tally[EXCLUDED]),
                int(tally[BUDGET_EXHAUSTED]),
                int(np.count_nonzero((mine > 0) & (was == 0))),
                int(np.count_nonzero((mine == 0) & (was > 0))),
            ]
        columns = ("granted", "verify", "excluded", "exhausted", "new", "lapsed")
        row.update(zip(columns, counts, strict=True))
        rows.append(row)
    return rows


@cache
def _found_sql(target: str) -> str:
    """The newest finished run's results for one person: the policy, the person's byte and the run's day.
    Written once per process: built by the ORM on every calculator request, the statement cost some fifty
    times what running it does."""
    subjects = SUBJECTS[target]
    quote = connection.ops.quote_name
    table, column = subjects.number_model._meta.db_table, f"{subjects.link}_id"
    result, run = SweepResult._meta.db_table, SweepRun._meta.db_table
    return (  # names from the models, no input
        f"SELECT r.policy_id, SUBSTR(r.state, n.number + 1, 1), s.{quote('on')} "  # noqa: S608
        f"FROM {result} r JOIN {run} s ON s.id = r.run_id JOIN {table} n ON n.{column} = %s "
        f"WHERE r.target = %s AND r.run_id = "
        f"(SELECT id FROM {run} WHERE status = %s ORDER BY id DESC LIMIT 1)"
    )


def _found_rows(subjects: Subjects, pk: Any) -> list[tuple[int, Any, date]]:
    """(policy id, the person's byte, the run's day) per policy of the newest finished run: one query."""
    link = subjects.number_model._meta.get_field(subjects.link).target_field
    key = link.get_db_prep_value(pk, connection)
    with connection.cursor() as cursor:
        cursor.execute(_found_sql(subjects.target), [key, subjects.target, SweepStatus.DONE])
        rows = cursor.fetchall()
    return [(pid, mine, day if isinstance(day, date) else date.fromisoformat(day)) for pid, mine, day in rows]


@dataclass(frozen=True)
class Found:
    """What the newest sweep found for one person and one policy."""

    policy: Policy
    status: str
    yearly_amount: Any
    on: date
    case_id: Any  # the prepared case's id, if one was opened

    @property
    def prepares(self) -> bool:
        """Granted by a policy that applies through a service: its draft is prepared when first opened
        (``prepared_url``, ADR 0040)."""
        policy = self.policy
        return (
            self.status == EntitlementStatus.GRANTED
            and policy.on_match == OnMatch.CASE
            and policy.service_id is not None
        )


def found_for(
    *,
    talent: Talent | None = None,
    enterprise: Enterprise | None = None,
    account: Any = None,
    policies: list[Policy] | None = None,
) -> list[Found]:
    """What the newest finished sweep found for a talent (or an enterprise), granted or to verify first:
    each policy's byte for the person's number, read without the rest of the array. ``policies``: the ones
    in force, when the caller has them already (the calculator)."""
    target, subject = ("talent", talent) if talent is not None else ("enterprise", enterprise)
    if subject is None:
        return []
    wanted: dict[int, str] = {}
    on = None
    subjects = SUBJECTS[target]
    own = SubjectResult.objects.filter(
        target=target,
        number__in=subjects.number_model.objects.filter(**{subjects.link: subject.pk}).values("number"),
    ).first()
    if own is not None:  # re-evaluated since the newest run (ADR 0018): it stands in for the run's bytes
        on = own.on
        for pid, _code, code, _day in own.results:
            if code in (GRANTED, VERIFY_FIRST):
                wanted[pid] = STATE_CODES[code]
    else:
        for pid, mine, day in _found_rows(subjects, subject.pk):
            on, code = day, bytes(mine)[0] if mine else 0
            if code in (GRANTED, VERIFY_FIRST):
                wanted[pid] = STATE_CODES[code]
    if not wanted or on is None:
        return []
    # Usually the versions in force, which the engine holds already; a version superseded since is read.
    in_force = policies if policies is not None else published(timezone.localdate(), target)
    known = {p.pk: p for p in in_force if p.pk in wanted}
    older = set(wanted) - set(known)
    found_policies = [
        *known.values(),
        *(Policy.objects.filter(pk__in=older).select_related("service") if older else ()),
    ]
    applicant = talent.account_id if talent is not None else getattr(account, "pk", None)
    keys = [f"policy:{p.code}" for p in found_policies if p.on_match == OnMatch.CASE]
    cases = (
        dict(
            HallCase.objects.filter(applicant_id=applicant, idempotency_key__in=keys)
            .order_by()
            .values_list("idempotency_key", "pk")
        )
        if applicant is not None and keys
        else {}
    )
    found = []
    for policy in found_policies:
        found.append(
            Found(
                policy,
                wanted[policy.pk],
                _yearly(policy, subject, on),
                on,
                cases.get(f"policy:{policy.code}"),
            )
        )
    return sorted(found, key=lambda f: (f.status, f.policy.code))
