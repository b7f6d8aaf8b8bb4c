"""The 紧缺指数 of three posts equals a hand computation from the documented formula (shortage.py's
docstring, ADR 0026), dimension by dimension, with the breakdown; stars by fixed and by quantile cut-offs."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import timezone, translation

from talentcloud.recruitment import shortage
from talentcloud.recruitment.models import Catalogue, GraduateSupply, JobSeekerProfile
from talentcloud.recruitment.selectors import catalogue_draft_scores, catalogue_rows
from talentcloud.recruitment.services import settings_errors

from .conftest import approved

pytestmark = pytest.mark.django_db

D = Decimal


@pytest.fixture
def three_posts(rworld, make_user):
    """A1: 2 × 硕士, 3 years, 2 majors + 2 skills, 20,000–30,000 a month (annual 240,000–360,000, middle
    300,000); supply 2 (one open profile, one graduate of its major; a closed profile does not count).
    B1: 1 × 博士, 12 years, 6 majors + 6 skills, 600,000 a year; and 3 × 本科, 0 years, 1 skill, 面议;
    supply 0. C1: 3 × 大专, 1 year, nothing named, 8,000–12,000 a month (annual 96,000–144,000, middle
    120,000); supply 9 graduates of its major this year (50 of another year do not count)."""
    w = rworld
    year = timezone.localdate().year
    a, b, c = w.posts["A1"], w.posts["B1"], w.posts["C1"]
    a.majors.set([w.majors[0]])
    c.majors.set([w.majors[1]])
    approved(
        w.hr_a,
        w.ent_a,
        a,
        headcount=2,
        degree="master",
        experience_years=3,
        majors=w.majors[:2],
        skills=w.skills[:2],
        salary_kind="monthly",
        salary_min=20000,
        salary_max=30000,
    )
    approved(
        w.hr_a,
        w.ent_a,
        b,
        headcount=1,
        degree="doctor",
        experience_years=12,
        majors=w.majors[:6],
        skills=w.skills[:6],
        salary_kind="annual",
        salary_min=600000,
        salary_max=None,
    )
    approved(
        w.hr_b,
        w.ent_b,
        b,
        headcount=3,
        degree="bachelor",
        experience_years=0,
        skills=w.skills[:1],
        salary_kind="negotiable",
        salary_min=None,
        salary_max=None,
    )
    approved(
        w.hr_b,
        w.ent_b,
        c,
        headcount=3,
        degree="junior_college",
        experience_years=1,
        salary_kind="monthly",
        salary_min=8000,
        salary_max=12000,
    )
    JobSeekerProfile.objects.create(account=make_user("talent", None), post=a, degree="master", open=True)
    JobSeekerProfile.objects.create(account=make_user("talent", None), post=a, degree="master", open=False)
    GraduateSupply.objects.create(
        year=year, university="东南大学", major=w.majors[0], degree="master", count=1
    )
    GraduateSupply.objects.create(
        year=year, university="河海大学", major=w.majors[1], degree="bachelor", count=9
    )
    GraduateSupply.objects.create(
        year=year - 1, university="河海大学", major=w.majors[1], degree="bachelor", count=50
    )
    return Catalogue.objects.create(year=year)


def parts(score):
    return {p.key: (p.score, p.contribution) for p in score.parts}


def test_three_posts_equal_the_hand_computation_with_the_breakdown(three_posts):
    scores, _added = catalogue_draft_scores(three_posts)  # default weights 30/20/15/15/20, quantile stars
    by_code = {s.code: s for s in scores}
    a, b, c = by_code["A1"], by_code["B1"], by_code["C1"]
    assert (a.demand, a.supply, b.demand, b.supply, c.demand, c.supply) == (2, 2, 4, 0, 3, 9)
    # A1: 100·2/(2+2)=50; 硕士 75; 3 y → 30; 4 named → 40; 300,000/600,000 → 50
    assert parts(a) == {
        "supply_demand": (D("50.00"), D("15.00")),
        "degree": (D("75.00"), D("15.00")),
        "experience": (D("30.00"), D("4.50")),
        "breadth": (D("40.00"), D("6.00")),
        "salary": (D("50.00"), D("10.00")),
    }
    assert a.index == D("50.50")  # (30·50 + 20·75 + 15·30 + 15·40 + 20·50) / 100
    # B1: no supply → 100; (100·1 + 50·3)/4 = 62.5; (100·1 + 0·3)/4 = 25; (100·1 + 10·3)/4 = 32.5;
    # 面议 left out, so its mean is 600,000, the year's highest → 100
    assert parts(b) == {
        "supply_demand": (D("100.00"), D("30.00")),
        "degree": (D("62.50"), D("12.50")),
        "experience": (D("25.00"), D("3.75")),
        "breadth": (D("32.50"), D("4.88")),
        "salary": (D("100.00"), D("20.00")),
    }
    assert b.index == D("71.13")  # 7,112.5 / 100 = 71.125, half up
    # C1: 100·3/12 = 25; 大专 25; 1 y → 10; nothing named → 0; 120,000/600,000 → 20
    assert parts(c) == {
        "supply_demand": (D("25.00"), D("7.50")),
        "degree": (D("25.00"), D("5.00")),
        "experience": (D("10.00"), D("1.50")),
        "breadth": (D("0.00"), D("0.00")),
        "salary": (D("20.00"), D("4.00")),
    }
    assert c.index == D("18.00")
    # Quantile stars, Zhengzhou's 27/32/42/63/79 over 3 posts: boundaries round(3·27/243)=0,
    # round(3·59/243)=1, round(3·101/243)=1, round(3·164/243)=2, 3 → B1 4 stars, A1 2, C1 1.
    assert [(s.code, s.stars) for s in scores] == [("B1", 4), ("A1", 2), ("C1", 1)]
    assert b.leading == "supply_demand"
    rows = {r["code"]: r for r in catalogue_rows(three_posts)}
    assert [p["score"] for p in rows["B1"]["breakdown"]] == ["100.00", "62.50", "25.00", "32.50", "100.00"]


def test_fixed_cut_offs_and_other_weights(three_posts):
    weights = {"supply_demand": 1, "degree": 0, "experience": 0, "breadth": 0, "salary": 1}
    scores, _added = catalogue_draft_scores(
        three_posts, weights=weights, mode="fixed", cutoffs=[80, 65, 50, 35]
    )
    # A1 (50+50)/2 = 50 → 3 stars; B1 (100+100)/2 = 100 → 5; C1 (25+20)/2 = 22.5 → 1
    assert [(s.code, s.index, s.stars) for s in scores] == [
        ("B1", D("100.00"), 5),
        ("A1", D("50.00"), 3),
        ("C1", D("22.50"), 1),
    ]


def test_the_zhengzhou_pyramid_over_243_posts_and_equal_scores_never_split():
    scores = [shortage.Score(f"P{i:03d}", "", 1, 0, D(1000 - i) / 10, ()) for i in range(243)]
    stars = [s.stars for s in shortage.with_stars(scores, "quantile", shortage.DEFAULT_SHARES)]
    assert [stars.count(n) for n in (5, 4, 3, 2, 1)] == [27, 32, 42, 63, 79]
    tied = [shortage.Score(code, "", 1, 0, D("60.00"), ()) for code in ("X", "Y", "Z")]
    assert {s.stars for s in shortage.with_stars(tied, "quantile", [1, 1, 1, 0, 0])} == {5}


def test_bad_weights_and_cut_offs_are_named():
    errors = settings_errors(
        {"supply_demand": 101, "degree": 0, "experience": 0, "breadth": 0, "salary": 0},
        "fixed",
        [50, 60, 40, 30],
    )
    assert set(errors) == {"weight_supply_demand", "cutoffs"}
    with translation.override("en"):
        errors = settings_errors(dict.fromkeys(shortage.DIMENSION_KEYS, 0), "quantile", [1, 1, 1, 1, 1])
    assert errors == {"weights": ["At least one weight above 0."]}
