"""Scope on writes for enterprises: a park's staff name only their own park (any street), a street's staff
only their own street (any park); pages, the API, the service and the import all refuse the rest."""

from __future__ import annotations

import io
import random
import re

import pytest
from openpyxl import Workbook

from talentcloud.audit.models import AuditEvent
from talentcloud.common.errors import ValidationFailed
from talentcloud.demo.seed import credit_code
from talentcloud.enterprises import services
from talentcloud.enterprises.importing import EnterpriseImporter
from talentcloud.enterprises.models import Enterprise, EnterpriseChange
from talentcloud.enterprises.tests.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db


def options(html: str, name: str) -> set[str]:
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html, re.S)
    assert select is not None, f"no <select name={name}>"
    return set(re.findall(r'<option value="([^"]*)"', select.group(1)))


def test_choice_lists_follow_the_writers_units(units, make_user, login):
    park_page = login(make_user("park-staff", "320115-P-KFQ")).get("/enterprises/new/").content.decode()
    assert options(park_page, "park") == {"", str(units["320115-P-KFQ"].pk)}
    assert str(units["320115-S-QL"].pk) in options(park_page, "street")  # streets cross parks
    street_page = login(make_user("street-staff", "320115-S-ML")).get("/enterprises/new/").content.decode()
    assert options(street_page, "street") == {"", str(units["320115-S-ML"].pk)}
    assert str(units["320115-P-GXQ"].pk) in options(street_page, "park")
    office_page = login(make_user("talent-office", "320115-ZZB")).get("/enterprises/new/").content.decode()
    assert str(units["320115-P-GXQ"].pk) in options(office_page, "park")


def test_moving_an_enterprise_to_another_park_is_refused_everywhere(units, make_user, login, kfq_firm):
    staff = make_user("park-staff", "320115-P-KFQ")
    client = login(staff)
    before = (EnterpriseChange.objects.count(), AuditEvent.objects.count())
    with pytest.raises(ValidationFailed) as refused:
        services.enterprise_update(actor=staff, enterprise=kfq_firm, changes={"park": units["320115-P-GXQ"]})
    assert list(refused.value.fields) == ["park"]
    response = client.patch(
        f"/api/v1/enterprises/{kfq_firm.pk}",
        {"park": units["320115-P-GXQ"].pk},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert list(response.json()["fields"]) == ["park"]
    kfq_firm.refresh_from_db()
    assert kfq_firm.park == units["320115-P-KFQ"]
    assert (EnterpriseChange.objects.count(), AuditEvent.objects.count()) == before
    # Its own park, another street: allowed (and the office may move it anywhere).
    changed = services.enterprise_update(
        actor=staff, enterprise=kfq_firm, changes={"street": units["320115-S-DS"]}
    )
    assert changed == ["street"]
    office = make_user("talent-office", "320115-ZZB")
    services.enterprise_update(actor=office, enterprise=kfq_firm, changes={"park": units["320115-P-GXQ"]})
    assert Enterprise.objects.get(pk=kfq_firm.pk).park == units["320115-P-GXQ"]


def test_a_place_that_leaves_the_writers_area_is_refused(units, make_user, kfq_firm):
    staff = make_user("park-staff", "320115-P-KFQ")
    with pytest.raises(ValidationFailed) as refused:
        services.enterprise_update(actor=staff, enterprise=kfq_firm, changes={"park": None})
    assert "street" in refused.value.fields
    assert Enterprise.objects.get(pk=kfq_firm.pk).park == units["320115-P-KFQ"]


def sheet(rows: list[list[object]]) -> bytes:
    book = Workbook()
    book.active.append(["企业名称", "统一社会信用代码", "街道", "园区"])
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_import_rows_keep_to_the_importers_park(units, make_user, kfq_firm):
    gxq_firm = EnterpriseFactory.create(
        name="高新区乙公司", credit_code=credit_code(random.Random(7)), in_gxq=True
    )
    staff = make_user("park-staff", "320115-P-KFQ")
    fresh = credit_code(random.Random(5))
    data = sheet(
        [
            ["本园区新企业", fresh, "秣陵街道", "江宁经济技术开发区"],  # fine
            ["别园区新企业", credit_code(random.Random(6)), "秣陵街道", "江宁高新技术产业开发区"],
            ["改名", gxq_firm.credit_code, "秣陵街道", "江宁经济技术开发区"],  # another park's: kept pending
            [kfq_firm.name, kfq_firm.credit_code, "麒麟街道", ""],  # would leave the importer's area
        ]
    )
    result = EnterpriseImporter().run(data=data, actor=staff)
    assert sorted((e.row, e.column) for e in result.errors) == [
        (3, "园区"),
        (5, "街道"),
    ]
    assert "区域" in result.errors[0].message
    assert Enterprise.objects.filter(credit_code=fresh).count() == 0  # one bad row: nothing saved
    gxq_firm.refresh_from_db()
    assert (gxq_firm.name, gxq_firm.park) == ("高新区乙公司", units["320115-P-GXQ"])
    office = make_user("talent-office", "320115-ZZB")
    assert EnterpriseImporter().run(data=data, actor=office).ok
