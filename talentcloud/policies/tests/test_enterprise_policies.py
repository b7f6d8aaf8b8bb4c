"""Policies for enterprises: facts from the enterprise's yearly reports, the calculator for its own members
and for staff in scope, rules that may read only facts about enterprises, the simulation over enterprises."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from fractions import Fraction

import pytest

from talentcloud.enterprises.models import AnnualReport, EnterpriseMember
from talentcloud.enterprises.tests.factories import EnterpriseFactory
from talentcloud.notifications.models import Notification
from talentcloud.policies import sweep as sweep_module
from talentcloud.policies.engine import ELIGIBLE, MISSING, NOT_ELIGIBLE, calculate
from talentcloud.policies.loader import library_install
from talentcloud.policies.models import Policy
from talentcloud.policies.sweep import found_for, sweep
from talentcloud.policies.tests.factories import PolicyFactory
from talentcloud.rules.facts import FACTS
from talentcloud.rules.logic import validate
from talentcloud.servicehall.models import Case
from talentcloud.servicehall.seed import catalogue_install

pytestmark = pytest.mark.django_db
LAST_YEAR = dt.date.today().year - 1


@pytest.fixture
def firm(kfq_firm, units):
    catalogue_install()
    library_install()
    kfq_firm.founded_on = dt.date(LAST_YEAR - 4, 3, 1)
    kfq_firm.save()
    for year, revenue, rd_spend in ((LAST_YEAR - 1, 1000, 40), (LAST_YEAR, 1300, 91)):
        AnnualReport.objects.create(
            enterprise=kfq_firm, year=year, revenue=revenue, rd_spend=rd_spend, staff=80, patents=6
        )
    return kfq_firm


ENTERPRISE_POLICIES = {  # the library's, the demo texts P3, P4, P5, P7 and P8 among them
    "gazelle-growth-reward",
    "rd-investment-subsidy",
    "talent-enterprise-rd-reward",
    "hightech-recognition-reward",
    "specialized-enterprise-reward",
    "enterprise-hiring-reward",
    "gazelle-enterprise-growth",
}


def test_enterprise_facts_come_from_last_years_report(firm):
    on = dt.date.today()
    assert FACTS["revenue"].get(firm, on) == 1300
    assert FACTS["revenue_growth"].get(firm, on) == 30  # (1300 − 1000) / 1000
    assert FACTS["rd_intensity"].get(firm, on) == 7  # 91 / 1300
    assert FACTS["revenue_growth"].show(FACTS["revenue_growth"].get(firm, on)) == "30.0%"
    verdicts = {v.policy.code: v for v in calculate(enterprise=firm)}
    assert set(verdicts) == ENTERPRISE_POLICIES
    assert verdicts["gazelle-growth-reward"].status == ELIGIBLE
    amount = verdicts["gazelle-growth-reward"].amount
    assert amount is not None
    assert amount.total == Decimal("200000.00")
    assert verdicts["rd-investment-subsidy"].status == ELIGIBLE
    # A later submission for the same year replaces the figure: growth 5% no longer qualifies.
    AnnualReport.objects.filter(enterprise=firm, year=LAST_YEAR).update(current=False)
    AnnualReport.objects.create(
        enterprise=firm, year=LAST_YEAR, revenue=1050, rd_spend=91, staff=80, patents=6
    )
    verdicts = {v.policy.code: v for v in calculate(enterprise=firm)}
    assert verdicts["gazelle-growth-reward"].status == NOT_ELIGIBLE
    assert any(
        "营业收入增长" in r or "revenue growth" in r for r in verdicts["gazelle-growth-reward"].reasons
    )
    AnnualReport.objects.filter(enterprise=firm).delete()
    by_reports = {"gazelle-growth-reward", "rd-investment-subsidy", "gazelle-enterprise-growth"}
    assert {v.status for v in calculate(enterprise=firm) if v.policy.code in by_reports} == {MISSING}


def test_members_and_staff_in_scope_see_the_enterprise_calculator(firm, make_user, login):
    member = make_user("enterprise-hr", None)
    EnterpriseMember.objects.create(enterprise=firm, user=member, is_admin=True)
    client = login(member)
    page = client.get("/policies/calculator/").content.decode()
    section = page.split('data-testid="enterprise-verdicts"')[1]
    assert "瞪羚企业成长奖励" in section
    assert client.get(f"/policies/calculator/enterprise/{firm.pk}/").status_code == 200
    api = client.get(f"/api/v1/policies/calculator/enterprise/{firm.pk}").json()
    assert {v["policy"]: v["status"] for v in api}["rd-investment-subsidy"] == "eligible"
    park_a = login(make_user("park-staff", "320115-P-KFQ"))
    assert park_a.get(f"/policies/calculator/enterprise/{firm.pk}/").status_code == 200
    park_b = login(make_user("park-staff", "320115-P-GXQ"))
    assert park_b.get(f"/policies/calculator/enterprise/{firm.pk}/").status_code == 404
    assert park_b.get(f"/api/v1/policies/calculator/enterprise/{firm.pk}").status_code == 404
    stranger = login(make_user("enterprise-hr", None))
    assert stranger.get(f"/policies/calculator/enterprise/{firm.pk}/").status_code in (403, 404)


def test_a_rule_reads_only_facts_about_its_target(firm, make_user, login):
    talent_fact = {"fact": "age", "op": "<", "value": 40}
    [error] = validate(
        {"all": [{"fact": "revenue", "op": ">=", "value": 1}, talent_fact]}, target="enterprise"
    )
    assert error.path == "all[1]"
    office = login(make_user("talent-office"))
    refused = office.post(
        "/api/v1/policies/drafts",
        {
            "code": "mixed-policy",
            "title": "混合",
            "issuer": "科技局",
            "effective_from": "2026-01-01",
            "target": "enterprise",
            "rule": {"all": [{"fact": "revenue", "op": ">=", "value": 1}, talent_fact]},
            "benefit": {"kind": "money", "amount": 1, "period": "once"},
        },
        content_type="application/json",
    )
    assert refused.status_code == 422
    assert list(refused.json()["fields"]) == ["all[1]"]


def test_the_simulation_counts_enterprises_for_an_enterprise_policy(firm, make_user, login):
    office = login(make_user("talent-office"))
    policy = Policy.objects.get(code="gazelle-growth-reward")
    PolicyFactory.create(
        **{
            f.name: getattr(policy, f.name)
            for f in Policy._meta.concrete_fields
            if f.name not in ("id", "version", "status", "rule", "created_at")
        },
        version=2,
        status="draft",
        rule={"all": [{"fact": "revenue_growth", "op": ">=", "value": 40}]},
    )
    result = office.get("/api/v1/policies/drafts/gazelle-growth-reward/simulation").json()
    assert (result["now"], result["draft"], result["lose"]) == (1, 0, 1)
    assert result["cost_now"] == "200000.00"
    page = office.get("/policies/manage/gazelle-growth-reward/simulate/").content.decode()
    assert firm.name in page.split('data-testid="losers"')[1].split("</ul>")[0]


@pytest.mark.parametrize("everyone_from", [50_000, 0], ids=["by-keys", "one-pass"])
def test_the_sweep_finds_enterprises_and_tells_their_administrators(
    firm, make_user, login, monkeypatch, everyone_from
):
    # administrators read by lists of keys, or in one pass over all when many are told
    monkeypatch.setattr(sweep_module, "EVERYONE_FROM", everyone_from)
    other = EnterpriseFactory.create()  # not told: its administrator and report are not read as the firm's
    AnnualReport.objects.create(enterprise=other, year=LAST_YEAR, revenue=1, rd_spend=0, staff=2, patents=0)
    EnterpriseMember.objects.create(enterprise=other, user=make_user("enterprise-hr", None), is_admin=True)
    admin = make_user("enterprise-hr", None)
    EnterpriseMember.objects.create(enterprise=firm, user=admin, is_admin=True)
    clerk = make_user("enterprise-hr", None)
    EnterpriseMember.objects.create(enterprise=firm, user=clerk, is_admin=False)
    run = sweep()
    found = {f.policy.code: f.status for f in found_for(enterprise=firm, account=admin)}
    assert found == {"gazelle-growth-reward": "granted", "rd-investment-subsidy": "granted"}
    # The growth reward is told; the R&D subsidy applies through the R&D grant and says so: its notice points
    # to the draft, prepared in the administrator's name when first opened (ADR 0040), last year's R&D spend
    # filled in from the report.
    assert not Case.objects.filter(enterprise=firm).exists()
    notices = Notification.objects.filter(recipient=admin)
    prepared = f"/policies/prepared/rd-investment-subsidy/enterprise/{firm.pk}/"
    assert dict(notices.values_list("event", "url")) == {
        "policy.granted": f"/policies/calculator/enterprise/{firm.pk}/",
        "policy.case_opened": prepared,
    }
    # Someone who does not administer the firm finds nothing there, and opens nothing.
    assert login(clerk).get(prepared).status_code == 404
    assert not Case.objects.filter(enterprise=firm).exists()
    opened = login(admin).get(prepared)
    [case] = [Case.objects.get(pk=f.case_id) for f in found_for(enterprise=firm, account=admin) if f.case_id]
    assert opened["Location"] == f"/hall/cases/{case.pk}/"
    assert (case.applicant, case.enterprise, case.state) == (admin, firm, "draft")
    assert json.loads(case.form_data) == {"rd_spend": "91.00"}
    assert login(admin).get(prepared)["Location"] == f"/hall/cases/{case.pk}/"
    # A second administrator who follows the link is told the application is the first one's (a draft is
    # its applicant's own, so sending them to it would end in "not found"); no second draft opens.
    second = make_user("enterprise-hr", None)
    EnterpriseMember.objects.create(enterprise=firm, user=second, is_admin=True)
    told = login(second).get(prepared, follow=True)
    assert told.redirect_chain[-1][0] == f"/policies/calculator/enterprise/{firm.pk}/"
    said = " ".join(str(m) for m in told.context["messages"])
    assert "Another administrator" in said or "另一位管理员" in said
    assert Case.objects.filter(enterprise=firm).count() == 1
    assert not Notification.objects.filter(recipient=clerk).exists()
    assert run.new == 2
    again = sweep()
    assert again.new == 0
    assert notices.count() == 2
    assert len(found_for(enterprise=firm)) == 2
    assert Case.objects.filter(enterprise=firm).count() == 1


def test_a_value_is_shown_by_its_own_type_even_when_an_equal_one_was_shown_first():

    growth = FACTS["revenue_growth"]
    assert growth.show(30, "zh-hans") == "30%"  # a whole number typed in the anonymous calculator
    assert growth.show(Fraction(30), "zh-hans") == "30.0%"  # a ratio worked out from reports
