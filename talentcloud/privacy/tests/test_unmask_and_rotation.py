from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test import override_settings

from talentcloud.audit.models import AuditEvent
from talentcloud.common.keys import _cached
from talentcloud.enterprises.models import Enterprise
from talentcloud.privacy.rotation import rotate, stale_counts
from talentcloud.talents.models import Talent

pytestmark = pytest.mark.django_db
ID = "32011519850317123X"


def make_talent(**kwargs):
    defaults = {
        "name": "张三",
        "gender": "M",
        "birth_date": dt.date(1985, 3, 17),
        "highest_degree": "doctor",
        "category": "young",
    }
    return Talent.objects.create(**{**defaults, **kwargs})


RAW_SQL = {
    "id_number": "SELECT id_number FROM talents_talent WHERE id = %s",
    "phone": "SELECT phone FROM talents_talent WHERE id = %s",
}


def raw_column(pk, column):
    with connection.cursor() as cursor:
        cursor.execute(RAW_SQL[column], [pk.hex if connection.vendor == "sqlite" else pk])
        return cursor.fetchone()[0]


def test_detail_is_masked_and_unmask_needs_permission_and_reason(make_user, login):
    talent = make_talent(id_number=ID, phone="13812345678")
    office = login(make_user("talent-office", "320115-ZZB"))
    page = office.get(f"/talents/{talent.pk}/").content.decode()
    assert "3201**********123X" in page
    assert ID not in page
    assert "13812345678" not in page
    no_reason = office.post(f"/talents/{talent.pk}/unmask/", {"field": "id_number", "reason": ""})
    assert no_reason.status_code == 422
    assert ID not in no_reason.content.decode()
    shown = office.post(f"/talents/{talent.pk}/unmask/", {"field": "id_number", "reason": "核对购房补贴材料"})
    assert ID in shown.content.decode()
    event = AuditEvent.objects.get(action="pii.unmask")
    assert event.object_id == str(talent.pk)
    assert event.details == {"field": "id_number", "reason": "核对购房补贴材料"}
    assert ID not in str(event.details)
    assert (
        office.post(f"/talents/{talent.pk}/unmask/", {"field": "name", "reason": "xxxxx"}).status_code == 404
    )


def test_staff_without_the_permission_cannot_unmask(make_user, login, units):

    ent = Enterprise.objects.create(
        name="甲", credit_code="91320115MA1AAAAA01", park=units["320115-P-KFQ"], street=units["320115-S-ML"]
    )
    talent = make_talent(id_number=ID, employer=ent)
    park = login(make_user("park-staff", "320115-P-KFQ"))
    page = park.get(f"/talents/{talent.pk}/").content.decode()
    assert "3201**********123X" in page
    assert "unmask" not in page
    denied = park.post(f"/talents/{talent.pk}/unmask/", {"field": "id_number", "reason": "just looking"})
    assert denied.status_code == 403
    assert ID not in denied.content.decode()
    assert not AuditEvent.objects.filter(action="pii.unmask").exists()


TWO_KEYS = "t1:dGVzdC1rZXktb25lLTE2Yg==,t2:dGVzdC1rZXktdHdvLTE2Yg=="


def test_rotation_re_encrypts_everything_and_the_old_key_can_go():
    talents = [
        make_talent(name=f"人{i}", id_number=f"3201151985031712{i:02d}"[:18], phone=f"138000000{i:02d}")
        for i in range(25)
    ]
    assert raw_column(talents[0].pk, "id_number").startswith("sm4gcm$t1$")
    _cached.cache_clear()
    with override_settings(PRIVACY_KEYS=TWO_KEYS, PRIVACY_ACTIVE_KEY="t2"):
        assert stale_counts()["talents.Talent"] == 25
        report = rotate(batch_size=10)
        assert report.rows["talents.Talent"] == 25
        assert stale_counts()["talents.Talent"] == 0
        assert rotate(batch_size=10).total == 0  # a rerun finds nothing left
    _cached.cache_clear()
    with override_settings(PRIVACY_KEYS="t2:dGVzdC1rZXktdHdvLTE2Yg==", PRIVACY_ACTIVE_KEY="t2"):
        for talent in talents:
            fresh = Talent.objects.get(pk=talent.pk)
            assert fresh.id_number == talent.id_number
            assert fresh.phone == talent.phone
        assert raw_column(talents[0].pk, "phone").startswith("sm4gcm$t2$")
    _cached.cache_clear()
    assert AuditEvent.objects.filter(action="privacy.rotate").count() == 2


def test_rotation_resumes_after_an_interrupted_batch():
    for i in range(30):
        make_talent(name=f"人{i}", id_number=f"32011519850317{i:04d}", phone=f"1390000{i:04d}")
    _cached.cache_clear()
    with override_settings(PRIVACY_KEYS=TWO_KEYS, PRIVACY_ACTIVE_KEY="t2"):

        class Stop(Exception):
            pass

        def stop_after_first(label, n):
            raise Stop

        with pytest.raises(Stop):
            rotate(batch_size=10, on_batch=stop_after_first)
        assert stale_counts()["talents.Talent"] == 20
        assert rotate(batch_size=10).rows["talents.Talent"] == 20
        assert stale_counts()["talents.Talent"] == 0
    _cached.cache_clear()
