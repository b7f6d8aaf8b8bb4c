"""Opening a prepared application twice at once (a double tap on the notice, two tabs) gives one draft:
threads with their own PostgreSQL connections (SQLite serialises writers anyway)."""

from __future__ import annotations

import pytest
from django.db import connection

from talentcloud.policies.prepared import prepared_case
from talentcloud.policies.sweep import sweep
from talentcloud.policies.tests.test_sweep import ON, population
from talentcloud.servicehall.models import Case
from talentcloud.servicehall.tests.test_races import race

pytestmark = pytest.mark.django_db(transaction=True)


def test_ten_opens_at_once_prepare_one_draft(kfq_firm, make_user):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL")
    verified, _declared = population(kfq_firm, make_user)
    sweep(on=ON)
    opened: list[object] = []

    def open_it(_i: int) -> None:
        case, _made = prepared_case(viewer=verified.account, code="annual-health-check")
        opened.append(case.pk)

    outcomes = race(10, open_it)
    assert outcomes == {"ok": 10}
    [case] = Case.objects.filter(service__code="health-check")
    assert set(opened) == {case.pk}
