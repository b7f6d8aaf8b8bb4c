"""Property: whatever a demand or a profile asks, matching never returns a result that fails a hard filter or
lacks consent, through the API, the pages and the export; every explanation term occurs in both sides.

The population is drawn once from a fixed seed; hypothesis draws the demands (one direction) and a talent's
profile (the other)."""

from __future__ import annotations

import io
import random
import re

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from talentcloud.enterprises.models import IndustryChain
from talentcloud.matching.facts import DemandFacts, violations
from talentcloud.matching.queries import (
    consented,
    demand_facts,
    passing_facts,
    profile_facts,
    profiles_passing,
)
from talentcloud.recruitment.models import Demand, JobSeekerProfile

from .conftest import approved, seeker

pytestmark = pytest.mark.django_db

DEGREES = ["junior_college", "bachelor", "master", "doctor"]
LOCATIONS = ["", "江宁", "上海"]
SUMMARIES = ["做过芯片验证和版图", "算法 研究 Python", "产线 测试 经验丰富", ""]
HYP = settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def population(rworld, make_user, chains, n: int = 36):
    rng = random.Random(26)
    out = []
    for i in range(n):
        out.append(
            seeker(
                make_user,
                post=rng.choice(list(rworld.posts.values())),
                degree=rng.choice(DEGREES),
                major=rng.choice([None, *rworld.majors[:3]]),
                skills=rng.sample(rworld.skills, rng.randint(0, 4)),
                location=rng.choice(LOCATIONS),
                chain=rng.choice([None, None, *chains]),
                salary_floor=rng.choice([None, 100_000, 300_000]),
                summary=rng.choice(SUMMARIES),
                experience_years=rng.randint(0, 8),
                consent=rng.choice([True, True, True, False, None]),
                name=f"候选人{i}",
            )
        )
    return out


def check_terms(demand, profile, terms: list[str]) -> None:
    d, p = demand.text().lower(), profile.text().lower()
    for term in terms:
        assert term.lower() in d, (term, d)
        assert term.lower() in p, (term, p)


def terms_of(e: dict) -> list[str]:
    return [*e["skills"], *e["keywords"], *[e[k] for k in ("major", "degree", "post", "chain") if e[k]]]


def check_profiles(demand: Demand, profile_ids: list[int]) -> None:
    (facts,) = demand_facts([Demand.objects.select_related("enterprise", "post", "chain").get(pk=demand.pk)])
    rows = {p.pk: p for p in profile_facts(JobSeekerProfile.objects.filter(pk__in=profile_ids))}
    allowed = set(consented(JobSeekerProfile.objects.filter(pk__in=profile_ids)).values_list("pk", flat=True))
    for pk in profile_ids:
        assert pk in allowed, f"profile {pk} matched without consent"
        assert violations(facts, rows[pk]) == [], f"profile {pk} fails {violations(facts, rows[pk])}"


@given(data=st.data())
@HYP
def test_talents_for_a_post_never_violate_a_hard_filter(data, rworld, make_user, login):
    chains = list(IndustryChain.objects.order_by("pk")[:2])
    if not JobSeekerProfile.objects.exists():
        population(rworld, make_user, chains)
    salary = data.draw(st.sampled_from([None, 8_000, 15_000, 30_000]))
    demand = approved(
        rworld.hr_a,
        rworld.ent_a,
        data.draw(st.sampled_from(list(rworld.posts.values()))),
        degree=data.draw(st.sampled_from(DEGREES)),
        majors=data.draw(st.lists(st.sampled_from(rworld.majors[:4]), max_size=2, unique=True)),
        skills=data.draw(st.lists(st.sampled_from(rworld.skills), max_size=4, unique=True)),
        location=data.draw(st.sampled_from(LOCATIONS)),
        chain=data.draw(st.sampled_from([None, *chains])),
        salary_kind="negotiable" if salary is None else "monthly",
        salary_min=None if salary is None else salary // 2,
        salary_max=salary,
        title=data.draw(st.sampled_from(["", "芯片验证", "算法研究"])),
    )
    try:
        hr = login(rworld.hr_a)
        rows = hr.get(f"/api/v1/matching/demand/{demand.pk}/talents").json()
        check_profiles(demand, [r["profile_id"] for r in rows])
        (facts,) = demand_facts([demand])
        by_pk = {
            p.pk: p
            for p in profile_facts(JobSeekerProfile.objects.filter(pk__in=[r["profile_id"] for r in rows]))
        }
        for r in rows:
            check_terms(facts, by_pk[r["profile_id"]], terms_of(r["explanation"]))
        page = hr.get(f"/matching/demand/{demand.pk}/").content.decode()
        on_page = [int(x) for x in re.findall(r'data-profile="(\d+)"', page)]
        check_profiles(demand, on_page)
        export = hr.get(f"/matching/demand/{demand.pk}/matches.xlsx")
        sheet = openpyxl.load_workbook(io.BytesIO(export.content)).active
        exported = [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)]
        check_profiles(demand, exported)
        assert on_page == exported == [r["profile_id"] for r in rows]
    finally:
        Demand.objects.filter(pk=demand.pk).delete()


@given(data=st.data())
@HYP
def test_the_re_check_after_the_index_reads_what_the_hard_filter_queryset_selects(data, rworld, make_user):
    """``passing_facts`` (the plain statement each search's candidates are re-read through) keeps exactly the
    profiles ``profiles_passing`` selects, and reads them as ``profile_facts`` does."""
    chains = list(IndustryChain.objects.order_by("pk")[:2])
    if not JobSeekerProfile.objects.exists():
        population(rworld, make_user, chains)
    majors = data.draw(st.lists(st.sampled_from(rworld.majors[:4]), max_size=2, unique=True))
    chain = data.draw(st.sampled_from([None, *chains]))
    facts = DemandFacts(
        pk=0,
        enterprise="",
        post_id=rworld.posts["A1"].pk,
        post_name="",
        title="",
        degree=data.draw(st.sampled_from(DEGREES)),
        majors={m.pk: m.name for m in majors},
        skills={},
        experience_years=0,
        annual_min=None,
        annual_max=data.draw(st.sampled_from([None, 96_000, 180_000, 360_000])),
        location=data.draw(st.sampled_from(LOCATIONS)),
        chain_id=chain.pk if chain else None,
        chain_name=chain.name if chain else "",
    )
    ids = sorted(JobSeekerProfile.objects.values_list("pk", flat=True))
    asked = [*ids, ids[-1] + 1]  # every profile, and one that does not exist
    expected = profile_facts(profiles_passing(facts).filter(pk__in=asked).order_by("pk"))
    assert sorted(passing_facts(facts, asked), key=lambda p: p.pk) == expected


@pytest.fixture
def demands(rworld):
    rng = random.Random(260)
    chains = list(IndustryChain.objects.order_by("pk")[:2])
    out = []
    for _i in range(24):
        salary = rng.choice([None, 8_000, 15_000, 30_000])
        hr, enterprise = rng.choice([(rworld.hr_a, rworld.ent_a), (rworld.hr_b, rworld.ent_b)])
        out.append(
            approved(
                hr,
                enterprise,
                rng.choice(list(rworld.posts.values())),
                degree=rng.choice(DEGREES),
                majors=rng.sample(rworld.majors[:4], rng.randint(0, 2)),
                skills=rng.sample(rworld.skills, rng.randint(0, 4)),
                location=rng.choice(LOCATIONS),
                chain=rng.choice([None, *chains]),
                salary_kind="negotiable" if salary is None else "monthly",
                salary_min=None if salary is None else salary // 2,
                salary_max=salary,
                title=rng.choice(["", "芯片验证", "算法研究"]),
            )
        )
    return out


@given(data=st.data())
@HYP
def test_posts_for_a_talent_never_violate_a_hard_filter(data, rworld, make_user, login, demands):
    chains = list(IndustryChain.objects.order_by("pk")[:2])
    profile = JobSeekerProfile.objects.first() or seeker(make_user, post=rworld.posts["A1"])
    client = login(profile.account)
    profile.degree = data.draw(st.sampled_from(DEGREES))
    profile.major = data.draw(st.sampled_from([None, *rworld.majors[:4]]))
    profile.save()
    chain = data.draw(st.sampled_from([None, *chains]))
    saved = client.put(
        "/api/v1/matching/me/details",
        {
            "skills": [s.term for s in data.draw(st.lists(st.sampled_from(rworld.skills), max_size=4))],
            "location": data.draw(st.sampled_from(LOCATIONS)),
            "chain": chain.code if chain else "",
            "salary_floor": data.draw(st.sampled_from([None, 50_000, 150_000, 300_000])),
            "summary": data.draw(st.sampled_from(SUMMARIES)),
        },
        "application/json",
    )
    assert saved.status_code == 200, saved.content
    (facts,) = profile_facts(JobSeekerProfile.objects.filter(pk=profile.pk))
    rows = client.get("/api/v1/matching/me/posts").json()
    page = client.get("/matching/me/").content.decode()
    on_page = re.findall(r'data-demand="([0-9a-f-]+)"', page)
    assert on_page == [r["demand_id"] for r in rows]
    found = {
        str(d.pk): d
        for d in demand_facts(
            Demand.objects.filter(pk__in=on_page).select_related("enterprise", "post", "chain")
        )
    }
    for r in rows:
        demand = found[r["demand_id"]]
        assert violations(demand, facts) == [], violations(demand, facts)
        check_terms(demand, facts, terms_of(r["explanation"]))
    expected = [
        d
        for d in demand_facts(Demand.objects.select_related("enterprise", "post", "chain"))
        if not violations(d, facts)
    ]
    assert len(rows) == min(20, len(expected))  # nothing that passes is lost either
