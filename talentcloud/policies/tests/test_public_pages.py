"""The public page of every shipped policy and every service's guide speaks plain words: amounts in 元 / 万元
(yuan in English), no comparison symbols, no internal codes (policy, parameter, exclusion group, fact,
service or material codes) — read as an anonymous visitor, in Chinese and in English."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

from talentcloud.policies import explain
from talentcloud.policies.loader import library_install
from talentcloud.policies.models import Parameter, Policy, PolicyStatus
from talentcloud.rules.facts import FACTS
from talentcloud.servicehall.models import Service
from talentcloud.servicehall.seed import catalogue_install
from talentcloud.web.tests.pagetext import SYMBOLS, codes_shown, main_text

pytestmark = pytest.mark.django_db
LANGUAGES = ("zh-hans", "en")


@pytest.fixture
def shipped(units):
    catalogue_install()
    library_install()
    policies = list(Policy.objects.filter(status=PolicyStatus.PUBLISHED))
    services = list(Service.objects.filter(is_active=True))
    assert len(policies) >= 17
    assert len(services) >= 20
    return policies, services


def internal_codes(policies, services) -> set[str]:
    codes = {p.code for p in policies} | {s.code for s in services}
    codes |= set(Parameter.objects.values_list("name", flat=True))
    codes |= {p.exclusion_group for p in policies if p.exclusion_group}
    codes |= set(FACTS)
    for service in services:
        codes |= {m["key"] for m in service.current.materials} | {
            f["key"] for f in service.current.form_fields
        }
    return codes


def visitor(language: str) -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def shown_codes(text: str, codes: set[str], language: str) -> list[str]:
    # In English, codes that are plain English words ("housing", "age") are words of the page too; the
    # ones with - or _ are not.
    if language == "en":
        codes = {c for c in codes if "-" in c or "_" in c}
    return codes_shown(text, codes)


def expected_amounts(benefit: dict, language: str) -> list[str]:
    amount = benefit["amount"]
    if isinstance(amount, dict) and "table" in amount:
        values = list(amount["table"].values())
    elif isinstance(amount, dict):  # a formula: its bounds are said in money
        values = [amount[bound] for bound in ("floor", "cap") if bound in amount]
    else:
        values = [amount]
    with translation.override(language):
        return [explain.money(Decimal(str(v))) for v in values]


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_policy_page_shows_amounts_in_yuan_and_no_symbols_or_codes(shipped, language):
    policies, services = shipped
    codes = internal_codes(policies, services)
    client = visitor(language)
    for policy in policies:
        response = client.get(f"/policies/{policy.code}/")
        assert response.status_code == 200, policy.code
        text = main_text(response.content.decode())
        assert [s for s in SYMBOLS if s in text] == [], (policy.code, text)
        assert shown_codes(text, codes, language) == [], (policy.code, text)
        if policy.benefit["kind"] == "money":
            for amount in expected_amounts(policy.benefit, language):
                assert amount in text, (policy.code, amount, text)
            assert ("元" in text) if language == "zh-hans" else ("yuan" in text)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_service_guide_shows_no_symbols_or_codes_and_its_policies_amounts(shipped, language):
    policies, services = shipped
    codes = internal_codes(policies, services)
    client = visitor(language)
    for service in services:
        for url in (f"/hall/guide/{service.code}/", f"/hall/services/{service.code}/"):
            response = client.get(url)
            assert response.status_code == 200, url
            text = main_text(response.content.decode())
            assert [s for s in SYMBOLS if s in text] == [], (url, text)
            assert shown_codes(text, codes, language) == [], (url, text)
            for policy in (p for p in policies if p.service_id == service.pk):
                assert str(policy.title if language == "zh-hans" else policy.title_en) in text
                if policy.benefit["kind"] == "money":
                    for amount in expected_amounts(policy.benefit, language):
                        assert amount in text, (url, amount)


def test_amounts_read_in_wan_yuan_by_grade(shipped):
    text = main_text(Client().get("/policies/housing-purchase-subsidy/").content.decode())
    for grade, amount in (
        ("A 类", "300 万元"),
        ("B 类", "150 万元"),
        ("C 类", "80 万元"),
        ("E 类", "15 万元"),
    ):
        assert f"{grade} {amount}" in text
    rental = main_text(Client().get("/policies/graduate-rental-subsidy/").content.decode())
    assert "本科 600 元/月" in rental
    assert "最长 36 个月" in rental


def test_conditions_read_as_sentences(shipped):
    text = main_text(Client().get("/policies/graduate-rental-subsidy/").content.decode())
    assert "最高学历为本科及以上" in text
    assert "毕业 5 年以内（含届满之日）" in text  # the parameter's value today, not its name
    assert "在本市无自有住房" in text
    young = main_text(Client().get("/policies/young-talent-allowance/").content.decode())
    assert "年龄不超过 35 周岁" in young
    health = main_text(Client().get("/policies/annual-health-check/").content.decode())
    assert "人才认定类别为 A 类、B 类、C 类、D 类或 E 类" in health
    gazelle = main_text(Client().get("/policies/gazelle-growth-reward/").content.decode())
    assert "上年营业收入不少于 500 万元" in gazelle
    assert "成立 10 年以内（含届满之日）" in gazelle  # 以内 includes the anniversary (ADR 0017)
    assert "成立届满 1 年（含届满之日）" in gazelle


def test_exclusion_group_named_by_its_policies_and_the_service_linked(shipped):
    text = main_text(Client().get("/policies/housing-purchase-subsidy/").content.decode())
    partners = Policy.objects.filter(exclusion_group="housing", status=PolicyStatus.PUBLISHED).exclude(
        code="housing-purchase-subsidy"
    )
    assert partners.count() == 2  # the talent apartment and the graduate rent subsidy
    for partner in partners:
        assert partner.title in text
    assert "青年人才首次购房补贴" in text  # P2 names it: 与人才购房补贴就高不重复 (a pair, ADR 0022)
    listed = text.split("只享受金额最高的一项", 1)[1].split("。", 1)[0]
    assert "人才子女托育补贴" not in listed  # a policy of no shared group is no partner
    p2 = main_text(Client().get("/policies/young-first-home-subsidy/").content.decode())
    assert "人才购房补贴" in p2
    assert "人才公寓" not in p2  # the pair only, not the housing group
    body = Client().get("/policies/housing-purchase-subsidy/").content.decode()
    assert "/hall/guide/housing-purchase-subsidy/" in body
    assert "购房合同" in text  # the policy's materials


def test_a_policy_without_a_service_says_no_application_is_needed(shipped):
    body = Client().get("/policies/elite-skills-subsidy/").content.decode()
    assert 'data-testid="no-application"' in body


def test_every_clause_form_reads_without_symbols():
    """Each operator of each kind of fact, in both languages."""
    cases = [("age", op, 35) for op in ("==", "!=", "<", "<=", ">", ">=")] + [
        ("age", "between", [30, 40]),
        ("age", "in", [30, 31]),
        ("age", "not_in", [30]),
        ("degree_rank", ">", 2),
        ("degree_rank", "<", 3),
        ("degree_rank", "between", [2, 4]),
        ("degree_rank", "in", [3, 4]),
        ("degree_rank", "!=", 1),
        ("grade", "not_in", ["F"]),
        ("grade", "!=", "A"),
        ("owns_home_in_city", "!=", True),
        ("in_park", "==", True),
        ("revenue_growth", ">=", 20),
        ("social_insurance_years", ">=", 0),
    ]
    for language in LANGUAGES:
        with translation.override(language):
            for fact, op, value in cases:
                text = explain.clause_text(fact, op, value)
                assert text, (fact, op)
                assert not [s for s in SYMBOLS if s in text], (fact, op, text)
                assert fact not in text or (language == "en" and "_" not in fact), text
    with translation.override("zh-hans"):
        assert explain.clause_text("degree_rank", ">", 2) == "最高学历为硕士及以上"
        assert explain.clause_text("age", "between", [30, 40]) == "年龄在 30 周岁至 40 周岁之间"
        lines = explain.conditions(
            {
                "any": [
                    {"fact": "grade", "op": "==", "value": "A"},
                    {"not": {"fact": "in_park", "op": "==", "value": True}},
                ]
            },
            {},
        )
        assert [(line.depth, line.text) for line in lines] == [
            (0, "满足下列之一："),
            (1, "人才认定类别为 A 类"),
            (1, "不属于以下情形："),
            (2, "注册在区内园区"),
        ]


@pytest.mark.parametrize(
    ("amount", "zh", "en"),
    [
        (600, "600 元", "600 yuan"),
        (8000, "8000 元", "8,000 yuan"),
        (10000, "1 万元", "10,000 yuan"),
        (15000, "1.5 万元", "15,000 yuan"),
        (3000000, "300 万元", "3,000,000 yuan"),
        (Decimal("1234.5"), "1234.50 元", "1,234.50 yuan"),
    ],
)
def test_money_in_yuan_and_wan_yuan(amount, zh, en):
    with translation.override("zh-hans"):
        assert explain.money(amount) == zh
    with translation.override("en"):
        assert explain.money(amount) == en
