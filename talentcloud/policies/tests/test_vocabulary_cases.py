"""The ten demo texts P1–P10 against their hand-computed cases (``vocabulary_cases.yaml``, written before the
texts were encoded): each case's facts judged by the library's encoding, alone or with the other policies of
its exclusion group (就高不重复)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from talentcloud.policies.engine import calculate_for_facts
from talentcloud.policies.loader import FIELDS, LIBRARY, office_facts_file, parameters_for_tests, read_file
from talentcloud.policies.models import Policy
from talentcloud.policies.office_facts import definitions_install, refresh

pytestmark = pytest.mark.django_db

CASES = yaml.safe_load((Path(__file__).parent / "vocabulary_cases.yaml").read_text(encoding="utf-8"))
TEXTS = {  # the ten texts and the library policies that encode them
    "P1": ["graduate-living-allowance"],
    "P2": ["young-first-home-subsidy"],
    "P3": ["talent-enterprise-rd-reward"],
    "P4": ["hightech-recognition-reward"],
    "P5": ["specialized-enterprise-reward"],
    "P6": ["talent-childcare-subsidy"],
    "P7": ["enterprise-hiring-reward"],
    "P8": ["gazelle-enterprise-growth"],
    "P9": ["spouse-placement", "spouse-living-allowance"],
    "P10": ["postdoc-living-allowance", "postdoc-stay-reward"],
}


@pytest.fixture(autouse=True)
def office_facts(db):
    definitions_install(office_facts_file())
    refresh()


def _policy(code: str) -> Policy:
    data = read_file(LIBRARY / f"{code}.yaml")
    return Policy(code=code, **{k: data[k] for k in FIELDS if k in data and k != "yearly_budget"})


def _name(case):
    return f"{case.get('policy') or '+'.join(case['group'])}: {case['name']}"


@pytest.mark.parametrize("case", CASES, ids=[_name(c) for c in CASES])
def test_hand_computed_case(case):
    on = case["as_of"]
    codes = case.get("group") or [case["policy"]]
    verdicts = calculate_for_facts(
        dict(case["facts"]), on=on, policies=[_policy(c) for c in codes], params=parameters_for_tests(on)
    )
    by_code = {v.policy.code: v for v in verdicts}
    expect = case["expect"]
    if "group" in case:
        assert {code: by_code[code].status for code in codes} == expect, case["why"]
        return
    verdict = by_code[case["policy"]]
    assert verdict.status == expect["status"], (case["why"], [c.reason() for c in verdict.outcome.decisive])
    if "amount" in expect:
        assert verdict.amount is not None, case["why"]
        assert verdict.amount.per_period == Decimal(expect["amount"]), case["why"]
    if "failed" in expect:
        assert sorted({c.fact for c in verdict.outcome.failed}) == sorted(expect["failed"]), case["why"]
    if "missing" in expect:
        assert sorted({c.fact for c in verdict.outcome.missing}) == sorted(expect["missing"]), case["why"]


def test_every_text_has_cases_and_an_encoding():
    covered = {c.get("policy") for c in CASES} | {code for c in CASES for code in c.get("group") or []}
    for codes in TEXTS.values():
        for code in codes:
            assert (LIBRARY / f"{code}.yaml").exists(), code
            assert code in covered, code
