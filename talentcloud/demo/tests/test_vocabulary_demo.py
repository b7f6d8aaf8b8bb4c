"""The demo holds what the ten demo texts P1–P10 read: the sweep the demo runs finds people for each."""

from __future__ import annotations

import pytest

from talentcloud.demo.seed import seed_all
from talentcloud.policies.models import SweepResult, SweepRun
from talentcloud.policies.tests.test_vocabulary_cases import TEXTS

pytestmark = pytest.mark.django_db


def test_every_demo_text_finds_people_in_the_demo():
    seed_all(talents=1200, seed=11)
    run = SweepRun.objects.order_by("-pk").first()
    assert run is not None
    found = {
        r.policy_code: r.granted + r.verify_first + r.excluded + r.exhausted
        for r in SweepResult.objects.filter(run=run)
    }
    codes = [code for codes in TEXTS.values() for code in codes]
    assert {code: found.get(code, 0) > 0 for code in codes} == dict.fromkeys(codes, True)
