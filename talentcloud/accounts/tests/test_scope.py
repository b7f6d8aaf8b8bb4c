from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ImproperlyConfigured

from talentcloud.accounts.models import OrgUnit
from talentcloud.accounts.scope import scope_queryset
from talentcloud.enterprises.models import Enterprise
from talentcloud.talents.models import Talent

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_parks(units):
    kfq = Enterprise.objects.create(
        name="开发区甲公司",
        credit_code="91320115MA1XXXXX01",
        park=units["320115-P-KFQ"],
        street=units["320115-S-ML"],
    )
    gxq = Enterprise.objects.create(
        name="高新区乙公司",
        credit_code="91320115MA1XXXXX02",
        park=units["320115-P-GXQ"],
        street=units["320115-S-QL"],
    )
    common = {
        "gender": "M",
        "birth_date": dt.date(1985, 1, 1),
        "highest_degree": "doctor",
        "category": "young",
    }
    a = Talent.objects.create(name="甲", employer=kfq, **common)
    b = Talent.objects.create(name="乙", employer=gxq, **common)
    c = Talent.objects.create(name="丙", employer=None, residence_street=units["320115-S-DS"], **common)
    return a, b, c


def names(qs):
    return sorted(t.name for t in qs)


def test_park_staff_see_own_park_only(make_user, two_parks):
    viewer = make_user("park-staff", "320115-P-KFQ")
    assert names(scope_queryset(Talent.objects.all(), viewer)) == ["甲"]


def test_street_staff_see_employers_and_residents_of_their_street(make_user, two_parks):
    ml = make_user("street-staff", "320115-S-ML")
    ds = make_user("street-staff", "320115-S-DS")
    assert names(scope_queryset(Talent.objects.all(), ml)) == ["甲"]
    assert names(scope_queryset(Talent.objects.all(), ds)) == ["丙"]


def test_office_sees_all(make_user, two_parks):
    viewer = make_user("talent-office", "320115-ZZB")
    assert names(scope_queryset(Talent.objects.all(), viewer)) == ["丙", "乙", "甲"]


def test_unit_and_below_covers_children(make_user, two_parks, units):
    # A district-level user with "own unit and below" sees everything under the district.
    viewer = make_user("park-staff", "320115")
    assert names(scope_queryset(Talent.objects.all(), viewer)) == ["丙", "乙", "甲"]


def test_self_scope_sees_own_and_liaison_records(make_user, two_parks):
    a, b, _c = two_parks
    cadre = make_user("liaison-cadre", "320115-ZZB")
    talent_user = make_user("talent", None)
    b.liaison = cadre
    b.save()
    a.account = talent_user
    a.save()
    assert names(scope_queryset(Talent.objects.all(), cadre)) == ["乙"]
    assert names(scope_queryset(Talent.objects.all(), talent_user)) == ["甲"]


def test_custom_units(make_user, two_parks, units):
    viewer = make_user("park-staff", "320115-P-KFQ")
    role = viewer.roles.get()
    role.scope = "custom"
    role.save()
    role.custom_units.set([units["320115-S-DS"], units["320115-P-GXQ"]])
    viewer.forget_cached_roles()
    assert names(scope_queryset(Talent.objects.all(), viewer)) == ["丙", "乙"]


def test_no_roles_and_anonymous_see_nothing(make_user, two_parks):

    viewer = make_user("park-staff", "320115-P-KFQ")
    viewer.roles.clear()
    viewer.forget_cached_roles()
    assert names(scope_queryset(Talent.objects.all(), viewer)) == []
    assert names(scope_queryset(Talent.objects.all(), AnonymousUser())) == []


def test_inactive_user_sees_nothing(make_user, two_parks):
    viewer = make_user("talent-office", "320115-ZZB")
    viewer.is_active = False
    assert names(scope_queryset(Talent.objects.all(), viewer)) == []


def test_undeclared_model_is_refused(make_user):

    viewer = make_user("talent-office", "320115-ZZB")
    with pytest.raises(ImproperlyConfigured):
        scope_queryset(OrgUnit.objects.all(), viewer)
