"""The demo seed brings matching: the demo HR account sees consenting talents for its open post, masked and
explained; the demo talent sees posts for them; a talent who refused is never among them."""

from __future__ import annotations

import pytest

from talentcloud.accounts.models import User
from talentcloud.demo.seed import seed_all
from talentcloud.matching.queries import consented
from talentcloud.recruitment.models import Demand, JobSeekerProfile

pytestmark = pytest.mark.django_db


def test_the_demo_logins_see_matches(login):
    seed_all(talents=60, seed=7)
    hr = User.objects.get(username="hr")
    demand = Demand.objects.filter(enterprise__members__user=hr, state="open").first()
    assert demand is not None
    rows = login(hr).get(f"/api/v1/matching/demand/{demand.pk}/talents").json()
    assert len(rows) >= 3
    assert all("*" in r["name"] for r in rows)
    assert any(r["explanation"]["skills"] or r["explanation"]["major"] for r in rows)
    refused = JobSeekerProfile.objects.exclude(pk__in=consented(JobSeekerProfile.objects.all()))
    assert refused.exists()
    assert not {r["profile_id"] for r in rows} & set(refused.values_list("pk", flat=True))
    talent = User.objects.get(username="talent")
    posts = login(talent).get("/api/v1/matching/me/posts").json()
    assert posts
