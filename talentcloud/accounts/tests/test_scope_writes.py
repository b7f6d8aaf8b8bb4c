"""The scope of writes: which org units a writer may name as a record's place, which records they may
reference (``accounts.scope``)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from talentcloud.accounts.scope import (
    keeps_in_scope,
    may_name_place,
    place_choices,
    reference_errors,
    scoped_choices,
)
from talentcloud.enterprises.models import Enterprise

pytestmark = pytest.mark.django_db


def codes(qs):
    return {u.code for u in qs}


@pytest.fixture
def firms(units):
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
    return kfq, gxq


def test_park_staff_name_their_park_and_any_street(make_user, units):
    staff = make_user("park-staff", "320115-P-KFQ")
    assert codes(place_choices(staff, "park")) == {"320115-P-KFQ"}
    assert "320115-S-QL" in codes(place_choices(staff, "street"))
    assert not may_name_place(staff, units["320115-P-GXQ"])
    assert may_name_place(staff, units["320115-S-QL"])
    # The record's current value is always offered (a record can be saved without touching it).
    assert codes(place_choices(staff, "park", current=units["320115-P-GXQ"].pk)) == {
        "320115-P-KFQ",
        "320115-P-GXQ",
    }


def test_street_staff_name_their_street_and_any_park(make_user, units):
    staff = make_user("street-staff", "320115-S-ML")
    assert codes(place_choices(staff, "street")) == {"320115-S-ML"}
    assert "320115-P-GXQ" in codes(place_choices(staff, "park"))
    assert not may_name_place(staff, units["320115-S-QL"])


def test_office_names_any_active_unit_nobody_an_inactive_one(make_user, units):
    office = make_user("talent-office", "320115-ZZB")
    assert codes(place_choices(office, "park")) >= {"320115-P-KFQ", "320115-P-GXQ"}
    closed = units["320115-P-BJ"]
    closed.is_active = False
    closed.save()
    assert not may_name_place(office, closed)
    assert "320115-P-BJ" not in codes(place_choices(office, "park"))


def test_chosen_units_of_both_kinds(make_user, units):
    staff = make_user("park-staff", "320115-P-KFQ")
    role = staff.roles.get()
    role.scope = "custom"
    role.save()
    role.custom_units.set([units["320115-S-DS"], units["320115-P-GXQ"]])
    staff.forget_cached_roles()
    assert codes(place_choices(staff, "park")) == {"320115-P-GXQ"}
    assert codes(place_choices(staff, "street")) == {"320115-S-DS"}


def test_nobody_without_scope_names_anything(make_user, units):

    assert codes(place_choices(AnonymousUser(), "park")) == set()
    assert not may_name_place(AnonymousUser(), units["320115-P-KFQ"])


def test_references_outside_scope_are_named_per_field(make_user, units, firms):
    kfq, gxq = firms
    staff = make_user("park-staff", "320115-P-KFQ")
    errors = reference_errors(
        staff, {"employer": gxq, "park": units["320115-P-GXQ"], "street": units["320115-S-QL"], "chain": None}
    )
    assert set(errors) == {"employer", "park"}
    assert reference_errors(staff, {"employer": kfq, "park": units["320115-P-KFQ"]}) == {}
    assert set(scoped_choices(Enterprise.objects.all(), staff)) == {kfq}
    assert set(scoped_choices(Enterprise.objects.all(), staff, current=gxq.pk)) == {kfq, gxq}
    office = make_user("talent-office", "320115-ZZB")
    assert reference_errors(office, {"employer": gxq, "park": units["320115-P-GXQ"]}) == {}


def test_a_place_must_stay_in_the_writers_area(make_user, units):
    staff = make_user("park-staff", "320115-P-KFQ")
    assert keeps_in_scope(staff, {"park": units["320115-P-KFQ"], "street": units["320115-S-QL"]})
    assert not keeps_in_scope(staff, {"park": None, "street": units["320115-S-ML"]})
    assert keeps_in_scope(make_user("talent-office", "320115-ZZB"), {"park": None, "street": None})
