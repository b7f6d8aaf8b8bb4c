"""Sweep numbers (``TalentNumber``, ``EnterpriseNumber``): given once to each subject without one, and gone
with their subject although the database holds no constraint between them (ADR 0037)."""

from __future__ import annotations

import datetime as dt

import pytest

from talentcloud.policies.models import EnterpriseNumber, TalentNumber
from talentcloud.policies.sweep import number_new
from talentcloud.talents.models import Talent

pytestmark = pytest.mark.django_db


def test_each_subject_is_numbered_once_and_its_number_goes_with_it(kfq_firm):
    base = {"gender": "F", "birth_date": dt.date(1990, 1, 1), "category": "young", "employer": kfq_firm}
    first = Talent.objects.create(name="甲", **base)
    number_new()
    second = Talent.objects.create(name="乙", **base)
    number_new()
    number_new()  # nothing left to number: nobody gets a second one
    numbers = dict(TalentNumber.objects.values_list("talent_id", "number"))
    assert set(numbers) == {first.pk, second.pk}
    assert numbers[first.pk] < numbers[second.pk]  # in the order they arrived, never renumbered
    assert EnterpriseNumber.objects.filter(enterprise=kfq_firm).count() == 1

    first.delete()
    assert set(TalentNumber.objects.values_list("talent_id", flat=True)) == {second.pk}
    second.delete()
    kfq_firm.delete()
    assert not TalentNumber.objects.exists()
    assert not EnterpriseNumber.objects.exists()
