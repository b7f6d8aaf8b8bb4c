"""Family members: sensitive, encrypted, a separate permission, audited reads."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection

from talentcloud.audit.models import AuditEvent
from talentcloud.common.errors import PermissionDenied
from talentcloud.talents.models import FamilyMember, Talent
from talentcloud.talents.selectors import children_under
from talentcloud.talents.services import family_add

pytestmark = pytest.mark.django_db


@pytest.fixture
def talent(kfq_firm):
    return Talent.objects.create(
        name="郑研究员",
        gender="F",
        birth_date=dt.date(1985, 1, 1),
        highest_degree="doctor",
        category="young",
        employer=kfq_firm,
    )


def test_office_records_children_encrypted_and_counted(talent, make_user, login):
    office = make_user("talent-office", "320115-ZZB")
    client = login(office)
    today = dt.date.today()
    client.post(
        f"/talents/{talent.pk}/family/",
        {"relation": "child", "name": "郑小宝", "birth_date": today.replace(year=today.year - 8).isoformat()},
    )
    family_add(
        actor=office,
        talent=talent,
        relation="child",
        name="郑大宝",
        birth_date=today.replace(year=today.year - 16),
    )
    assert children_under(talent, 14) == 1
    with connection.cursor() as cursor:
        cursor.execute("SELECT name, birth_date FROM talents_familymember")
        for name, born in cursor.fetchall():
            assert name.startswith("sm4gcm$")
            assert born.startswith("sm4gcm$")
    page = client.get(f"/talents/{talent.pk}/").content.decode()
    assert "郑**" not in page  # read only when the section is opened, and that look is recorded
    assert f"/talents/{talent.pk}/sections/family/" in page
    assert not AuditEvent.objects.filter(action="talent.family_view").exists()
    section = client.get(f"/talents/{talent.pk}/sections/family/", headers={"HX-Request": "true"})
    assert "郑**" in section.content.decode()
    assert "郑小宝" not in section.content.decode()
    assert "<html" not in section.content.decode()
    assert AuditEvent.objects.filter(action="talent.family_view", object_id=str(talent.pk)).count() == 1


def test_staff_without_the_family_permission_see_nothing_of_it(talent, make_user, login):
    office = make_user("talent-office", "320115-ZZB")
    family_add(actor=office, talent=talent, relation="spouse", name="王某某")
    park_user = make_user("park-staff", "320115-P-KFQ")
    client = login(park_user)
    page = client.get(f"/talents/{talent.pk}/").content.decode()
    assert "家庭" not in page
    assert client.get(f"/talents/{talent.pk}/sections/family/").status_code == 403
    with pytest.raises(PermissionDenied):
        family_add(actor=park_user, talent=talent, relation="child", name="x")
    assert FamilyMember.objects.count() == 1


def test_the_talent_sees_their_own_family_in_full(talent, make_user, login):
    account = make_user("talent", None)
    talent.account = account
    talent.save()
    family_add(actor=account, talent=talent, relation="child", name="郑小宝")
    page = login(account).get(f"/talents/{talent.pk}/sections/family/").content.decode()
    assert "郑小宝" in page
    assert "<html" in page  # without htmx, a page of its own
