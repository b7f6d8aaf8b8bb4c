"""True answers (issue #18): reasons from the branches that decided, amounts as formulas that decide
exclusion groups, in-kind benefits by their imputed value, entry and continuing conditions, and
``policies test`` from a freshly migrated database."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from talentcloud.enterprises.models import AnnualReport
from talentcloud.policies import editor
from talentcloud.policies.engine import (
    ELIGIBLE,
    EXCLUDED,
    MISSING,
    NOT_ELIGIBLE,
    calculate,
    calculate_for_facts,
    continuing_conditions_hold,
)
from talentcloud.policies.forms import BenefitForm
from talentcloud.policies.loader import LIBRARY, library_install, read_file, run_tests
from talentcloud.policies.models import Policy, SweepResult
from talentcloud.policies.sweep import EXCLUDED as SWEPT_EXCLUDED
from talentcloud.policies.sweep import GRANTED, sweep
from talentcloud.policies.templatetags.verdicts import _card
from talentcloud.policies.tests.factories import PolicyFactory
from talentcloud.rules.explain import conditions
from talentcloud.rules.logic import FALSE, TRUE, UNKNOWN, evaluate, validate
from talentcloud.rules.periods import add_period, holds, latest_start
from talentcloud.servicehall.seed import catalogue_install
from talentcloud.talents.models import Talent

ON = dt.date(2026, 6, 1)

# --- reasons: a property test ---------------------------------------------------------------------------
# Rules over four number facts (each at most once, so every clause can be set on its own) with small values.
# "Can change the verdict": some completion of the unknown facts where another value of this fact gives
# another verdict.

NUMBER_FACTS = ["age", "years_since_graduation", "social_insurance_years", "years_in_district"]
VALUES = range(0, 5)


@st.composite
def leaf(draw: Any, fact: str) -> dict[str, Any]:
    op = draw(st.sampled_from(["<=", ">=", "==", "!=", "<", ">"]))
    value = draw(st.integers(1, 3))  # inside 0..4, so each clause can pass and fail
    return {"fact": fact, "op": op, "value": value}


@st.composite
def rules(draw: Any) -> dict[str, Any]:
    facts = draw(st.permutations(NUMBER_FACTS))[: draw(st.integers(1, 4))]
    leaves = [draw(leaf(f)) for f in facts]

    def build(parts: list[dict[str, Any]]) -> dict[str, Any]:
        if len(parts) == 1:
            node = parts[0]
        else:
            cut = draw(st.integers(1, len(parts) - 1))
            node = {draw(st.sampled_from(["all", "any"])): [build(parts[:cut]), build(parts[cut:])]}
        return {"not": node} if draw(st.integers(0, 5)) == 0 else node

    return build(leaves)


def _verdict(rule: dict[str, Any], facts: dict[str, Any]) -> str:
    return evaluate(rule, facts, {}, on=ON).status


def _node(rule: dict[str, Any], path: str) -> dict[str, Any]:
    """The clause at a path ("all[1].not.any[0]")."""
    node = rule
    for step in path.split(".") if path != "rule" else []:
        node = (
            node["not"]
            if step == "not"
            else node[step[: step.index("[")]][int(step[step.index("[") + 1 : -1])]
        )
    return node


@settings(max_examples=300, deadline=None)
@given(rule=rules(), known=st.dictionaries(st.sampled_from(NUMBER_FACTS), st.sampled_from(list(VALUES))))
def test_reasons_lie_only_in_deciding_branches_and_missing_facts_can_change_the_verdict(rule, known):
    assert validate(rule) == []
    facts = {f: known.get(f) for f in NUMBER_FACTS}
    outcome = evaluate(rule, facts, {}, on=ON)
    reasons = outcome.failed if outcome.status == FALSE else outcome.missing
    flip = {TRUE: FALSE, FALSE: TRUE, UNKNOWN: UNKNOWN}
    for clause in reasons:
        # Every branch on the way to a reason has the verdict the reason explains (under "not", the opposite):
        # none lies inside an alternative that was satisfied, or in a branch that did not decide.
        steps = clause.path.split(".") if clause.path != "rule" else []
        for depth in range(len(steps) + 1):
            node = _node(rule, ".".join(steps[:depth]) or "rule")
            expected = outcome.status if steps[:depth].count("not") % 2 == 0 else flip[outcome.status]
            assert evaluate(node, facts, {}, on=ON).status == expected, (rule, facts, clause.path, depth)
        assert clause.effect == outcome.status
    if outcome.status == UNKNOWN:
        unknown = [f for f in NUMBER_FACTS if facts[f] is None]
        for clause in outcome.missing:
            others = [f for f in unknown if f != clause.fact]
            changes = False
            for filled in itertools.product(VALUES, repeat=len(others)):
                base = {**facts, **dict(zip(others, filled, strict=True))}
                verdicts = {_verdict(rule, {**base, clause.fact: v}) for v in VALUES}
                if len(verdicts) > 1:
                    changes = True
                    break
            assert changes, (rule, facts, clause.fact)
    if outcome.status == FALSE:  # the reasons suffice: the verdict stands whatever the other facts are
        named = {c.fact for c in outcome.failed}
        free = [f for f in NUMBER_FACTS if f not in named]
        for filled in itertools.product(VALUES, repeat=len(free)):
            assert _verdict(rule, {**facts, **dict(zip(free, filled, strict=True))}) == FALSE, (rule, facts)


def test_a_bachelor_young_enough_is_not_told_a_doctorate_is_required():
    rule = {
        "all": [
            {
                "any": [
                    {"fact": "age", "op": "<=", "value": 35},
                    {"fact": "degree_rank", "op": ">=", "value": 4},
                ]
            },
            {"fact": "employed_in_district", "op": "==", "value": True},
        ]
    }
    outcome = evaluate(rule, {"age": 30, "degree_rank": 2, "employed_in_district": False}, {}, on=ON)
    assert [c.fact for c in outcome.failed] == ["employed_in_district"]
    unknown = evaluate(rule, {"age": 30, "degree_rank": None, "employed_in_district": None}, {}, on=ON)
    assert [c.fact for c in unknown.missing] == ["employed_in_district"]  # the degree cannot change it


# --- readings -----------------------------------------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(
    day=st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2040, 12, 31)),
    unit=st.sampled_from(["years", "months", "days"]),
    n=st.integers(0, 40),
)
def test_the_last_start_whose_period_has_ended_is_exact(day, unit, n):
    last = latest_start(day, unit, n)
    assert add_period(last, unit, n) <= day
    assert add_period(last + dt.timedelta(days=1), unit, n) > day


def test_the_readings_at_their_boundaries():
    graduated = dt.date(2021, 6, 30)
    assert holds("within", graduated, "years", 5, dt.date(2026, 6, 30))  # 以内 includes the anniversary
    assert not holds("within", graduated, "years", 5, dt.date(2026, 7, 1))
    assert not holds("within", graduated, "years", 5, dt.date(2026, 11, 30))  # 5 years 5 months: not within
    assert holds("beyond", graduated, "years", 5, dt.date(2026, 7, 1))  # 超过 excludes it
    assert not holds("beyond", graduated, "years", 5, dt.date(2026, 6, 30))
    assert holds("reached", graduated, "years", 5, dt.date(2026, 6, 30))  # 届满 includes it
    assert not holds("not_reached", graduated, "years", 5, dt.date(2026, 6, 30))  # 不满 excludes it
    assert add_period(dt.date(2024, 2, 29), "years", 1) == dt.date(2025, 2, 28)  # 民法典 art. 202
    assert add_period(dt.date(2025, 1, 31), "months", 1) == dt.date(2025, 2, 28)


# --- exclusion groups compare computed money and imputed values ----------------------------------------


@pytest.mark.django_db
def test_a_computed_percentage_grant_beats_a_fixed_award_in_its_group(kfq_firm):
    fixed = PolicyFactory.create(
        code="fixed-award",
        target="enterprise",
        rule={"fact": "in_park", "op": "==", "value": True},
        benefit={"kind": "money", "amount": 500000, "period": "once"},
        exclusion_group="rd-awards",
        group_priority=1,
    )
    computed = PolicyFactory.create(
        code="percentage-grant",
        target="enterprise",
        rule={"fact": "rd_spend", "op": ">=", "value": 100},
        benefit={
            "kind": "money",
            "amount": {"percent": 10, "of": {"fact": "rd_spend"}, "cap": 2000000},
            "period": "once",
        },
        exclusion_group="rd-awards",
        group_priority=2,
    )
    AnnualReport.objects.create(
        enterprise=kfq_firm, year=ON.year - 1, revenue=50000, rd_spend=800, staff=9, patents=0
    )
    verdicts = {v.policy.code: v for v in calculate(enterprise=kfq_firm, on=ON)}
    grant = verdicts[computed.code]
    assert grant.status == ELIGIBLE
    assert grant.amount is not None
    assert grant.amount.total == Decimal("800000.00")  # 8,000,000 × 10%: beats 500,000
    assert verdicts[fixed.code].status == EXCLUDED
    assert verdicts[fixed.code].excluded_by == computed
    with translation.override("zh-hans"):
        assert grant.amount.computation() == "8,000,000 × 10% = 800,000，上限 2,000,000 → 800,000"
        assert "计算过程：8,000,000 × 10% = 800,000，上限 2,000,000 → 800,000" in _card(grant, "/policies/")
    with translation.override("en"):  # the steps are written in the language of the request
        grant = next(v for v in calculate(enterprise=kfq_firm, on=ON) if v.policy == computed)
        assert grant.amount is not None
        assert grant.amount.computation() == "8,000,000 × 10% = 800,000, cap 2,000,000 → 800,000"
        assert "Computation: 8,000,000 × 10% = 800,000, cap 2,000,000 → 800,000" in _card(grant, "/policies/")
    # The sweep decides the same, computing the amount inside the database.
    run = sweep(on=ON)
    states = {r.policy_code: bytes(r.state) for r in SweepResult.objects.filter(run=run, target="enterprise")}
    number = kfq_firm.sweep_number.number
    assert states[computed.code][number] == GRANTED
    assert states[fixed.code][number] == SWEPT_EXCLUDED
    # Without the R&D figure the grant cannot be computed: information missing, never 0 (which would lose).
    AnnualReport.objects.all().delete()
    verdicts = {v.policy.code: v for v in calculate(enterprise=kfq_firm, on=ON)}
    assert verdicts[computed.code].status == MISSING


@pytest.mark.django_db
def test_an_unknown_amount_is_information_missing_never_zero():
    policy = PolicyFactory.build(
        code="by-spend",
        target="enterprise",
        rule={"fact": "revenue", "op": ">=", "value": 100},
        benefit={"kind": "money", "amount": {"percent": 10, "of": {"fact": "rd_spend"}}, "period": "once"},
    )
    [verdict] = calculate_for_facts({"revenue": 500, "rd_spend": None}, on=ON, policies=[policy], params={})
    assert verdict.status == MISSING
    assert [c.fact for c in verdict.outcome.missing] == ["rd_spend"]


@pytest.mark.django_db
def test_an_in_kind_benefit_with_an_imputed_value_beats_a_smaller_monthly_subsidy(units):
    catalogue_install()
    library_install()
    facts = {  # a master two years out of university, employed in the district, without a home
        "highest_degree": "master",
        "degree_rank": 3,
        "graduated_on": dt.date(2024, 6, 30),
        "employed_in_district": True,
        "social_insurance_since": dt.date(2024, 8, 1),
        "owns_home_in_city": False,
    }
    verdicts = {v.policy.code: v for v in calculate_for_facts(facts, on=ON)}
    apartment, rental = verdicts["talent-apartment"], verdicts["graduate-rental-subsidy"]
    assert apartment.status == ELIGIBLE
    assert apartment.yearly == Decimal("24000.00")  # the apartment, worth 24,000 a year to the office
    assert rental.status == EXCLUDED  # 800 a month: 9,600 a year
    assert rental.excluded_by is not None
    assert rental.excluded_by.code == "talent-apartment"


# --- entry and continuing conditions ---------------------------------------------------------------------


@pytest.mark.django_db
def test_continuing_conditions_are_judged_again_and_entry_conditions_are_not(kfq_firm, units):
    """A 36-month rental subsidy for those 毕业 3 年以内: the window is an entry condition, judged once; the
    employment and no home are judged before every payment."""
    catalogue_install()
    library_install()
    policy = Policy.objects.get(code="graduate-rental-subsidy", status="published")
    talent = Talent.objects.create(
        name="租房者",
        birth_date=dt.date(2000, 5, 1),
        highest_degree="master",
        graduated_on=dt.date(2024, 6, 30),
        social_insurance_since=dt.date(2024, 8, 1),
        owns_home_in_city=False,
        employer=kfq_firm,
    )
    decided = {v.policy.code: v for v in calculate(talent=talent, on=dt.date(2025, 6, 1))}
    assert decided[policy.code].status in (ELIGIBLE, EXCLUDED)
    # Long after the 3-year window (the 25th month of payments and later): the subsidy still holds.
    later = dt.date(2027, 9, 1)
    assert continuing_conditions_hold(policy, talent=talent, on=later).status == ELIGIBLE
    talent.owns_home_in_city = True  # a home bought: the next payment stops, and says why
    talent.save()
    stopped = continuing_conditions_hold(policy, talent=talent, on=later)
    assert stopped.status == NOT_ELIGIBLE
    assert [c.fact for c in stopped.outcome.failed] == ["owns_home_in_city"]
    assert all(c.continuing for c in stopped.outcome.clauses)


def test_the_plain_words_and_the_editor_mark_continuing_conditions():
    rule = {
        "all": [
            {"fact": "graduated_on", "op": "within", "value": {"years": 3}},
            {"fact": "owns_home_in_city", "op": "==", "value": False, "when": "continuing"},
        ]
    }
    with translation.override("zh-hans"):
        lines = [line.text for line in conditions(rule, {})]
    assert lines == ["毕业 3 年以内（含届满之日）", "在本市无自有住房（每次发放前复核）"]
    rows = editor.rows_from_rule(rule)
    assert [child.when for child in rows.children] == ["", "continuing"]
    again, problems = editor.check(rows, {})
    assert (again, problems) == (rule, {})


def test_alternatives_may_not_mix_entry_and_continuing_conditions():
    rule = {
        "any": [
            {"fact": "age", "op": "<=", "value": 35},
            {"fact": "employed_in_district", "op": "==", "value": True, "when": "continuing"},
        ]
    }
    [error] = validate(rule)
    assert error.path == "rule"


# --- policies test from nothing ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_policies_test_passes_on_a_freshly_migrated_database():
    out = StringIO()
    call_command("policies", "test", stdout=out)  # no parameters installed, no demo seed
    assert "FAIL" not in out.getvalue()
    assert out.getvalue().strip().endswith("policy test cases pass")


@pytest.mark.django_db
def test_policies_test_names_an_unknown_fact_with_its_clause_path(tmp_path: Path):
    data = read_file(LIBRARY / "young-talent-allowance.yaml")
    data["rule"]["all"][1]["fact"] = "shoe_size"
    (tmp_path / "broken.yaml").write_text(
        yaml.safe_dump(data, allow_unicode=True, default_flow_style=False), encoding="utf-8"
    )
    out = StringIO()
    with translation.override("en"), pytest.raises(CommandError):
        call_command("policies", "test", str(tmp_path), stdout=out)
    assert "young-talent-allowance: all[1]: Unknown fact “shoe_size”." in out.getvalue()
    assert "Traceback" not in out.getvalue()


def test_every_shipped_policy_carries_its_text_issuer_number_and_link():
    for path in sorted(LIBRARY.glob("*.yaml")):
        if path.name == "parameters.yaml":
            continue
        data = read_file(path)
        for name in ("summary", "issuer", "document_number", "source_url"):
            assert str(data.get(name) or "").strip(), (path.name, name)
        assert data["source_url"].startswith("https://"), path.name


@pytest.mark.django_db
def test_shipped_test_cases_follow_the_deciding_branches():
    results = run_tests(read_file(LIBRARY / "young-talent-allowance.yaml"))
    assert all(r.ok for r in results), [r.text() for r in results if not r.ok]


@pytest.mark.parametrize(
    "benefit",
    [
        {
            "kind": "money",
            "amount": {"percent": 10, "of": {"fact": "rd_spend"}, "cap": 2000000},
            "period": "year",
            "years": 3,
        },
        {"kind": "money", "amount": {"per": 10000, "units": "patents", "max_units": 20}, "period": "once"},
        {
            "kind": "money",
            "amount": {"sum": [100, {"fact": "staff"}]},
            "period": "tranches",
            "shares": [40, 60],
        },
        {"kind": "entitlement", "text": "人才公寓", "imputed_yearly": 24000},
    ],
)
def test_the_benefit_form_keeps_every_formula_it_is_given(benefit):
    """Staff edit formulas in fields (a percentage of a figure, per unit, floor and cap, tranches, the
    imputed value); one the fields cannot show is kept as the library file wrote it, and said in words."""
    initial = BenefitForm.for_benefit(benefit).initial
    data = {f"benefit-{key}": value for key, value in initial.items() if value not in (None, "")}
    form = BenefitForm(data)
    assert form.is_valid(), form.errors
    assert form.benefit() == benefit
    if "sum" in str(benefit):
        assert form.kept_words
