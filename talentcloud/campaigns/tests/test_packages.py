"""A post's policy package is the calculator's answer for a candidate with each degree the post accepts."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from talentcloud.campaigns.packages import accepted_levels, candidate_facts, package_for, post_packages
from talentcloud.policies.engine import ELIGIBLE, calculate_for_facts

pytestmark = pytest.mark.django_db


def test_package_numbers_equal_the_calculators(cworld, library):
    on = timezone.localdate()
    packages = post_packages(cworld.post_b, on)  # a bachelor post: bachelor, master, doctor
    assert [p.degree for p in packages] == ["bachelor", "master", "doctor"]
    for package in packages:
        verdicts = calculate_for_facts(candidate_facts(package.degree, on), on=on)
        expected = {
            v.policy.code: (v.amount.per_period, v.amount.periods, v.amount.total)
            for v in verdicts
            if v.status == ELIGIBLE and v.amount is not None
        }
        assert {line.code: (line.per_period, line.periods, line.total) for line in package.lines} == expected
        assert expected  # the seeded library grants graduates something


def test_a_master_in_the_post_gets_the_living_allowance(cworld, library):
    master = package_for("master")
    lines = {line.code: line for line in master.lines}
    living = lines["graduate-living-allowance"]
    assert (living.per_period, living.period, living.periods) == (Decimal("1000.00"), "month", 24)
    assert living.text in ("1,000 元/月 × 24", "1,000 yuan a month × 24")
    doctor = {line.code: line for line in package_for("doctor").lines}
    assert doctor["graduate-living-allowance"].per_period == Decimal("2000.00")


def test_levels_from_the_posts_minimum():
    assert accepted_levels("master") == ["master", "doctor"]
    assert accepted_levels("junior_college") == ["junior_college", "bachelor", "master", "doctor"]


def test_the_public_pages_and_api_show_the_package(cworld, library):
    page = Client().get(f"/campaigns/{cworld.campaign.pk}/").content.decode()
    assert "2026 硕博招贤令" in page
    assert "芯片设计" in page
    assert "1,000 元/月 × 24" in page
    api = Client().get(f"/api/v1/campaigns/posts/{cworld.post_a.pk}").json()
    master = next(p for p in api["packages"] if p["degree"] == "master")
    living = next(line for line in master["lines"] if line["code"] == "graduate-living-allowance")
    assert Decimal(living["per_period"]) == Decimal(1000)
    assert living["periods"] == 24
