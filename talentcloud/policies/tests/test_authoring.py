"""Writing policies: the form-based rule builder (checked as it is built), drafts as new versions, publishing
(refused while test cases fail), the simulation (政策沙盘) and the same refusals through the API."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from talentcloud.audit.models import AuditEvent
from talentcloud.policies import editor
from talentcloud.policies.engine import calculate_for_facts
from talentcloud.policies.loader import library_install
from talentcloud.policies.models import Parameter, Policy, PolicyStatus, parameters_on
from talentcloud.policies.tests.factories import PolicyFactory
from talentcloud.servicehall.seed import catalogue_install
from talentcloud.talents.models import Talent

pytestmark = pytest.mark.django_db

NEW_POLICY = {
    "code": "night-shift-allowance",
    "title": "夜班人才津贴",
    "title_en": "Night-shift allowance",
    "issuer": "江宁区人社局",
    "effective_from": "2026-01-01",
    "group_priority": "0",
    "on_match": "notify",
    "target": "talent",
    "benefit-kind": "money",
    "benefit-amount": "500",
    "benefit-period": "month",
    "benefit-months": "12",
    "r.kind": "all",
    "r.0.kind": "clause",
    "r.0.fact": "age",
    "r.0.op": "<=",
    "r.0.value": "40",
    "r.1.kind": "clause",
    "r.1.fact": "highest_degree",
    "r.1.op": "in",
    "r.1.values": ["master", "doctor"],
}


@pytest.fixture
def office(units, make_user, login):
    catalogue_install()
    library_install()
    return login(make_user("talent-office"))


@pytest.fixture
def head(units, make_user, login):
    """The second person: the office's head, who publishes what a colleague drafted."""
    return login(make_user("talent-office-head"))


def test_office_builds_a_rule_in_the_form_and_saves_a_draft(office):
    response = office.post("/policies/manage/new/", {**NEW_POLICY, "action": "save"})
    assert response.status_code == 302, response.content.decode()[:2000]
    policy = Policy.objects.get(code="night-shift-allowance")
    assert policy.status == PolicyStatus.DRAFT
    assert policy.version == 1
    assert policy.rule == {
        "all": [
            {"fact": "age", "op": "<=", "value": 40},
            {"fact": "highest_degree", "op": "in", "value": ["master", "doctor"]},
        ]
    }
    assert policy.benefit == {"kind": "money", "amount": 500, "period": "month", "months": 12}
    assert AuditEvent.objects.filter(action="policy.create", object_id=str(policy.pk)).exists()
    # The editor shows it again as the same rows.
    page = office.get("/policies/manage/night-shift-allowance/").content.decode()
    assert 'name="r.1.values" value="doctor" id="c-r.1-doctor" checked' in page
    assert "The rule is complete and consistent." in page or "规则完整" in page


@pytest.mark.parametrize(
    ("change", "path_row", "message"),
    [
        ({"r.0.value": "四十"}, "row-r.0", ("A whole number.", "请填写整数")),
        ({"r.0.fact": "shoe_size"}, "row-r.0", ("Unknown fact", "未知的事实")),
        ({"r.0.op": "in", "r.0.value": "30, x"}, "row-r.0", ("Whole numbers", "整数")),
        ({"r.1.op": ">="}, "row-r.1", ("does not apply", "不适用")),
        ({"r.1.values": []}, "row-r.1", ("Tick at least one", "至少勾选")),
    ],
)
def test_a_broken_rule_is_refused_at_its_row_and_nothing_is_saved(office, change, path_row, message):
    data = {**NEW_POLICY, **change, "action": "save"}
    response = office.post("/policies/manage/new/", data)
    assert response.status_code == 400
    page = response.content.decode()
    row = page.split(f'data-testid="{path_row}"', 1)[1].split("</fieldset>", 1)[0]
    assert 'data-testid="row-error"' in row
    assert any(m in row for m in message), row
    assert not Policy.objects.filter(code="night-shift-allowance").exists()


def test_builder_buttons_add_and_remove_rows_and_check_as_you_go(office):
    added = office.post(
        "/policies/manage/new/", {**NEW_POLICY, "action": "add-group:r"}, headers={"HX-Request": "true"}
    )
    page = added.content.decode()
    assert added.status_code == 200
    assert "<html" not in page
    assert 'data-testid="row-r.2"' in page
    assert 'data-testid="row-r.2.0"' in page
    # The new group's empty condition is flagged right away, at its row.
    assert "row-error" in page.split('data-testid="row-r.2.0"', 1)[1].split("</fieldset>", 1)[0]
    removed = office.post("/policies/manage/new/", {**NEW_POLICY, "action": "remove:r.0"})
    page = removed.content.decode()
    assert 'data-testid="row-r.1"' not in page
    assert 'name="r.0.fact"' in page
    assert 'value="highest_degree" selected' in page
    assert not Policy.objects.filter(code="night-shift-allowance").exists()


def test_none_of_groups_round_trip_through_the_rows():
    rules = [
        {"not": {"fact": "owns_home_in_city", "op": "==", "value": True}},
        {
            "not": {
                "any": [{"fact": "grade", "op": "==", "value": "A"}, {"fact": "age", "op": ">", "value": 60}]
            }
        },
        {
            "any": [
                {"fact": "age", "op": "between", "value": [20, 30]},
                {"fact": "age", "op": "<=", "value": {"param": "young_max_age"}},
            ]
        },
    ]
    for rule in rules:
        rows = editor.rows_from_rule(rule)
        again, problems = editor.check(rows, {"young_max_age": 35})
        assert again == rule
        assert problems == {}


def test_editing_a_published_policy_makes_a_new_version_published_only_when_its_tests_pass(office, head):
    page = office.get("/policies/manage/young-talent-allowance/").content.decode()
    assert 'name="r.0.0.param"' in page  # 不超过 35 周岁 (a parameter), or a doctor 不超过 40 周岁
    assert 'name="r.2.when"' in page
    data = {
        "title": "青年人才生活补贴",
        "issuer": "江宁区人力资源和社会保障局",
        "effective_from": "2024-01-01",
        "exclusion_group": "living",
        "group_priority": "1",
        "yearly_budget": "20000000",
        "on_match": "notify",
        "target": "talent",
        "benefit-kind": "money",
        "benefit-amount_by": "highest_degree",
        "benefit-table_master": "1000",
        "benefit-table_doctor": "2500",
        "benefit-period": "month",
        "benefit-months": "24",
        "r.kind": "all",
        "r.0.kind": "any",
        "r.0.0.kind": "clause",
        "r.0.0.fact": "age",
        "r.0.0.op": "<=",
        "r.0.0.param": "young_max_age",
        "r.0.1.kind": "all",
        "r.0.1.0.kind": "clause",
        "r.0.1.0.fact": "highest_degree",
        "r.0.1.0.op": "==",
        "r.0.1.0.value": "doctor",
        "r.0.1.1.kind": "clause",
        "r.0.1.1.fact": "age",
        "r.0.1.1.op": "<=",
        "r.0.1.1.value": "40",
        "r.1.kind": "clause",
        "r.1.fact": "degree_rank",
        "r.1.op": ">=",
        "r.1.value": "3",
        "r.2.kind": "clause",
        "r.2.fact": "employed_in_district",
        "r.2.op": "==",
        "r.2.value": "true",
        "r.2.when": "continuing",
        "action": "save",
    }
    assert office.post("/policies/manage/young-talent-allowance/", data).status_code == 302
    saved = Policy.objects.get(code="young-talent-allowance", status="draft").rule
    assert saved["all"][2] == {
        "fact": "employed_in_district",
        "op": "==",
        "value": True,
        "when": "continuing",
    }
    versions = dict(Policy.objects.filter(code="young-talent-allowance").values_list("version", "status"))
    assert versions == {1: "published", 2: "draft"}
    # Nothing changes for anyone until it is published: the calculator still names version 1.
    facts = {"age": 30, "degree_rank": 4, "highest_degree": "doctor", "employed_in_district": True}
    [verdict] = [v for v in calculate_for_facts(facts) if v.policy.code == "young-talent-allowance"]
    assert verdict.policy.version == 1
    assert str(verdict.amount and verdict.amount.per_period) == "2000.00"
    # The policy's own test case expects 2000 for a doctor: publishing is refused, with the case named.
    refused = head.post("/policies/manage/young-talent-allowance/publish/", follow=True)
    assert "测试用例“30 岁博士”：金额应为 2,000 元，实际为 2,500 元" in refused.content.decode()
    assert Policy.objects.get(code="young-talent-allowance", status="published").version == 1
    draft = Policy.objects.get(code="young-talent-allowance", status="draft")
    for case in draft.tests:  # every doctor's case now expects 2500
        if case["expect"].get("amount") == 2000:
            case["expect"]["amount"] = 2500
    draft.save()
    # The drafter holds no publish permission; the head publishes.
    assert office.post("/policies/manage/young-talent-allowance/publish/").status_code == 403
    assert head.post("/policies/manage/young-talent-allowance/publish/").status_code == 302
    versions = dict(Policy.objects.filter(code="young-talent-allowance").values_list("version", "status"))
    assert versions == {1: "retired", 2: "published"}
    [verdict] = [v for v in calculate_for_facts(facts) if v.policy.code == "young-talent-allowance"]
    assert verdict.policy.version == 2
    assert str(verdict.amount and verdict.amount.per_period) == "2500.00"
    published = AuditEvent.objects.get(action="policy.publish")
    drafter = Policy.objects.get(code="young-talent-allowance", version=2).drafted_by_id
    assert published.details == {
        "code": "young-talent-allowance",
        "version": 2,
        "supersedes": 1,
        "drafted_by": drafter,
    }
    assert published.actor_id != drafter


def _person(name, birth, degree, firm, **extra):
    return Talent.objects.create(
        name=name,
        gender="F",
        birth_date=birth,
        highest_degree=degree,
        category="young",
        employer=firm,
        **extra,
    )


def test_simulation_shows_who_gains_and_loses_and_the_cost(office, kfq_firm):
    today = dt.date.today()
    _person("四十二岁博士", today.replace(year=today.year - 42, day=1), "doctor", kfq_firm)
    _person("三十岁硕士", today.replace(year=today.year - 30), "master", kfq_firm)
    _person("三十岁本科", today.replace(year=today.year - 30), "bachelor", kfq_firm)
    page = office.get("/policies/manage/young-talent-allowance/simulate/")
    assert page.status_code == 200  # no draft: the published version against itself
    # A draft: age up to 45 (instead of 35, or 40 for a doctor), masters no longer.
    policy = Policy.objects.get(code="young-talent-allowance")
    draft = Policy.objects.create(
        **{
            f.name: getattr(policy, f.name)
            for f in Policy._meta.concrete_fields
            if f.name not in ("id", "version", "status", "rule", "created_at")
        },
        version=2,
        status="draft",
        rule={
            "all": [
                {"fact": "age", "op": "<=", "value": 45},
                {"fact": "degree_rank", "op": ">=", "value": 4},
                {"fact": "employed_in_district", "op": "==", "value": True},
            ]
        },
    )
    result = office.get("/api/v1/policies/drafts/young-talent-allowance/simulation").json()
    assert (result["now"], result["draft"], result["gain"], result["lose"]) == (1, 1, 1, 1)
    assert result["cost_now"] == "12000.00"
    assert result["cost_draft"] == "24000.00"
    degrees = {g["label"]: g for g in result["groups"]["degree"]}
    assert degrees["博士"]["gain"] == 1
    assert degrees["硕士"]["lose"] == 1
    page = office.get("/policies/manage/young-talent-allowance/simulate/").content.decode()
    assert "四十二岁博士" in page.split('data-testid="gainers"')[1].split("</ul>")[0]
    assert "三十岁硕士" in page.split('data-testid="losers"')[1].split("</ul>")[0]
    # Trying a parameter: the published rule with young_max_age 45 instead of 35.
    draft.rule = policy.rule
    draft.save()
    tried = office.get("/api/v1/policies/drafts/young-talent-allowance/simulation?p.young_max_age=45").json()
    assert (tried["gain"], tried["lose"], tried["params"]) == (1, 0, {"young_max_age": 45})
    assert parameters_on(today)["young_max_age"] == 35  # nothing was changed
    bad = office.get("/policies/manage/young-talent-allowance/simulate/?p.young_max_age=forty")
    assert bad.status_code == 400


def test_the_api_refuses_a_broken_rule_with_its_clause_path(office, head):
    broken: dict[str, Any] = {
        "code": "broken-policy",
        "title": "坏规则",
        "issuer": "人才办",
        "effective_from": "2026-01-01",
        "rule": {
            "all": [
                {"fact": "age", "op": "<=", "value": 35},
                {"any": [{"fact": "height", "op": ">", "value": 1}]},
            ]
        },
        "benefit": {"kind": "money", "amount": 100, "period": "bogus"},
    }
    response = office.post("/api/v1/policies/drafts", broken, content_type="application/json")
    assert response.status_code == 422
    fields = response.json()["fields"]
    assert set(fields) == {"all[1].any[0]", "benefit.period"}
    assert "height" in fields["all[1].any[0]"][0]
    assert not Policy.objects.filter(code="broken-policy").exists()
    check = office.post(
        "/api/v1/policies/check",
        {
            "rule": {"fact": "gender", "op": "<", "value": "F"},
            "benefit": {"kind": "entitlement", "text": "x"},
        },
        content_type="application/json",
    ).json()
    assert check["ok"] is False
    assert check["problems"][0]["path"] == "rule"
    fixed = {**broken, "rule": broken["rule"]["all"][0], "benefit": {**broken["benefit"], "period": "year"}}
    created = office.post("/api/v1/policies/drafts", fixed, content_type="application/json")
    assert created.status_code == 201
    assert created.json()["status"] == "draft"
    again = office.post("/api/v1/policies/drafts", fixed, content_type="application/json")
    assert again.status_code == 409
    fixed_put = {k: v for k, v in fixed.items() if k != "code"}
    saved = office.put(
        "/api/v1/policies/drafts/broken-policy",
        {**fixed_put, "title": "好规则"},
        content_type="application/json",
    )
    assert saved.status_code == 200
    assert saved.json()["title"] == "好规则"
    assert office.post("/api/v1/policies/drafts/broken-policy/publish").status_code == 403
    published = head.post("/api/v1/policies/drafts/broken-policy/publish")
    assert published.status_code == 200
    assert published.json()["status"] == "published"
    assert office.get("/api/v1/policies/policy/broken-policy").json()["title"] == "好规则"


def test_only_the_policy_writers_reach_the_editor(units, make_user, login, office):
    park = login(make_user("park-staff", "320115-P-KFQ"))
    assert park.get("/policies/manage/").status_code == 403
    assert park.get("/policies/manage/young-talent-allowance/simulate/").status_code == 403
    assert park.post("/api/v1/policies/drafts/young-talent-allowance/publish").status_code == 403
    listing = office.get("/policies/manage/").content.decode()
    assert 'data-testid="policy-young-talent-allowance"' in listing


def test_a_parameter_value_tried_in_the_simulation_is_adopted_from_a_date(office):

    tried = office.get(
        "/policies/manage/young-talent-allowance/simulate/?p.young_max_age=40"
    ).content.decode()
    assert "/policies/manage/parameters/?name=young_max_age&amp;value=40" in tried
    form = office.get("/policies/manage/parameters/?name=young_max_age&value=40").content.decode()
    assert 'value="40"' in form
    today = dt.date.today()
    later = today + dt.timedelta(days=30)
    past = office.post(
        "/policies/manage/parameters/",
        {
            "name": "young_max_age",
            "value": "40",
            "effective_from": "2020-01-01",
            "source": "宁委人才〔2026〕9号",
        },
    )
    assert past.status_code == 400
    assert Parameter.objects.filter(name="young_max_age").count() == 1
    adopted = office.post(
        "/policies/manage/parameters/",
        {
            "name": "young_max_age",
            "value": "40",
            "effective_from": later.isoformat(),
            "source": "宁委人才〔2026〕9号",
        },
    )
    assert adopted.status_code == 302
    assert parameters_on(today)["young_max_age"] == 35  # in force from the date, not before
    assert parameters_on(later)["young_max_age"] == 40
    assert AuditEvent.objects.filter(action="policy.parameter").count() == 1
    again = office.post(
        "/api/v1/policies/parameters",
        {"name": "young_max_age", "value": 41, "effective_from": later.isoformat(), "source": "x"},
        content_type="application/json",
    )
    assert again.status_code == 422
    assert "effective_from" in again.json()["fields"]
    assert {
        p["value"] for p in office.get("/api/v1/policies/parameters").json() if p["name"] == "young_max_age"
    } == {
        35,
        40,
    }


def test_a_parameter_value_that_would_break_a_rule_is_refused(office):

    PolicyFactory.create(
        code="between-policy",
        status="published",
        title="区间政策",
        issuer="人才办",
        effective_from=dt.date(2026, 1, 1),
        rule={"fact": "age", "op": "between", "value": {"param": "young_max_age"}},  # needs a [low, high]
        benefit={"kind": "entitlement", "text": "x"},
    )
    response = office.post(
        "/api/v1/policies/parameters",
        {"name": "young_max_age", "value": 10, "effective_from": dt.date.today().isoformat(), "source": "x"},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert "between-policy v1" in response.json()["fields"]["value"][0]
    assert not Parameter.objects.filter(value=10).exists()


def test_a_check_sent_by_htmx_never_saves(office):
    """htmx adds the form's last clicked button to a check it sends while the page is being submitted."""
    response = office.post(
        "/policies/manage/new/", {**NEW_POLICY, "action": "save"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert not Policy.objects.filter(code="night-shift-allowance").exists()


def test_a_pair_not_granted_together_is_named_in_the_editor_and_the_api(office):
    """ "与人才购房补贴就高不重复": the draft names the other policy; a code naming no policy, or itself, is
    refused at the field on the page and in the API, and nothing is saved."""
    data = {**NEW_POLICY, "action": "save", "excludes": "housing-purchase-subsidy, no-such-policy"}
    refused = office.post("/policies/manage/new/", data)
    assert refused.status_code == 400
    assert "no-such-policy" in refused.content.decode()
    assert not Policy.objects.filter(code="night-shift-allowance").exists()
    bad = office.post("/policies/manage/new/", {**data, "excludes": "Housing Purchase"})
    assert bad.status_code == 400
    assert "Housing" in bad.content.decode()
    both = "housing-purchase-subsidy，talent-apartment"  # a Chinese comma between them, as staff type it
    saved = office.post("/policies/manage/new/", {**data, "excludes": both})
    assert saved.status_code == 302, saved.content.decode()[:2000]
    policy = Policy.objects.get(code="night-shift-allowance")
    assert policy.excludes == ["housing-purchase-subsidy", "talent-apartment"]
    page = office.get("/policies/manage/night-shift-allowance/").content.decode()
    assert 'value="housing-purchase-subsidy, talent-apartment"' in page

    draft = {
        "code": "pair-policy",
        "title": "配对",
        "issuer": "人才办",
        "effective_from": "2026-01-01",
        "rule": {"fact": "age", "op": "<=", "value": 35},
        "benefit": {"kind": "money", "amount": 100, "period": "once"},
        "excludes": ["pair-policy", "no-such-policy"],
    }
    response = office.post("/api/v1/policies/drafts", draft, content_type="application/json")
    assert response.status_code == 422
    assert len(response.json()["fields"]["excludes"]) == 2  # itself, and the unknown code
    draft["excludes"] = ["talent-apartment"]
    created = office.post("/api/v1/policies/drafts", draft, content_type="application/json")
    assert created.status_code == 201
    assert created.json()["excludes"] == ["talent-apartment"]
