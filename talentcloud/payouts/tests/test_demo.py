"""The demo's year of payouts: batches through every step, a failed line re-issued, a suspension with its
reason, a clawback — and the ledger reconciles."""

from __future__ import annotations

from decimal import Decimal

import pytest

from talentcloud.demo.payouts import seed_payouts
from talentcloud.demo.seed import seed_demo_accounts
from talentcloud.payouts.enums import AwardStatus, LineStatus
from talentcloud.payouts.models import Award, Batch, PayoutLine, Recovery
from talentcloud.policies.loader import library_install
from talentcloud.servicehall.seed import catalogue_install
from talentcloud.talents.models import Talent

from .test_ledger import reconciles
from .world import talent

pytestmark = pytest.mark.django_db


def test_the_demo_seeds_a_year_of_payouts(units, kfq_firm):
    seed_demo_accounts(units)
    catalogue_install()
    library_install()
    for degree in ("master", "doctor", "bachelor", "master", "doctor"):
        talent(kfq_firm, highest_degree=degree)
    assert seed_payouts(seed=7) == 5
    assert Batch.objects.filter(state="returned").count() >= 10
    assert PayoutLine.objects.filter(status=LineStatus.REISSUED).count() == 1
    reissued = PayoutLine.objects.get(status=LineStatus.REISSUED)
    assert PayoutLine.objects.get(award=reissued.award, period=reissued.period, attempt=2).status == "paid"
    suspended = Award.objects.get(status=AwardStatus.SUSPENDED)
    assert suspended.suspension_reason == ["owns_home_in_city"]
    assert Talent.objects.filter(awards=suspended, owns_home_in_city=True).exists()
    assert Recovery.objects.get().amount == Decimal("140000.00")
    reconciles()
