"""The seeded library: every policy's YAML test cases pass; importing is authoritative-database safe; a broken
rule is refused with its clause path and reason; 就高不重复 within exclusion groups."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from talentcloud.policies.engine import ELIGIBLE, EXCLUDED, calculate_for_facts, policy_problems
from talentcloud.policies.loader import (
    LIBRARY,
    PolicyFileError,
    import_policy,
    library_install,
    read_file,
    run_tests,
)
from talentcloud.policies.models import Policy
from talentcloud.rules.logic import validate
from talentcloud.servicehall.seed import catalogue_install
from talentcloud.web.tests.pagetext import SYMBOLS

pytestmark = pytest.mark.django_db


@pytest.fixture
def library(units):
    catalogue_install()
    return library_install()


def test_every_seeded_policy_passes_its_own_tests(library):
    files = [p for p in LIBRARY.glob("*.yaml") if p.name != "parameters.yaml"]
    assert len(files) >= 15
    results = [r for path in files for r in run_tests(read_file(path))]
    assert len(results) >= 30
    assert [r for r in results if not r.ok] == []
    call_command("policies", "test")


def test_the_command_fails_on_a_failing_case(library, tmp_path):
    data = (
        (LIBRARY / "school-place.yaml")
        .read_text(encoding="utf-8")
        .replace("status: eligible", "status: not_eligible", 1)
    )
    (tmp_path / "school-place.yaml").write_text(data, encoding="utf-8")
    with pytest.raises(CommandError, match="1 policy test cases fail"):
        call_command("policies", "test", str(tmp_path))


def test_import_never_overwrites_the_database_and_adds_newer_versions(library):
    assert {o.action for o in library} == {"created"}
    again = library_install()
    assert {o.action for o in again} == {"kept"}
    data = read_file(LIBRARY / "recuperation.yaml")
    data["version"] = 2
    data["rule"]["all"][1]["value"] = 45
    assert import_policy(data, publish=True).action == "new_version"
    versions = dict(Policy.objects.filter(code="recuperation").values_list("version", "status"))
    assert versions == {1: "retired", 2: "published"}
    data["version"] = 1
    assert import_policy(data).action == "kept"


def test_broken_rules_are_refused_with_path_and_reason():
    rule = {
        "all": [
            {"fact": "age", "op": "<=", "value": 35},
            {
                "any": [
                    {"fact": "shoe_size", "op": "==", "value": 42},
                    {"fact": "grade", "op": "<", "value": "A"},
                ]
            },
            {"fact": "age", "op": "<=", "value": "thirty"},
            {"fact": "age", "op": "<=", "value": {"param": "no_such"}},
        ]
    }
    errors = {e.path: e.reason for e in validate(rule, {})}
    assert set(errors) == {"all[1].any[0]", "all[1].any[1]", "all[2]", "all[3]"}
    assert "shoe_size" in errors["all[1].any[0]"]
    assert "<" in errors["all[1].any[1]"]
    assert "no_such" in errors["all[3]"]
    benefit_errors = policy_problems(
        {"fact": "age", "op": ">=", "value": 18}, {"kind": "money", "amount": -5}, {}
    )
    assert [e.path for e in benefit_errors] == ["benefit.amount"]
    with pytest.raises(PolicyFileError, match="all\\[1\\]"):
        import_policy(
            {
                "code": "broken",
                "effective_from": dt.date(2026, 1, 1),
                "rule": rule,
                "benefit": {"kind": "entitlement", "text": "x"},
                "title": "x",
                "issuer": "x",
            }
        )


def test_only_the_best_of_an_exclusion_group_is_granted(library):
    facts = {
        "grade": "C",
        "employed_in_district": True,
        "degree_rank": 4,
        "highest_degree": "doctor",
        "owns_home_in_city": False,
        "graduated_on": dt.date(2025, 6, 30),
        "social_insurance_since": dt.date(2025, 8, 1),
    }
    verdicts = {v.policy.code: v for v in calculate_for_facts(facts, on=dt.date(2026, 6, 1))}
    housing = {
        code: verdicts[code]
        for code in ("housing-purchase-subsidy", "talent-apartment", "graduate-rental-subsidy")
    }
    assert (
        housing["housing-purchase-subsidy"].status == ELIGIBLE
    )  # 800,000 yuan once: the highest yearly amount
    best = housing["housing-purchase-subsidy"].amount
    assert best is not None
    assert best.yearly == Decimal("800000.00")
    assert housing["talent-apartment"].status == EXCLUDED
    assert housing["graduate-rental-subsidy"].status == EXCLUDED
    winner = housing["talent-apartment"].excluded_by
    assert winner is not None
    assert winner.code == "housing-purchase-subsidy"
    assert "就高不重复" in housing["talent-apartment"].notes[0]


def test_reasons_name_what_failed_and_what_is_missing(library):
    verdicts = {
        v.policy.code: v for v in calculate_for_facts({"grade": "E", "age": 30}, on=dt.date(2026, 6, 1))
    }
    recuperation = verdicts["recuperation"]
    assert recuperation.status == "not_eligible"
    assert any("认定类别" in r or "certification grade" in r for r in recuperation.reasons)
    # A set of grades reads as words ("A 类、B 类或 C 类"), never as "∈ {…}".
    grade = next(r for r in recuperation.reasons if "认定类别" in r)
    assert "或" in grade
    assert "要求不低于 40 岁" in next(r for r in recuperation.reasons if "年龄" in r)
    # No comparison symbol in any reason of any policy ("≥ 40", "∈ {…}", "= 是").
    shown = [r for v in verdicts.values() for r in v.reasons]
    assert [r for r in shown if any(symbol in r for symbol in SYMBOLS)] == []
    rental = verdicts["graduate-rental-subsidy"]
    assert rental.status in ("missing", "not_eligible")


def test_each_policy_applies_through_a_service_for_its_own_kind_of_applicant(library):
    """The calculator's "apply in the service hall" opens a service the policy's applicant may use: a
    talent's policy never sends them to an enterprise-only service (先锋计划创业资助 once did)."""
    linked = Policy.objects.filter(status="published", service__isnull=False).select_related("service")
    assert linked.exists()
    for policy in linked:
        assert policy.service is not None
        assert policy.service.for_enterprises == (policy.target == "enterprise"), policy.code
    pioneer = Policy.objects.get(code="pioneer-startup-grant", status="published")
    assert pioneer.service is not None
    assert pioneer.service.code == "pioneer-startup-grant"
    assert pioneer.service.name == "先锋计划创业资助申领"
