"""The demo seeds programmes (#24): two calls with applications at several steps, experts with ties, panels
drawn at a ceremony, scores, approvals with their certification, and draws that replay."""

from __future__ import annotations

import pytest

from talentcloud.demo.seed import seed_all
from talentcloud.programs import draw
from talentcloud.programs.models import Application, Award, Call, Draw, Score, Tie
from talentcloud.programs.selectors import published_draws

pytestmark = pytest.mark.django_db


def test_the_demo_has_two_calls_experts_with_ties_reviews_and_approvals():
    seed_all(talents=400, seed=24)
    assert Call.objects.count() == 2
    assert Call.objects.filter(blind=True).count() == 1
    states = set(Application.objects.values_list("state", flat=True))
    assert {"approved", "accepted", "recommended", "returned"} <= states
    assert Tie.objects.count() >= 2
    assert Draw.objects.exists()
    assert Score.objects.exists()
    award = Award.objects.select_related("application__talent", "certification").first()
    assert award is not None
    assert award.certification is not None
    assert award.application.talent.grade == award.application.call.grade
    for call in Call.objects.all():
        for row in published_draws(call)["draws"]:
            assert (
                draw.panel(row["application"], row["pool"], row["digits"], row["size"], row["struck"])
                == row["panel"]
            )
