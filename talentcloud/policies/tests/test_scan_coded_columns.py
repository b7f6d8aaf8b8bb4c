"""The sweep decides the rules in numpy over coded columns of the facts (``vector.scan``, ADR 0036): on a
population with unknown values, for every operator and every kind of fact (a choice, a yes/no, a figure, a
years count, a date, one the office defined, labels computed inside the database; facts from other tables
read set-based for everyone, subject by subject for a few), each policy's match, each computed amount and each
verified mask equal the in-database scan's (``sweep._scan_in_database``), which the
agreement tests prove equal to the rules' own SQL forms."""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pytest

from talentcloud.enterprises.models import KeyPerson
from talentcloud.enterprises.tests.factories import EnterpriseFactory
from talentcloud.policies import vector
from talentcloud.policies.models import FactDefinition, Policy, RecordedValue
from talentcloud.policies.office_facts import define_fact, refresh
from talentcloud.policies.sweep import BITS, SUBJECTS, _scan, _scan_in_database, number_new
from talentcloud.policies.vector import reading
from talentcloud.rules.facts import FACTS, years_before
from talentcloud.talents.models import (
    ChildBirth,
    ContributionPeriod,
    Education,
    FamilyMember,
    Talent,
    month_index,
)

pytestmark = pytest.mark.django_db
ON = dt.date(2026, 6, 1)


def _clauses() -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for op in ("==", "!=", "<", "<=", ">", ">="):
        out += [
            {"fact": "age", "op": op, "value": 33},
            {"fact": "years_since_graduation", "op": op, "value": 2},  # unknown for some
            {"fact": "degree_rank", "op": op, "value": 3},
            {"fact": "si_continuous_months", "op": op, "value": 6},
            {"fact": "si_months_in_district", "op": op, "value": 12},
            {"fact": "contract_term_months", "op": op, "value": 36},
            {"fact": "spouse_income", "op": op, "value": 5000},
        ]
    out += [
        {"fact": "age", "op": "between", "value": [30, 35]},
        {"fact": "age", "op": "in", "value": [33, 40]},
        {"fact": "age", "op": "not_in", "value": [33]},
        {"fact": "age", "op": ">=", "value": 30, "as_of": "2027-01-01"},
        {"fact": "children_under_3", "op": "between", "value": [1, 2]},
        {"fact": "children_under_6", "op": "in", "value": [0, 2]},
        {"fact": "contract_term_months", "op": "not_in", "value": [36, 60]},
        {"fact": "spouse_income", "op": "between", "value": [1000, 6000.5]},
        {"fact": "gender", "op": "==", "value": "F"},
        {"fact": "gender", "op": "!=", "value": "F"},
        {"fact": "highest_degree", "op": "in", "value": ["master", "doctor"]},
        {"fact": "highest_degree", "op": "not_in", "value": ["bachelor"]},
        {"fact": "grade", "op": "==", "value": "A"},  # blank for most: unknown
        {"fact": "grade", "op": "!=", "value": "A"},
        {"fact": "housing", "op": "==", "value": "rent"},
        {"fact": "housing", "op": "not_in", "value": ["own"]},
        {"fact": "owns_home_in_city", "op": "==", "value": True},
        {"fact": "owns_home_in_city", "op": "!=", "value": True},
        {"fact": "employed_in_district", "op": "==", "value": False},
        {"fact": "highest_degree_full_time", "op": "==", "value": True},
        {"fact": "spouse_moved", "op": "!=", "value": False},
        {"fact": "postdoc", "op": "==", "value": True},
        {"fact": "postdoc_last_year", "op": "==", "value": True},
        {"fact": "tags", "op": "any_of", "value": ["returnee"]},  # computed inside the database
        {"fact": "contract_term_months", "op": "==", "value": None},  # IS NULL: computed inside the database
    ]
    for op in ("within", "beyond", "reached", "not_reached"):
        out += [
            {"fact": "graduated_on", "op": op, "value": {"years": 3}},
            {"fact": "birth_date", "op": op, "value": {"years": 35}},
            {"fact": "moved_on", "op": op, "value": {"months": 6}},
            {"fact": "postdoc_since", "op": op, "value": {"years": 1}},
        ]
    return out


def _office_facts() -> None:
    define_fact(actor=None, key="spouse_income", label="配偶月收入", kind="number", unit="元")
    define_fact(actor=None, key="spouse_moved", label="配偶随迁", kind="bool")
    define_fact(actor=None, key="moved_on", label="迁入日期", kind="date")
    define_fact(
        actor=None,
        key="housing",
        label="住房",
        kind="choice",
        choices=[{"code": "rent", "label": "租房"}, {"code": "own", "label": "自有"}, {"code": "dorm"}],
    )
    define_fact(actor=None, key="postdoc", label="博士后", kind="recognition")
    refresh()


def _population(kfq_firm: Any) -> None:
    month = month_index(ON)
    definitions = {d.key: d for d in FactDefinition.objects.all()}
    degrees = ["bachelor", "master", "doctor", "junior_college", "other"]
    for n in range(30):
        talent = Talent.objects.create(
            name=f"丙{n}",
            gender="F" if n % 2 else "M",
            highest_degree=degrees[n % 5],
            birth_date=years_before(ON, 30 + n % 7) + dt.timedelta(days=n % 3 - 1),  # each side of a birthday
            graduated_on=None if n % 5 == 0 else years_before(ON, n % 4) + dt.timedelta(days=n % 3 - 1),
            owns_home_in_city=(None, True, False)[n % 3],
            contract_term_months=(None, 36, 60, 12)[n % 4],
            employer=kfq_firm if n % 3 else None,
            tags=["returnee"] if n % 4 == 1 else [],
            grade="A" if n % 6 == 0 else "",
        )
        if n % 3:
            ContributionPeriod.objects.create(
                talent=talent,
                first_month=month - 3 * n,
                last_month=None if n % 2 else month - 1,
                source="staff",
            )
        if n % 7 == 0:  # a period recorded that has not begun: months known, none paid yet
            ContributionPeriod.objects.create(
                talent=talent, first_month=month + 2, last_month=None, source="staff"
            )
        if n % 4 == 2:
            member = FamilyMember.objects.create(talent=talent, relation="child", name="子")
            ChildBirth.objects.create(
                talent=talent, member=member, birth_date=ON - dt.timedelta(days=200 * n)
            )
        if n % 5 in (1, 2):
            Education.objects.create(
                talent=talent, degree=degrees[n % 5], school="大学", full_time=(n % 2 == 0) if n % 3 else None
            )
        recorded: dict[str, dict[str, Any]] = {
            "spouse_income": {"value_number": 1000 * (n % 8) + 0.5},
            "spouse_moved": {"value_bool": n % 2 == 0},
            "moved_on": {"value_date": ON - dt.timedelta(days=182 + n % 5 - 2)},
            "housing": {"value_choice": ("rent", "own", "dorm", "")[n % 4]},
            "postdoc": {"valid_until": ON - dt.timedelta(days=200) if n % 2 else None},
        }
        for key, value in recorded.items():
            if n % (3 + len(key) % 3) == 0:
                continue  # not recorded: unknown (or never held)
            RecordedValue.objects.create(
                definition=definitions[key],
                talent=talent,
                valid_from=ON - dt.timedelta(days=30 * n + 400),
                source="staff",
                **value,
            )
    number_new()


def test_the_coded_scan_matches_the_database_scan_for_every_operator_and_kind_of_fact(kfq_firm):
    _office_facts()
    _population(kfq_firm)
    clauses = _clauses()
    assert reading(FACTS["tags"]) is None
    assert reading(FACTS["spouse_income"]) is not None
    rules: list[dict[str, Any]] = [{"all": [clause]} for clause in clauses]
    rules += [{"not": clause} for clause in clauses]
    rules += [
        {"any": [clauses[0], clauses[2], {"not": clauses[-1]}]},
        {"all": [clauses[1], {"any": [clauses[3], clauses[-5]]}]},
    ]
    amount = {"kind": "money", "amount": {"per": 1000, "units": "spouse_income"}, "period": "year"}
    policies = [
        Policy(code=f"p{i}", target="talent", rule=rule, benefit={"kind": "entitlement", "text": "—"})
        for i, rule in enumerate(rules)
    ]
    by_degree = {"by": "highest_degree", "table": {"doctor": 2000, "master": 1000.5}, "floor": 1}
    by_housing = {"by": "housing", "table": {"rent": 800, "dorm": 100}, "default": 50, "cap": 500}
    per_child = {"per": 500, "units": "children_under_6", "max_units": 1, "cap": 400, "floor": 10}
    benefits = [
        amount,
        {"kind": "money", "amount": by_degree, "period": "month", "months": 24},
        {"kind": "money", "amount": by_housing, "period": "tranches", "shares": [33, 67]},
        {"kind": "money", "amount": per_child, "period": "month", "months": 5},
        {"kind": "money", "amount": {"per": 1, "units": "spouse_income"}, "period": "year"},
    ]
    policies += [
        Policy(code=f"paid{i}", target="talent", rule=rules[i], benefit=benefit)
        for i, benefit in enumerate(benefits)
    ]
    assert len(policies) > BITS  # two mask columns
    coded = _scan(SUBJECTS["talent"], policies, {}, ON)
    reference = _scan_in_database(SUBJECTS["talent"], policies, {}, ON)
    coded, reference = coded[np.argsort(coded[:, 0])], reference[np.argsort(reference[:, 0])]
    assert coded.shape == reference.shape
    for i, policy in enumerate(policies):
        column, bit = 1 + i // BITS, i % BITS
        mine, theirs = (coded[:, column] >> bit) & 1, (reference[:, column] >> bit) & 1
        assert np.array_equal(mine, theirs), policy.rule
    matched = [int(((reference[:, 1 + i // BITS] >> (i % BITS)) & 1).sum()) for i in range(len(policies))]
    assert sum(0 < m < 30 for m in matched) > len(policies) // 2  # the clauses select, not all or none
    assert np.array_equal(coded, reference)  # amounts and verified facts too
    plan = vector.plan(SUBJECTS["talent"], policies, {}, ON)
    assert len(plan.in_numpy) == len(benefits)  # every amount here decided in numpy
    assert len(plan.by_rows) == 12  # children, social insurance, full-time, the office's: set-based
    # A few subjects (a re-evaluation) read those facts subject by subject: the same matrix.
    some = list(Talent.objects.order_by("pk").values_list("pk", flat=True))[::4]
    few = _scan(SUBJECTS["talent"], policies, {}, ON, some)
    assert not vector.plan(SUBJECTS["talent"], policies, {}, ON, some).by_rows
    assert np.array_equal(few[np.argsort(few[:, 0])], coded[np.isin(coded[:, 0], few[:, 0])])
    assert len(few) == len(some)


def test_an_enterprise_s_hires_are_counted_for_everyone_at_once_as_per_enterprise(kfq_firm):
    """上一年度新引进的全日制硕士及以上、连续缴纳社保满 6 个月: in a sweep one GROUP BY over the talents who
    arrived (``Fact.read_rows``), in a re-evaluation a count per enterprise; the same numbers, and an
    enterprise nobody joined counts 0 (known)."""
    month = month_index(ON)
    firms = [kfq_firm, *(EnterpriseFactory.create() for _ in range(3))]
    for n in range(24):
        talent = Talent.objects.create(
            name=f"丁{n}",
            birth_date=dt.date(1990, 1, 1),
            highest_degree=("master", "doctor", "bachelor")[n % 3],
            arrived_on=dt.date(ON.year - 1, 1 + n % 12, 10) if n % 4 else dt.date(ON.year, 1, 5),
            employer=firms[n % 3],  # the last firm hires nobody
        )
        Education.objects.create(
            talent=talent, degree=talent.highest_degree, school="大学", full_time=n % 5 != 0
        )
        ContributionPeriod.objects.create(
            talent=talent, first_month=month - (2 if n % 7 == 0 else 12), last_month=None, source="staff"
        )
    number_new()
    # four each at the first two firms (an arrival this year, a part-time degree, two months of social
    # insurance and a bachelor are not counted), none at the others
    clauses = [{"fact": "qualified_hires_last_year", "op": op, "value": 4} for op in (">=", "<", "==")]
    clauses.append({"fact": "qualified_hires_last_year", "op": "==", "value": 0})
    policies = [
        Policy(code=f"e{i}", target="enterprise", rule=rule, benefit={"kind": "entitlement", "text": "—"})
        for i, rule in enumerate(clauses)
    ]
    assert len(vector.plan(SUBJECTS["enterprise"], policies, {}, ON).by_rows) == 1
    coded = _scan(SUBJECTS["enterprise"], policies, {}, ON)
    reference = _scan_in_database(SUBJECTS["enterprise"], policies, {}, ON)
    coded, reference = coded[np.argsort(coded[:, 0])], reference[np.argsort(reference[:, 0])]
    assert np.array_equal(coded, reference)
    matched = [int(((reference[:, 1] >> i) & 1).sum()) for i in range(len(policies))]
    assert matched == [2, 2, 2, 2]
    few = _scan(SUBJECTS["enterprise"], policies, {}, ON, [firms[0].pk, firms[3].pk])
    assert np.array_equal(few[np.argsort(few[:, 0])], coded[np.isin(coded[:, 0], few[:, 0])])


def test_the_shares_of_certified_key_people_are_added_for_everyone_at_once_as_per_enterprise(kfq_firm):
    """经认定的人才合计持股: in a sweep one GROUP BY over the key people (``Fact.read_rows``), in a
    re-evaluation a sum per enterprise; the same values: certified shares added, an uncertified person's
    share counted as 0, an enterprise whose shares are not recorded (or has no key person) unknown."""
    firms = [kfq_firm, *(EnterpriseFactory.create() for _ in range(4))]
    people = [
        Talent.objects.create(name=f"戊{n}", birth_date=dt.date(1985, 1, 1), grade=("A", "C", "", "E")[n % 4])
        for n in range(8)
    ]
    shares = [  # (firm, person, share)
        (0, 0, "30.50"),  # A
        (0, 1, "12.25"),  # C: 42.75 in all
        (0, 2, "20.00"),  # not certified
        (1, 2, "51.00"),  # not certified only: 0
        (1, 3, "10.00"),
        (2, 4, None),  # a key person whose share is not recorded: unknown
        (3, 5, "8.00"),  # C: 8
    ]  # firms[4]: no key person, unknown
    for firm, person, share in shares:
        KeyPerson.objects.create(enterprise=firms[firm], talent=people[person], role="创始人", share=share)
    number_new()
    clauses: list[dict[str, Any]] = [
        {"fact": "certified_talent_share", "op": op, "value": value}
        for op, value in ((">=", 40), ("<", 10), ("==", 0), ("!=", 8), ("between", [5, 50]))
    ]
    policies = [
        Policy(
            code=f"s{i}",
            target="enterprise",
            rule={"all": [clause]},
            benefit={"kind": "entitlement", "text": "—"},
        )
        for i, clause in enumerate(clauses)
    ]
    assert [c.name for c in vector.plan(SUBJECTS["enterprise"], policies, {}, ON).by_rows] == ["v0"]
    coded = _scan(SUBJECTS["enterprise"], policies, {}, ON)
    reference = _scan_in_database(SUBJECTS["enterprise"], policies, {}, ON)
    coded, reference = coded[np.argsort(coded[:, 0])], reference[np.argsort(reference[:, 0])]
    assert np.array_equal(coded, reference)
    matched = [int(((reference[:, 1] >> i) & 1).sum()) for i in range(len(policies))]
    assert matched == [1, 2, 1, 2, 2]  # ≥40: firm 0; <10: firms 1, 3; ==0: firm 1; ≠8: 0, 1; 5–50: 0, 3
    few = _scan(SUBJECTS["enterprise"], policies, {}, ON, [firms[0].pk, firms[4].pk])
    assert np.array_equal(few[np.argsort(few[:, 0])], coded[np.isin(coded[:, 0], few[:, 0])])
