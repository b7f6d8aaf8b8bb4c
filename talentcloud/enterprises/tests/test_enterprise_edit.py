"""一企一档: staff register and edit enterprises in their area; every change is kept as history."""

from __future__ import annotations

import pytest

from talentcloud.audit.models import AuditEvent
from talentcloud.enterprises.models import Enterprise, EnterpriseChange

pytestmark = pytest.mark.django_db


def new_form(units, **overrides):
    data = {
        "name": "南京江宁智造科技有限公司",
        "credit_code": "91320115MA1X2Y3W4K",
        "street": units["320115-S-ML"].pk,
        "park": units["320115-P-KFQ"].pk,
        "founded_on": "2019-03-01",
        "address": "胜太路 88 号",
        "tags": "高新技术企业，瞪羚企业",
    }
    data.update(overrides)
    return data


def test_park_staff_register_and_edit_with_history(units, make_user, login):
    client = login(make_user("park-staff", "320115-P-KFQ"))
    response = client.post("/enterprises/new/", new_form(units))
    assert response.status_code == 302, response.content.decode()[-2000:]
    enterprise = Enterprise.objects.get()
    assert enterprise.tags == ["高新技术企业", "瞪羚企业"]
    data = new_form(units, name="南京江宁智造集团有限公司", address="胜太路 99 号")
    response = client.post(f"/enterprises/{enterprise.pk}/edit/", data)
    assert response.status_code == 302
    enterprise.refresh_from_db()
    assert enterprise.name == "南京江宁智造集团有限公司"
    changes = {c.field: (c.before, c.after) for c in EnterpriseChange.objects.filter(via="staff")}
    assert changes == {
        "name": ("南京江宁智造科技有限公司", "南京江宁智造集团有限公司"),
        "address": ("胜太路 88 号", "胜太路 99 号"),
    }
    page = client.get(f"/enterprises/{enterprise.pk}/").content.decode()
    assert "胜太路 88 号" in page  # the history is on the record's page
    assert AuditEvent.objects.filter(action="enterprise.update", object_id=str(enterprise.pk)).exists()
    # Saving the same values again changes nothing and writes no history.
    client.post(f"/enterprises/{enterprise.pk}/edit/", data)
    assert EnterpriseChange.objects.filter(via="staff").count() == 2


def test_bad_input_is_named_at_the_field_and_nothing_saved(units, make_user, login, kfq_firm):
    client = login(make_user("park-staff", "320115-P-KFQ"))
    bad_check = new_form(units, credit_code="91320115MA1X2Y3W4A")
    response = client.post("/enterprises/new/", bad_check)
    assert response.status_code == 400
    assert "校验" in response.content.decode() or "does not match" in response.content.decode()
    taken = new_form(units, credit_code=kfq_firm.credit_code)
    response = client.post("/enterprises/new/", taken)
    assert response.status_code == 400
    assert kfq_firm.name in response.content.decode()
    park_as_street = new_form(units, street=units["320115-P-KFQ"].pk)
    assert client.post("/enterprises/new/", park_as_street).status_code == 400
    assert Enterprise.objects.count() == 1


def test_staff_cannot_register_or_edit_outside_their_area(units, make_user, login, kfq_firm):
    client = login(make_user("park-staff", "320115-P-GXQ"))
    elsewhere = new_form(units, credit_code="91320100MA1AB2CD3N", park="")
    response = client.post("/enterprises/new/", elsewhere)
    assert response.status_code == 400
    assert "区域" in response.content.decode() or "outside your area" in response.content.decode()
    assert Enterprise.objects.count() == 1
    assert client.get(f"/enterprises/{kfq_firm.pk}/edit/").status_code == 404
    response = client.post(f"/enterprises/{kfq_firm.pk}/edit/", new_form(units, name="改名"))
    assert response.status_code == 404
    kfq_firm.refresh_from_db()
    assert kfq_firm.name == "南京紫峰软件有限公司"


def test_cadre_without_edit_permission_is_refused(make_user, login, kfq_firm):
    client = login(make_user("liaison-cadre", "320115-ZZB"))
    assert client.get("/enterprises/new/").status_code == 403
