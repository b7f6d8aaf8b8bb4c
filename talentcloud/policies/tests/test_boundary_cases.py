"""The hand-computed boundary cases (``boundary_cases.yaml``, written before the shipped policies were encoded
with ADR 0017's readings) against the shipped policies: a talent's facts are read from the archive's columns
by the facts' own getters, as the calculator reads them."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
import yaml

from talentcloud.policies.engine import calculate_for_facts
from talentcloud.policies.loader import FIELDS, LIBRARY, parameters_for_tests, read_file
from talentcloud.policies.models import Policy
from talentcloud.rules.facts import facts_for
from talentcloud.rules.logic import fact_values

pytestmark = pytest.mark.django_db

CASES = yaml.safe_load((Path(__file__).parent / "boundary_cases.yaml").read_text(encoding="utf-8"))
ARCHIVE: dict[str, Any] = {  # a talent's columns, blank unless the case gives them
    "birth_date": None,
    "graduated_on": None,
    "social_insurance_since": None,
    "arrived_on": None,
    "gender": "",
    "highest_degree": "",
    "grade": "",
    "category": "",
    "tier": "",
    "tags": [],
    "owns_home_in_city": None,
    "contract_term_months": None,
}


def _policy(code: str) -> Policy:
    data = read_file(LIBRARY / f"{code}.yaml")
    return Policy(code=code, **{k: data[k] for k in FIELDS if k in data and k != "yearly_budget"})


def _talent_facts(archive: dict[str, Any], on: Any) -> dict[str, Any]:
    columns = {**ARCHIVE, **{k: v for k, v in archive.items() if k != "employed"}}
    talent = SimpleNamespace(**columns, employer_id=1 if archive.get("employed") else None)
    return fact_values(talent, set(facts_for("talent")) - {"tags"}, on)


@pytest.mark.parametrize("case", CASES, ids=[f"{c['policy']}: {c['name']}" for c in CASES])
def test_boundary_case(case):
    policy = _policy(case["policy"])
    on = case["as_of"]
    facts = _talent_facts(case["talent"], on) if "talent" in case else dict(case["facts"])
    [verdict] = calculate_for_facts(facts, on=on, policies=[policy], params=parameters_for_tests(on))
    expect = case["expect"]
    assert verdict.status == expect["status"], (case["why"], verdict.reasons)
    if "amount" in expect:
        assert verdict.amount is not None, case["why"]
        assert verdict.amount.per_period == Decimal(expect["amount"]), case["why"]
    if "failed" in expect:
        assert sorted({c.fact for c in verdict.outcome.failed}) == sorted(expect["failed"]), case["why"]
    if "missing" in expect:
        assert sorted({c.fact for c in verdict.outcome.missing}) == sorted(expect["missing"]), case["why"]
