"""The demo's talents carry a certification history consistent with their grade and tier (#21)."""

from __future__ import annotations

import pytest

from talentcloud.certification.models import Certification
from talentcloud.certification.services import current_of
from talentcloud.demo.seed import seed_all
from talentcloud.talents.models import Talent

pytestmark = pytest.mark.django_db


def test_every_certified_demo_talent_has_the_history_its_columns_say():
    seed_all(talents=60, seed=7)
    talents = list(Talent.objects.values_list("pk", "grade", "tier"))
    current = current_of([pk for pk, _g, _t in talents])
    certified = [(pk, grade, tier) for pk, grade, tier in talents if grade or tier]
    assert len(certified) > 20
    for pk, grade, tier in certified:
        assert (current[pk].grade, current[pk].tier) == (grade, tier)
    assert all(pk in current for pk, _g, _t in certified)
    assert not set(current) - {pk for pk, _g, _t in certified}
    demo = Talent.objects.get(account__username="talent")
    assert (demo.grade, demo.tier) == ("C", "pioneer")
    assert Certification.objects.filter(status="superseded").exists()
