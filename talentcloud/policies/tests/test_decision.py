"""就高不重复 and budgets are one decision: the calculator (``engine.calculate``, one person, Python) and the
sweep (``sweep.sweep``, everyone, numpy) agree on who wins each exclusion group and who is over budget, on
generated policies (groups, priorities, amounts with ties, by degree, grade, tier, category or gender;
budgets none / zero / tight / ample) and people with eligibility dates, their degrees verified or not; and
the decision's plain-Python and array forms agree with each other."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any
from uuid import UUID

import numpy as np
import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from talentcloud.policies import engine
from talentcloud.policies.decision import (
    Claim,
    Member,
    eligibility_order,
    excluded_by,
    exclusion_sets,
    fen,
    group_losers,
    linked,
    over_budget,
    over_budget_array,
)
from talentcloud.policies.engine import ELIGIBLE, EXCLUDED, calculate
from talentcloud.policies.models import (
    GRANTED,
    STATE_CODES,
    Policy,
    SweepResult,
    SweepRun,
    SweepStatus,
    TalentNumber,
)
from talentcloud.policies.sweep import SINCE_EPOCH, _pack, number_new, sweep
from talentcloud.policies.tests.factories import PolicyFactory
from talentcloud.rules.logic import facts_used
from talentcloud.talents.changes import verified_refresh
from talentcloud.talents.models import FactRecord, Talent
from talentcloud.talents.tests.factories import TalentFactory

ON = dt.date(2026, 6, 1)
GRADES = ["A", "B", "C", "D"]
TIERS = ["peak", "pioneer", "elite"]
DEGREES = ["bachelor", "master", "doctor"]
CATEGORIES = ["young", "high_level", "top_expert"]
BY = {"highest_degree": DEGREES, "grade": GRADES, "tier": TIERS, "category": CATEGORIES, "gender": ["M", "F"]}
# Few amounts, some equal a year across periods (100 a month = 1,200 a year = 1,200 once): ties are common.
AMOUNTS = st.sampled_from([0, 100, 600, 1000, 1200])


@st.composite
def benefits(draw: Any) -> dict[str, Any]:
    kind = draw(st.sampled_from(["money", "entitlement", *BY]))
    if kind == "entitlement":
        return {"kind": "entitlement", "text": "子女入学统筹安排"}
    period = draw(st.sampled_from(["month", "year", "once"]))
    benefit: dict[str, Any] = {"kind": "money", "period": period}
    if period == "month":
        benefit["months"] = draw(st.sampled_from([1, 6, 12, 36]))
    if kind == "money":
        benefit["amount"] = draw(AMOUNTS)
    else:
        by, values = kind, BY[kind]
        table = {v: draw(AMOUNTS) for v in draw(st.lists(st.sampled_from(values), min_size=1, unique=True))}
        benefit["amount"] = {"by": by, "table": table}
    return benefit


@st.composite
def rules(draw: Any) -> dict[str, Any]:
    """A rule on grade or tier (facts recorded by staff), and at times on the degree too: a fact with
    provenance, so a match on an unverified degree awaits verification instead of being granted."""
    grades = draw(st.lists(st.sampled_from(GRADES), min_size=1, max_size=3, unique=True))
    clauses: list[dict[str, Any]] = [{"fact": "grade", "op": "in", "value": grades}]
    if draw(st.booleans()):
        tiers = draw(st.lists(st.sampled_from(TIERS), min_size=1, max_size=2, unique=True))
        clauses.append({"fact": "tier", "op": "in", "value": tiers})
    if draw(st.booleans()):
        degrees = draw(st.lists(st.sampled_from(DEGREES), min_size=1, max_size=3, unique=True))
        clauses.append({"fact": "highest_degree", "op": "in", "value": degrees})
    if len(clauses) == 1:
        return clauses[0]
    return {draw(st.sampled_from(["all", "any"])): clauses}


budgets = st.one_of(
    st.none(),
    st.just(Decimal(0)),
    st.integers(min_value=1, max_value=8000).map(Decimal),  # tight: a few of the amounts above
    st.just(Decimal(10_000_000)),
)


@st.composite
def policies(draw: Any) -> list[dict[str, Any]]:
    return [
        {
            "code": f"p{i}",
            "exclusion_group": draw(st.sampled_from(["", "g1", "g1", "g2"])),
            "group_priority": draw(st.integers(0, 2)),
            # pairs not granted together, across groups too ("与人才购房补贴就高不重复")
            "excludes": draw(st.lists(st.sampled_from([f"p{k}" for k in range(5)]), max_size=2, unique=True)),
            "yearly_budget": draw(budgets),
            "rule": draw(rules()),
            "benefit": draw(benefits()),
        }
        for i in range(draw(st.integers(1, 5)))
    ]


people = st.lists(
    st.fixed_dictionaries(
        {
            "grade": st.sampled_from(["", *GRADES]),
            "tier": st.sampled_from(["", *TIERS]),
            "highest_degree": st.sampled_from(DEGREES),
            "category": st.sampled_from(CATEGORIES),
            "gender": st.sampled_from(["M", "F"]),
            "degree_verified": st.booleans(),
            # the day this person began to match every policy (0: today, the sweep's day); equal days common
            "days_before": st.integers(0, 3),
        }
    ),
    min_size=1,
    max_size=7,
)


def _previous_run(made: list[Policy], numbers: dict[UUID, int], began: dict[UUID, int]) -> None:
    """A finished run the day before in which everyone who began to match earlier already matched, from the
    day they began (how the sweep carries eligibility dates)."""
    run = SweepRun.objects.create(on=ON - dt.timedelta(days=1), status=SweepStatus.DONE)
    size = max(numbers.values()) + 1
    state, since = np.zeros(size, dtype=np.uint8), np.zeros(size, dtype="<u2")
    for pk, number in numbers.items():
        if began[pk] < (ON - SINCE_EPOCH).days:
            state[number], since[number] = GRANTED, began[pk]
    for policy in made:
        if policy.yearly_budget is not None:
            SweepResult.objects.create(
                run=run,
                policy=policy,
                policy_code=policy.code,
                target="talent",
                state=state.tobytes(),
                since=_pack(since),
            )


def _swept(run: SweepRun, numbers: dict[UUID, int]) -> dict[tuple[str, UUID], str]:
    found = {}
    for result in SweepResult.objects.filter(run=run, target="talent"):
        state = bytes(result.state)
        for pk, number in numbers.items():
            if number < len(state) and state[number]:
                found[(result.policy_code, pk)] = STATE_CODES[state[number]]
    return found


def _calculated(
    made: list[Policy],
    talents: list[Talent],
    numbers: dict[UUID, int],
    began: dict[UUID, int],
    verified: dict[UUID, bool],
) -> dict[tuple[str, UUID], str]:
    """What the calculator says of each person (an eligible match on an unverified degree awaits
    verification), with the budgets decided over the granted by ``decision.over_budget`` in order of
    eligibility."""
    found: dict[tuple[str, UUID], str] = {}
    granted: dict[str, list[tuple[UUID, int]]] = {}
    for talent in talents:
        for verdict in calculate(talent=talent, on=ON):
            key = (verdict.policy.code, talent.pk)
            if verdict.status == EXCLUDED:
                found[key] = "excluded"
            elif verdict.status == ELIGIBLE:
                if "highest_degree" in facts_used(verdict.policy.rule) and not verified[talent.pk]:
                    found[key] = "verify_first"
                    continue
                found[key] = "granted"
                yearly = fen(verdict.amount.yearly if verdict.amount else None)
                granted.setdefault(verdict.policy.code, []).append((talent.pk, yearly))
    for policy in made:
        if policy.yearly_budget is None:
            continue
        claims = granted.get(policy.code, [])
        order = eligibility_order([began[pk] for pk, _y in claims], [numbers[pk] for pk, _y in claims])
        for pk in over_budget([claims[i] for i in order], fen(policy.yearly_budget)):
            found[(policy.code, pk)] = "budget_exhausted"
    return found


@settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(drafted=policies(), crowd=people)
@pytest.mark.django_db
def test_the_calculator_and_the_sweep_decide_groups_and_budgets_alike(drafted, crowd):
    with transaction.atomic():
        engine._HELD.clear()  # a rolled-back example may leave ids and counts a new one repeats
        made = [PolicyFactory.create(**spec) for spec in drafted]
        talents, began, verified = [], {}, {}
        for i, person in enumerate(crowd):
            days_before, checked = person.pop("days_before"), person.pop("degree_verified")
            talent = TalentFactory.create(name=f"人{i}", **person)
            if checked:
                FactRecord.objects.create(
                    talent=talent,
                    key="highest_degree",
                    value=talent.highest_degree,
                    source="authority",
                    as_of=ON,
                    verified=True,
                )
            verified[talent.pk] = checked
            talents.append(talent)
            began[talent.pk] = (ON - SINCE_EPOCH).days - days_before
        verified_refresh([t.pk for t in talents])
        number_new()
        numbers = dict(TalentNumber.objects.filter(talent__in=talents).values_list("talent_id", "number"))
        _previous_run(made, numbers, began)
        run = sweep(on=ON)
        assert run.status == SweepStatus.DONE
        swept = _swept(run, numbers)
        calculated = _calculated(made, talents, numbers, began, verified)
        assert swept == calculated, (drafted, crowd)
        transaction.set_rollback(True)
    engine._HELD.clear()


# --- the decision's two forms, without a database ----------------------------------------------------------


@settings(max_examples=400, deadline=None)
@given(
    members=st.lists(
        st.tuples(
            st.integers(0, 2),  # priority
            st.lists(st.sampled_from(["g1", "g2", "g3"]), max_size=2, unique=True),  # groups and pairs
        ),
        min_size=1,
        max_size=5,
    ),
    crowd=st.lists(
        st.lists(st.one_of(st.none(), st.sampled_from([0, 100, 1200, 1200, 5000])), min_size=5, max_size=5),
        min_size=1,
        max_size=8,
    ),
)
def test_excluded_by_and_group_losers_agree(members, crowd):
    """One person at a time (the calculator) and everyone at once (the sweep) grant the same claims, one
    policy in several groups included; the linked sets are decided together."""
    codes = [f"p{i}" for i in range(len(members))][::-1]  # codes not in the order given
    given = [Member(codes[k], tuple(groups), priority) for k, (priority, groups) in enumerate(members)]
    matched = [np.array([row[k] is not None for row in crowd]) for k in range(len(given))]
    yearly = [np.array([row[k] or 0 for row in crowd], dtype=np.int64) for k in range(len(given))]
    losers = [np.zeros(len(crowd), dtype=bool) for _m in given]
    for places in linked(given):
        decided = group_losers(
            [given[k] for k in places], [matched[k] for k in places], [yearly[k] for k in places]
        )
        for k, lost in zip(places, decided, strict=True):
            losers[k] = lost
    for person, row in enumerate(crowd):
        claims = [
            Claim(m.code, m.groups, m.priority, row[k]) for k, m in enumerate(given) if row[k] is not None
        ]
        out = excluded_by(claims)
        left_out = {given[k].code for k in range(len(given)) if losers[k][person]}
        assert left_out == set(out)
        granted = [c for c in claims if c.code not in out]
        for claim in claims:  # nothing granted shares a group with another granted claim …
            if claim.code in out:  # … and each claim left out names a granted one it shares a group with
                assert out[claim.code] in granted
                assert set(out[claim.code].groups) & set(claim.groups)
        for a in granted:
            assert not any(set(a.groups) & set(b.groups) for b in granted if b is not a)


def test_a_pair_is_a_group_of_two_whoever_names_it():
    class P:
        def __init__(self, code, group="", excludes=()):
            self.code, self.exclusion_group, self.excludes = code, group, list(excludes)

    sets = exclusion_sets([P("a", "housing", ["b"]), P("b"), P("c", "housing"), P("d", excludes=["zz"])])
    assert sets == {"a": ("a|b", "housing"), "b": ("a|b",), "c": ("housing",), "d": ()}
    # b outranks a, a outranks c: b is granted, a is left out (its pair), c is granted (a lost the group)
    out = excluded_by(
        [Claim("a", sets["a"], 0, 500), Claim("b", sets["b"], 0, 900), Claim("c", sets["c"], 0, 100)]
    )
    assert {code: won.code for code, won in out.items()} == {"a": "b"}


@settings(max_examples=300, deadline=None)
@given(
    queue=st.lists(
        st.tuples(st.booleans(), st.integers(0, 3), st.sampled_from([0, 100, 600, 1200])), max_size=12
    ),
    budget=st.none() | st.integers(0, 3000),
)
def test_over_budget_and_over_budget_array_agree(queue, budget):
    granted = np.array([g for g, _d, _y in queue], dtype=bool)
    since = np.array([d for _g, d, _y in queue], dtype=np.int64)
    yearly = np.array([y for _g, _d, y in queue], dtype=np.int64)
    over = over_budget_array(granted, since, yearly, budget)
    places = [i for i, (g, _d, _y) in enumerate(queue) if g]
    order = eligibility_order([queue[i][1] for i in places], places)
    expected = set(over_budget([(places[i], queue[places[i]][2]) for i in order], budget))
    assert set(np.flatnonzero(over).tolist()) == expected
