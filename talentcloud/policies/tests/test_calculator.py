"""The calculator for a talent (own archive, or staff on a talent's behalf within scope), page and API."""

from __future__ import annotations

import datetime as dt

import pytest

from talentcloud.policies.loader import library_install
from talentcloud.servicehall.seed import catalogue_install
from talentcloud.talents.models import Talent

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(units, make_user, kfq_firm):
    catalogue_install()
    library_install()
    account = make_user("talent", None)
    talent = Talent.objects.create(
        name="冯博士",
        gender="M",
        birth_date=dt.date(1992, 3, 1),
        highest_degree="doctor",
        category="young",
        grade="C",
        employer=kfq_firm,
        owns_home_in_city=False,
        graduated_on=dt.date(2025, 7, 1),
        account=account,
    )
    return account, talent


def test_talent_sees_eligible_missing_and_reasons(setup, login):
    account, _talent = setup
    client = login(account)
    page = client.get("/policies/calculator/").content.decode()
    assert "人才购房补贴" in page
    verdicts = {v["policy"]: v for v in client.get("/api/v1/policies/calculator/me").json()}
    assert verdicts["housing-purchase-subsidy"]["status"] == "eligible"
    assert verdicts["housing-purchase-subsidy"]["amount"] == "800000.00"
    assert verdicts["talent-apartment"]["status"] == "excluded"
    assert verdicts["talent-apartment"]["excluded_by"] == "housing-purchase-subsidy"
    # Social-insurance years are not in the archive: that policy says what is missing.
    insurance = verdicts["social-insurance-subsidy"]
    assert insurance["status"] == "missing"
    assert [c["fact"] for c in insurance["clauses"] if c["status"] == "unknown"] == ["social_insurance_years"]
    assert verdicts["recuperation"]["status"] == "not_eligible"


def test_staff_use_it_within_their_scope(setup, make_user, login):
    _account, talent = setup
    assert (
        login(make_user("park-staff", "320115-P-KFQ")).get(f"/policies/calculator/{talent.pk}/").status_code
        == 200
    )
    assert (
        login(make_user("park-staff", "320115-P-GXQ")).get(f"/policies/calculator/{talent.pk}/").status_code
        == 404
    )
    other = login(make_user("park-staff", "320115-P-GXQ")).get(f"/api/v1/policies/calculator/{talent.pk}")
    assert other.status_code == 404


def test_library_and_policy_page_show_the_rule_in_words(setup, client):
    listing = client.get("/policies/").content.decode()
    assert "高校毕业生租房补贴" in listing
    page = client.get("/policies/graduate-rental-subsidy/").content.decode()
    assert "在本市无自有住房" in page  # in words (policies.explain), no symbols
    assert "毕业 5 年以内（含届满之日）" in page  # the dated parameter in force today, read as 以内
    assert client.get("/api/v1/policies").json()[0]["code"]
