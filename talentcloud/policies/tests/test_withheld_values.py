"""A count of children is family data (ADR 0019): staff without the family permission see whether the
child-care condition holds, the verdict and the amount — not how many children the talent has; staff with
it, and the talent, see the count."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from talentcloud.policies.loader import library_install
from talentcloud.servicehall.seed import catalogue_install
from talentcloud.talents.models import ChildBirth, FamilyMember
from talentcloud.talents.tests.factories import TalentFactory

pytestmark = pytest.mark.django_db
CHILDCARE = "talent-childcare-subsidy"


@pytest.fixture
def parent(units, kfq_firm, make_user):
    catalogue_install()
    library_install()
    talent = TalentFactory.create(
        name="周博士", grade="B", employer=kfq_firm, account=make_user("talent", None, username="zhou")
    )
    today = timezone.localdate()
    for days in (100, 400):
        born = today - dt.timedelta(days=days)
        member = FamilyMember.objects.create(
            talent=talent, relation="child", name="子", birth_date=born.isoformat()
        )
        ChildBirth.objects.create(talent=talent, member=member, birth_date=born)
    return talent


def _childcare(rows: list[dict]) -> dict:
    return next(row for row in rows if row["policy"] == CHILDCARE)


def test_the_count_of_children_is_withheld_from_staff_without_the_family_permission(parent, make_user, login):
    park = login(make_user("park-staff", "320115-P-KFQ"))
    office = login(make_user("talent-office"))
    seen = _childcare(park.get(f"/api/v1/policies/calculator/{parent.pk}").json())
    assert seen["status"] == "eligible"
    assert seen["amount"] is not None
    clause = next(c for c in seen["clauses"] if c["fact"] == "children_under_3")
    assert "2" not in clause["actual"]
    assert "2" not in clause["reason"]
    page = park.get(f"/policies/calculator/{parent.pk}/").content.decode()
    assert "家庭信息" in page
    full = _childcare(office.get(f"/api/v1/policies/calculator/{parent.pk}").json())
    assert next(c for c in full["clauses"] if c["fact"] == "children_under_3")["actual"].startswith("2")
    own = _childcare(login(parent.account).get("/api/v1/policies/calculator/me").json())
    assert next(c for c in own["clauses"] if c["fact"] == "children_under_3")["actual"].startswith("2")
