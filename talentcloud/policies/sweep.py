"""免申即享: every published policy evaluated for everyone at once, the results kept as one array per policy.

The sweep numbers everyone once (``TalentNumber``, ``EnterpriseNumber``: a dense place in the arrays), then
reads, in one scan of the archive inside the database, which policies each person matches: every rule's SQL
form (``rules.to_sql``) becomes one bit of a mask, so 50 policies cost one pass, not 50, and only the masks
travel (PostgreSQL sends them in its binary COPY format, read straight into numpy). Whether the facts a match
rests on are verified is read once per fact (the newest accepted provenance record). In numpy: a match on
verified facts is granted, one on self-declared or unrecorded facts asks for verification first; 就高不重复
within exclusion groups and yearly budgets in order of eligibility date are decided by ``decision`` (the
calculator's decision, over arrays). Each policy's result is a byte per person (``SweepResult``), read
against the run before: who is new, who lapsed.

Results are stored per target (talents, then enterprises) in one transaction each, noted in the run, and the
newly granted are told (or a pre-filled case is opened) in a last transaction that ends the run: a sweep
stopped midway (a crash, a kill) is finished by the next one, and a rerun adds nothing (ADR 0009).
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import TYPE_CHECKING, Any

import numpy as np
from django.db import connection, transaction
from django.db.models import (
    BigIntegerField,
    BooleanField,
    Case,
    ExpressionWrapper,
    F,
    IntegerField,
    Value,
    When,
    Window,
)
from django.db.models.expressions import Expression
from django.db.models.functions import Coalesce, RowNumber
from django.db.models.lookups import IsNull
from django.utils import timezone

from talentcloud.accounts.scope import scope_filter
from talentcloud.audit.services import audit_record
from talentcloud.enterprises.facts import REPORT_FIGURES
from talentcloud.enterprises.models import Enterprise, EnterpriseMember
from talentcloud.notifications.services import notify
from talentcloud.notifications.texts import CodedText
from talentcloud.rules.facts import And, with_sql_facts
from talentcloud.rules.logic import fact_values, facts_used, to_sql
from talentcloud.servicehall.cases import case_prepare
from talentcloud.servicehall.catalogue import eligibility_problem
from talentcloud.servicehall.models import Case as HallCase  # not the ORM's Case
from talentcloud.talents.consents import withdrawn
from talentcloud.talents.enums import FactStatus
from talentcloud.talents.models import FactRecord, Talent

from .decision import Member, fen, group_losers, over_budget_array
from .engine import benefit_amount, benefit_facts, imputed_yearly, published
from .formulas import is_fixed, yearly_fen_sql
from .models import (
    BUDGET_EXHAUSTED,
    EXCLUDED,
    GRANTED,
    STATE_CODES,
    VERIFY_FIRST,
    EnterpriseNumber,
    OnMatch,
    Policy,
    SweepResult,
    SweepRun,
    SweepStatus,
    TalentNumber,
    parameters_on,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from talentcloud.accounts.models import User

# Rule facts that rest on a fact with provenance (talents.FactRecord keys); the others are recorded by staff.
PROVENANCE = {
    "highest_degree": "highest_degree",
    "degree_rank": "highest_degree",
    "years_since_graduation": "graduated_on",
    "social_insurance_years": "social_insurance_since",
    "owns_home_in_city": "owns_home_in_city",
    "employed_in_district": "employer",
}
BITS = 62  # policies per mask column (a signed 64-bit integer, its sign bit unused)
SINCE_EPOCH = date(2000, 1, 1)  # ``since`` counts days from here in two bytes (until 2179)
KEEP_ARRAYS = 2  # runs whose arrays are kept: the newest and the one it was read against


@dataclass(frozen=True)
class Subjects:
    """Talents or enterprises: what the sweep reads and how it numbers them."""

    target: str
    model: Any
    number_model: Any
    link: str  # the number model's field pointing at the subject

    def base(self) -> Any:
        everyone = self.model.objects.filter(sweep_number__isnull=False)
        return everyone.filter(restricted=False) if self.target == "talent" else everyone


SUBJECTS = {
    "talent": Subjects("talent", Talent, TalentNumber, "talent"),
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
    connection.ensure_connection()
    with connection.connection.cursor() as cursor, cursor.copy(statement, list(params)) as copy:
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


def _scan(subjects: Subjects, policies: list[Policy], params: dict[str, Any], on: date) -> np.ndarray:
    """One pass over everyone: per person their number, the match masks (bit i of column 1 + i // BITS for
    policy i: its rule is TRUE and its amount is known — one that cannot be computed is "information
    missing", as the calculator says) and the yearly amounts (fen) of the policies whose amount depends on the
    person (``_computed``)."""
    computed = set(_computed(policies))
    amounts = {i: yearly_fen_sql(policies[i].benefit, params, on) for i in sorted(computed)}
    columns: dict[str, Any] = {"c0": F("sweep_number__number")}
    for chunk in range(0, len(policies), BITS):
        bits: Expression = Value(0)
        for bit, policy in enumerate(policies[chunk : chunk + BITS]):
            matched: Expression = to_sql(policy.rule, params, on)
            if chunk + bit in amounts:
                matched = And(matched, IsNull(amounts[chunk + bit], False))
            rule = ExpressionWrapper(matched, output_field=BooleanField())
            bits = bits + Case(
                When(rule, then=Value(1 << bit)), default=Value(0), output_field=IntegerField()
            )
        columns[f"c{len(columns)}"] = bits
    for amount in amounts.values():
        columns[f"c{len(columns)}"] = Coalesce(amount, Value(0), output_field=BigIntegerField())
    query = with_sql_facts(subjects.base(), on).annotate(**columns).order_by().values_list(*columns)
    sql, values = query.query.sql_with_params()
    return _fetch_ints(sql, values, len(columns))


def _verified(keys: set[str], size: int) -> dict[str, np.ndarray]:
    """Per provenance fact, whether each talent number's newest accepted record of it is verified."""
    flags = {key: np.zeros(size, dtype=bool) for key in keys}
    if not keys:
        return flags
    newest = (
        FactRecord.objects.filter(key__in=keys, talent__sweep_number__isnull=False)
        .exclude(status__in=[FactStatus.PENDING, FactStatus.REJECTED])
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("talent_id"), F("key")],
                order_by=[F("created_at").desc(), F("id").desc()],
            )
        )
        .filter(rank=1)
        .values_list("talent__sweep_number__number", "key", "verified")
    )
    for number, key, verified in newest.iterator(chunk_size=20_000):
        if verified and number < size:
            flags[key][number] = True
    return flags


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


def _decide(
    policies: list[Policy],
    matrix: np.ndarray,
    flags: dict[str, np.ndarray],
    before: dict[str, SweepResult],
    on: date,
    size: int,
) -> list[tuple[Policy, np.ndarray, np.ndarray | None]]:
    """Per policy the state of every number, and for policies with a budget the eligibility dates. Every
    array is indexed by number (a number the scan did not return — restricted, erased — stays 0)."""
    numbers = matrix[:, 0]

    def column(i: int) -> np.ndarray:
        full = np.zeros(size, dtype=np.int64)
        full[numbers] = matrix[:, i]
        return full

    chunks = (len(policies) + BITS - 1) // BITS
    masks = [column(1 + c) for c in range(chunks)]
    computed = {i: column(1 + chunks + k) for k, i in enumerate(_computed(policies))}
    states: list[np.ndarray] = []
    for i, policy in enumerate(policies):
        matched = (masks[i // BITS] & (1 << (i % BITS))) != 0
        state = np.zeros(size, dtype=np.uint8)
        state[matched] = GRANTED
        if policy.target == "talent":
            verified = np.ones(size, dtype=bool)
            for key in sorted({PROVENANCE[f] for f in facts_used(policy.rule) if f in PROVENANCE}):
                verified &= flags[key]
            state[matched & ~verified] = VERIFY_FIRST
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
    for group in sorted({p.exclusion_group for p in policies if p.exclusion_group}):
        places = [i for i, p in enumerate(policies) if p.exclusion_group == group]
        if len(places) < 2:
            continue
        members = [Member(policies[i].code, group, policies[i].group_priority) for i in places]
        losers = group_losers(members, [states[i] > 0 for i in places], [amount(i) for i in places])
        for i, lost in zip(places, losers, strict=True):
            states[i][lost] = EXCLUDED
    today = _days(on)
    decided: list[tuple[Policy, np.ndarray, np.ndarray | None]] = []
    for i, policy in enumerate(policies):
        since = None
        if policy.yearly_budget is not None:
            # Budgets (``decision.over_budget_array``) go by eligibility date: the day a person began to
            # match, carried from run to run.
            state = states[i]
            earlier = before.get(policy.code)
            first = np.full(size, today, dtype=np.int64)
            if earlier is not None:
                then = _array(since_of(earlier), "<u2", size)[:size]
                was = _array(earlier.state, np.uint8, size)[:size] > 0
                first = np.where(was & (then > 0), then, first)
            over = over_budget_array(state == GRANTED, first, amount(i), fen(policy.yearly_budget))
            state[over] = BUDGET_EXHAUSTED
            since = np.where(state > 0, first, 0).astype("<u2")
        decided.append((policy, states[i], since))
    return decided


def _pack(since: np.ndarray | None) -> bytes:
    """Eligibility dates as stored: compressed (mostly zeros; read whole by the next sweep, never sliced)."""
    return zlib.compress(since.tobytes(), 1) if since is not None else b""


def since_of(result: SweepResult) -> np.ndarray:
    """A result's eligibility dates (days since ``SINCE_EPOCH`` per number; empty without a budget)."""
    return np.frombuffer(zlib.decompress(bytes(result.since)) if result.since else b"", dtype="<u2")


def sweep_target(run: SweepRun, target: str, params: dict[str, Any]) -> None:
    """Evaluate every policy in force for talents (or enterprises) and store one result per policy (the
    caller holds the transaction)."""
    policies = published(run.on, target)
    if not policies:
        return
    subjects = SUBJECTS[target]
    size = (
        subjects.number_model.objects.order_by("-number").values_list("number", flat=True).first() or 0
    ) + 1
    matrix = _scan(subjects, policies, params, run.on)
    keys = {PROVENANCE[f] for p in policies for f in facts_used(p.rule) if f in PROVENANCE}
    flags = _verified(keys, size) if target == "talent" else {}
    earlier = previous_run(run)
    before = (
        {r.policy_code: r for r in SweepResult.objects.filter(run=earlier, target=target)} if earlier else {}
    )
    results = []
    new_total = 0
    for policy, state, since in _decide(policies, matrix, flags, before, run.on, size):
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


def _prepared_note(policy: Policy) -> Any:
    """The note on a prepared draft: a code and the policy, put into words in the reader's language."""

    return CodedText("case.prepared", policy=policy, version=policy.version)


def _prepare_for_enterprise(enterprise: Enterprise, policy: Policy, on: date) -> tuple[list[Any], Any]:
    """An enterprise's administrators, and — for a policy that opens cases — the draft prepared in the first
    one's name, its form filled in from last year's report where the fields match the report's figures."""

    admins = list(
        EnterpriseMember.objects.filter(enterprise=enterprise, is_admin=True)
        .select_related("user")
        .order_by("pk")
    )
    if not admins or policy.on_match != OnMatch.CASE or policy.service is None:
        return [m.user for m in admins], None
    report = enterprise.reports.filter(year=on.year - 1, current=True).first()  # what the facts read
    figures = {k: getattr(report, k) for k in REPORT_FIGURES} if report else {}
    case = case_prepare(
        service=policy.service,
        enterprise=enterprise,
        applicant=admins[0].user,
        key=f"policy:{policy.code}",
        note=_prepared_note(policy),
        data=figures,
    )
    return [m.user for m in admins], case


def _prepare_for_talent(talent: Talent, policy: Policy) -> tuple[list[Any], Any]:
    """The talent's account, and — for a policy that opens cases — the draft prepared in their name."""

    case = None
    if policy.on_match == OnMatch.CASE and policy.service is not None:
        case = case_prepare(
            service=policy.service, talent=talent, key=f"policy:{policy.code}", note=_prepared_note(policy)
        )
    return [talent.account], case


def _yearly(policy: Policy, subject: Any, on: date) -> Any:
    """The yearly amount a talent or an enterprise gets under the policy (its facts on ``on``), or None."""
    keys = benefit_facts(policy.benefit)
    money = benefit_amount(policy.benefit, fact_values(subject, keys, on) if keys else {}, on)
    return money.yearly if money is not None else None


def _newly_granted(result: SweepResult, before: SweepResult | None) -> np.ndarray:
    """The numbers granted by this result and not by the one before."""
    state = _array(result.state, np.uint8, 0)
    granted = state == GRANTED
    if before is not None:
        granted &= _array(before.state, np.uint8, len(state))[: len(state)] != GRANTED
    return np.flatnonzero(granted)


def _holders(subjects: Subjects, size: int) -> np.ndarray:
    """Per number, whether it is a talent with an account or an enterprise with an administrator (who can
    be told)."""
    holders = subjects.number_model.objects.all()
    if subjects.target == "talent":
        holders = holders.filter(talent__account__isnull=False)
    else:
        holders = holders.filter(enterprise__members__is_admin=True).distinct()
    mask = np.zeros(size, dtype=bool)
    numbers = np.fromiter(
        holders.values_list("number", flat=True).iterator(chunk_size=20_000), dtype=np.int64
    )
    mask[numbers[numbers < size]] = True
    if subjects.target == "talent":
        # A talent who turned 免申即享 notices off (the box on their page) is neither told nor sent a draft;
        # the calculator page still lists what the sweep found for them.
        refused = list(withdrawn("policy_push"))
        for start in range(0, len(refused), 5000):
            chunk = subjects.number_model.objects.filter(talent_id__in=refused[start : start + 5000])
            off = np.fromiter(chunk.values_list("number", flat=True), dtype=np.int64)
            mask[off[off < size]] = False
    return mask


def _subjects(subjects: Subjects, numbers: list[int]) -> list[Any]:
    """The talents (with their accounts) or enterprises of these numbers."""
    link = subjects.link
    related = f"{link}__account" if subjects.target == "talent" else link
    found: list[Any] = []
    for start in range(0, len(numbers), 500):
        rows = subjects.number_model.objects.filter(number__in=numbers[start : start + 500])
        found += [getattr(row, link) for row in rows.select_related(related).order_by("number")]
    return found


def _reach_new(run: SweepRun) -> int:
    """Everyone newly granted hears of it once: a notice, or — for a policy that applies through a service and
    says so — a pre-filled draft in that service with a notice pointing to it; a talent that service's
    eligibility rule refuses is not told (they could not get the draft). For an enterprise, its
    administrators hear of it and the first of them finds the draft."""

    earlier = previous_run(run)
    before = {r.policy_code: r for r in SweepResult.objects.filter(run=earlier)} if earlier else {}
    count = 0
    holders: dict[str, np.ndarray] = {}
    for result in SweepResult.objects.filter(run=run).select_related("policy__service"):
        policy = result.policy
        subjects = SUBJECTS[result.target]
        fresh = _newly_granted(result, before.get(result.policy_code))
        if result.target not in holders:
            holders[result.target] = _holders(subjects, len(result.state))
        told = fresh[holders[result.target][fresh]] if len(fresh) else fresh
        for subject in _subjects(subjects, told.tolist()):
            money = _yearly(policy, subject, run.on)
            amount = money if money is not None else "—"
            # No "(— yuan a year)": a benefit that is not money has notices of its own.
            kind = "" if money is not None else "_entitlement"
            if result.target == "enterprise":
                recipients, case = _prepare_for_enterprise(subject, policy, run.on)
                calculator = f"/policies/calculator/enterprise/{subject.pk}/"
            else:
                if (
                    policy.on_match == OnMatch.CASE
                    and policy.service is not None
                    and eligibility_problem(policy.service, subject, run.on) is not None
                ):
                    # The service's own rule refuses them: no draft can open, so they are not told they
                    # qualify (ADR 0014); the calculator still shows the policy's verdict.
                    continue
                recipients, case = _prepare_for_talent(subject, policy)
                calculator = "/policies/calculator/"
            for recipient in recipients:
                if case is not None and recipient.pk == case.applicant_id:
                    params = {"policy": policy, "amount": amount, "service": case.service}
                    notify(
                        recipient=recipient,
                        event=f"policy.case_opened{kind}",
                        params=params,
                        url=f"/hall/cases/{case.pk}/",
                    )
                else:
                    params = {"policy": policy, "amount": amount}
                    notify(recipient=recipient, event=f"policy.granted{kind}", params=params, url=calculator)
            count += 1
    return count


def _prune(run: SweepRun) -> None:
    """Empty the arrays of runs older than the last ``KEEP_ARRAYS`` (their counts stay)."""
    kept = SweepRun.objects.filter(status=SweepStatus.DONE).order_by("-pk").values_list("pk", flat=True)
    keep = list(kept[:KEEP_ARRAYS])
    SweepResult.objects.filter(run__lt=min([*keep, run.pk])).exclude(state=b"").update(state=b"", since=b"")


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
        notified = _reach_new(run)
        run.status, run.finished_at = SweepStatus.DONE, timezone.now()
        run.save(update_fields=["status", "finished_at"])
        _prune(run)
        audit_record(
            actor=None,
            actor_username="system",
            action="policy.sweep",
            object_type="sweep",
            object_id=run.pk,
            details={"policies": run.total, "new": run.new, "notified": notified},
        )
    return run


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
    for pid, mine, day in _found_rows(SUBJECTS[target], subject.pk):
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
