"""The sweep's scan reads a figure once per person and compares its clauses on that column (ADR 0031): for
every operator, unknown values included, each policy's match is what the rule's own SQL form (``to_sql``)
selects."""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pytest
from django.db.models import BooleanField, ExpressionWrapper

from talentcloud.policies.models import Policy
from talentcloud.policies.sweep import BITS, SUBJECTS, _scan, number_new
from talentcloud.rules.facts import with_sql_facts
from talentcloud.rules.logic import to_sql
from talentcloud.talents.models import ChildBirth, ContributionPeriod, FamilyMember, Talent, month_index

pytestmark = pytest.mark.django_db
ON = dt.date(2026, 6, 1)
CLAUSES: list[dict[str, Any]] = [
    {"fact": "si_continuous_months", "op": ">=", "value": 6},
    {"fact": "si_continuous_months", "op": ">", "value": 6},
    {"fact": "si_continuous_months", "op": "<", "value": 12},
    {"fact": "si_continuous_months", "op": "<=", "value": 12},
    {"fact": "si_continuous_months", "op": "==", "value": 0},
    {"fact": "si_continuous_months", "op": "!=", "value": 0},
    {"fact": "si_continuous_months", "op": "between", "value": [3, 24]},
    {"fact": "children_under_3", "op": ">=", "value": 1},
    {"fact": "children_under_3", "op": "==", "value": 2},
    {"fact": "contract_term_months", "op": ">=", "value": 36},
]


def test_each_clause_on_a_value_read_once_selects_what_its_sql_form_selects(kfq_firm):
    base = {"gender": "F", "birth_date": dt.date(1993, 1, 1), "category": "young", "employer": kfq_firm}
    month = month_index(ON)
    # (continuous social insurance runs, children's ages in days, contract term)
    people: list[tuple[list[tuple[int, int | None]], list[int], int | None]] = [
        ([], [], None),  # nothing recorded: unknown months, no children
        ([(month - 20, None)], [100], 36),
        ([(month - 5, None)], [100, 400], 24),
        ([(month - 30, month - 2)], [2000], None),  # a run that ended: 0 months now
        ([(month - 11, None)], [], 60),
    ]
    for n, (runs, children, term) in enumerate(people):
        talent = Talent.objects.create(name=f"戊{n}", contract_term_months=term, **base)
        for first, last in runs:
            ContributionPeriod.objects.create(
                talent=talent, first_month=first, last_month=last, source="staff"
            )
        for days in children:
            member = FamilyMember.objects.create(talent=talent, relation="child", name="子")
            ChildBirth.objects.create(talent=talent, member=member, birth_date=ON - dt.timedelta(days=days))
    number_new()
    rules: list[dict[str, Any]] = [{"all": [clause]} for clause in CLAUSES]
    rules += [{"not": clause} for clause in CLAUSES]
    rules += [{"any": [CLAUSES[0], CLAUSES[7]]}, {"all": [CLAUSES[2], {"not": CLAUSES[8]}]}]
    entitlement = {"kind": "entitlement", "text": "—"}
    policies = [
        Policy(code=f"p{i}", target="talent", rule=rule, benefit=entitlement) for i, rule in enumerate(rules)
    ]
    matrix = _scan(SUBJECTS["talent"], policies, {}, ON)
    numbers = dict(Talent.objects.values_list("sweep_number__number", "pk"))
    for i, policy in enumerate(policies):
        bits = (matrix[:, 1 + i // BITS] >> (i % BITS)) & 1
        scanned = {numbers[int(n)] for n in matrix[np.flatnonzero(bits), 0]}
        matched = with_sql_facts(Talent.objects.all(), ON).filter(
            ExpressionWrapper(to_sql(policy.rule, {}, ON), output_field=BooleanField())
        )
        assert scanned == set(matched.values_list("pk", flat=True)), policy.rule
