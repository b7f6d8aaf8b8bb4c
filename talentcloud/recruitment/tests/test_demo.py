"""The demo seed brings 引才: taxonomies, graduates, demand of the seeded enterprises, last year's published
catalogue (files and digests) and this year's draft comparing with it."""

from __future__ import annotations

import pytest
from django.utils import timezone

from talentcloud.common.crypto import sm3_hex
from talentcloud.demo.seed import seed_all
from talentcloud.recruitment.models import Catalogue, Demand, GraduateSupply, Skill
from talentcloud.recruitment.selectors import catalogue_rows

pytestmark = pytest.mark.django_db


def test_the_seed_publishes_last_years_catalogue_and_opens_this_years():
    seed_all(talents=60, seed=7)
    year = timezone.localdate().year
    assert Demand.objects.filter(year=year).exists()
    assert Demand.objects.filter(year=year - 1).exists()
    assert GraduateSupply.objects.exists()
    assert Skill.objects.filter(term="集成电路设计").exists()
    last = Catalogue.objects.get(year=year - 1)
    assert last.state == "published"
    assert sm3_hex(bytes(last.xlsx)) == last.xlsx_sm3
    assert sm3_hex(bytes(last.pdf)) == last.pdf_sm3
    assert last.entries.count() > 0
    draft = Catalogue.objects.get(year=year)
    rows = catalogue_rows(draft)
    assert rows
    assert all(1 <= r["stars"] <= 5 for r in rows)
    assert any(r["previous_stars"] is not None for r in rows)
