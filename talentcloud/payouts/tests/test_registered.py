"""What the payout ledger declares through the registries reaches the platform: the talent's timeline, the
dashboard's metric, the retention rule, the audit names."""

from __future__ import annotations

import datetime as dt
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone, translation

from talentcloud.audit.registry import action_label
from talentcloud.payouts.metrics import money_by_policy
from talentcloud.payouts.models import BankFile, Batch
from talentcloud.privacy.retention import retention_sweep
from talentcloud.talents.timeline_registry import timeline_entries

from .world import RENTAL, award, pay, talent, world

pytestmark = pytest.mark.django_db


def test_the_timeline_the_dashboard_and_retention(make_user, kfq_firm):
    w = world(make_user, kfq_firm)
    person = talent(kfq_firm)
    award(w, person, months=3, amount=Decimal("633.335"))
    batch = pay(w, dt.date(2025, 2, 28))
    with translation.override("zh-hans"):
        lines = [e for e in timeline_entries(person) if e.kind == "award"]
    assert len(lines) == 1
    assert lines[0].item.label == "合计 1900.02 元"  # 633.34 × 3, rounded once per period

    figures = money_by_policy()
    assert figures["keys"] == [RENTAL]
    assert figures["series"]["paid"] == [633.34]
    assert figures["series"]["committed"] == [1266.68]

    assert BankFile.objects.filter(batch=batch).count() == 2
    Batch.objects.filter(pk=batch.pk).update(reconciled_at=timezone.now() - timedelta(days=91))
    retention_sweep()
    assert not BankFile.objects.exists()
    assert Batch.objects.filter(pk=batch.pk).exists()  # the batch and its lines stay
    with translation.override("zh-hans"):
        assert action_label("batch.check") == "复核发放批次"
