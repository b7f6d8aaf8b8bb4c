"""Duplicate credit codes without an existence oracle (ADR 0010): a code held by another park's enterprise is
answered exactly like a new one and kept pending the office's merge; inside the scope it is named; the office
merges or keeps apart, each step audited."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.db import IntegrityError, transaction
from openpyxl import Workbook
from stdnum.cn import uscc

from talentcloud.accounts.services import role_upsert
from talentcloud.audit.models import AuditEvent
from talentcloud.enterprises.importing import EnterpriseImporter
from talentcloud.enterprises.models import (
    AnnualReport,
    Enterprise,
    EnterpriseChange,
    EnterpriseClash,
    EnterpriseMember,
)
from talentcloud.enterprises.services import annual_report_submit
from talentcloud.enterprises.tests.factories import EnterpriseFactory
from talentcloud.talents.models import Talent

pytestmark = pytest.mark.django_db


def code(n: int) -> str:
    first17 = f"91320115MA1X2Y{n:03d}"
    return first17 + uscc.calc_check_digit(first17)


SECRET = code(1)  # park B's enterprise's
FRESH = code(2)  # nobody's
OWN = code(3)  # park A's enterprise's


@pytest.fixture
def world(units: Any, make_user: Any) -> dict[str, Any]:
    secret = EnterpriseFactory.create(
        name="乙园区秘密企业", credit_code=SECRET, address="乙园区秘密地址", in_gxq=True
    )
    own = EnterpriseFactory.create(name="甲园区企业", credit_code=OWN)
    staff = make_user("park-staff", "320115-P-KFQ")
    office = make_user("talent-office", "320115-ZZB")
    return {"units": units, "secret": secret, "own": own, "staff": staff, "office": office}


def new_form(world: dict[str, Any], credit_code: str, name: str = "甲园区新企业") -> dict[str, str]:
    return {
        "name": name,
        "credit_code": credit_code,
        "street": str(world["units"]["320115-S-ML"].pk),
        "park": str(world["units"]["320115-P-KFQ"].pk),
        "chain": "",
        "founded_on": "2020-05-01",
        "address": "甲园区地址",
        "tags": "",
    }


def answer(response: Any, own_id: Any) -> tuple[int, str, list[str]]:
    location = response.get("Location", "").replace(str(own_id), "<own>")
    return response.status_code, location, [str(m) for m in get_messages(response.wsgi_request)]


def test_another_parks_code_is_answered_like_a_new_one_on_the_page_and_the_api(world, login):
    clashing = login(world["staff"]).post("/enterprises/new/", new_form(world, SECRET))
    fresh = login(world["staff"]).post("/enterprises/new/", new_form(world, FRESH))
    pending = Enterprise.objects.get(credit_code=SECRET, pending_merge=True)
    created = Enterprise.objects.get(credit_code=FRESH)
    assert answer(clashing, pending.pk) == answer(fresh, created.pk)
    assert answer(clashing, pending.pk)[:2] == (302, "/enterprises/<own>/")
    staff = login(world["staff"])
    page = staff.get(f"/enterprises/{pending.pk}/").content.decode()
    assert SECRET in page
    assert "乙园区" not in page
    listing = staff.get("/enterprises/").content.decode()
    assert "甲园区新企业" in listing
    assert "乙园区" not in listing
    clash = EnterpriseClash.objects.get()
    assert (clash.new, clash.existing, clash.via, clash.status) == (
        pending,
        world["secret"],
        "create",
        "open",
    )

    # The API: the same status and the same body but for the record's id and code.
    secret_two = EnterpriseFactory.create(name="乙园区秘密企业二", credit_code=code(4), in_gxq=True)
    units = world["units"]
    payload = {"name": "甲园区接口企业", "street": units["320115-S-ML"].pk, "park": units["320115-P-KFQ"].pk}
    api_clash = staff.post(
        "/api/v1/enterprises",
        {**payload, "credit_code": secret_two.credit_code},
        content_type="application/json",
    )
    api_new = staff.post(
        "/api/v1/enterprises", {**payload, "credit_code": code(5)}, content_type="application/json"
    )
    assert api_clash.status_code == api_new.status_code == 201, api_clash.content.decode()
    strip = {"id": "-", "credit_code": "-"}
    assert {**api_clash.json(), **strip} == {**api_new.json(), **strip}
    assert "乙园区" not in api_clash.content.decode()

    # An edit to another park's code: the same. (Park A's own pending record now holds secret_two's code,
    # which park A sees: that one would be named.)
    secret_three = EnterpriseFactory.create(name="乙园区秘密企业三", credit_code=code(7), in_gxq=True)
    own = world["own"]
    edit = {**new_form(world, code(6), name=own.name)}
    edited = staff.post(f"/enterprises/{own.pk}/edit/", edit)
    assert edited.status_code == 302
    assert edited["Location"] == f"/enterprises/{own.pk}/"
    api_edit = staff.patch(
        f"/api/v1/enterprises/{own.pk}",
        {"credit_code": secret_three.credit_code},
        content_type="application/json",
    )
    assert api_edit.status_code == 200
    assert "乙园区" not in api_edit.content.decode()
    own.refresh_from_db()
    assert own.pending_merge
    assert own.credit_code == secret_three.credit_code
    assert EnterpriseClash.objects.filter(new=own, existing=secret_three, via="edit", status="open").exists()


def test_inside_the_scope_the_code_is_still_named(world, login):
    staff = login(world["staff"])
    page = staff.post("/enterprises/new/", new_form(world, OWN))
    assert page.status_code == 400
    assert "甲园区企业" in page.content.decode()
    api = staff.post(
        "/api/v1/enterprises",
        {
            "name": "x",
            "credit_code": OWN,
            "street": world["units"]["320115-S-ML"].pk,
            "park": world["units"]["320115-P-KFQ"].pk,
        },
        content_type="application/json",
    )
    assert api.status_code == 422
    assert "甲园区企业" in api.json()["fields"]["credit_code"][0]
    # The office sees every park: park B's code is inside its scope and named.
    office = login(world["office"])
    assert "乙园区秘密企业" in office.post("/enterprises/new/", new_form(world, SECRET)).content.decode()
    assert not EnterpriseClash.objects.exists()


def test_the_office_merges_the_pending_enterprise(world, login, make_user):
    staff = login(world["staff"])
    staff.post("/enterprises/new/", new_form(world, SECRET))
    pending = Enterprise.objects.get(pending_merge=True)
    talent = Talent.objects.create(
        name="甲园区员工",
        gender="F",
        birth_date=dt.date(1990, 1, 1),
        highest_degree="master",
        category="young",
        employer=pending,
    )
    hr = make_user("enterprise-hr", None)
    EnterpriseMember.objects.create(enterprise=pending, user=hr, is_admin=True)
    EnterpriseMember.objects.create(enterprise=world["secret"], user=hr, is_admin=False)  # a repeated link
    figures: dict[str, Any] = {"revenue": Decimal(100), "rd_spend": Decimal(10), "staff": 5, "patents": 1}
    annual_report_submit(actor=world["office"], enterprise=world["secret"], year=2024, **figures)
    annual_report_submit(actor=world["office"], enterprise=pending, year=2024, **figures)
    annual_report_submit(actor=world["office"], enterprise=pending, year=2023, **figures)
    clash = EnterpriseClash.objects.get()

    assert staff.get(f"/talents/clashes/enterprises/{clash.pk}/").status_code == 403
    office = login(world["office"])
    detail = office.get(f"/talents/clashes/enterprises/{clash.pk}/")
    assert {d.field for d in detail.context["differences"]} == {
        "name",
        "park",
        "street",
        "founded_on",
        "address",
    }
    api = office.get(f"/api/v1/talents/clashes/enterprises/{clash.pk}").json()
    assert api["new_name"] == "甲园区新企业"
    assert api["existing_name"] == "乙园区秘密企业"
    response = office.post(
        f"/api/v1/talents/clashes/enterprises/{clash.pk}/merge",
        {"take": ["founded_on"], "note": "同一企业"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    secret = world["secret"]
    assert response.json() == {"status": "merged", "enterprise_id": str(secret.pk)}
    assert not Enterprise.objects.filter(pk=pending.pk).exists()
    secret.refresh_from_db()
    assert secret.founded_on == dt.date(2020, 5, 1)
    assert secret.address == "乙园区秘密地址"
    talent.refresh_from_db()
    assert talent.employer_id == secret.pk
    assert EnterpriseMember.objects.filter(user=hr).count() == 1  # the repeated link is not doubled
    # Its figures became the existing enterprise's; for a year both had, the existing one's stay current.
    assert AnnualReport.objects.filter(enterprise=secret).count() == 3
    assert AnnualReport.objects.filter(enterprise=secret, year=2024, current=True).count() == 1
    assert EnterpriseChange.objects.filter(enterprise=secret, via="merge", field="founded_on").exists()
    assert AuditEvent.objects.filter(action="clash.merge", object_id=str(secret.pk)).exists()
    again = office.post(f"/talents/clashes/enterprises/{clash.pk}/", {"action": "merge"})
    assert again.status_code == 404


def test_the_office_keeps_two_enterprises_apart_with_the_right_code(world, login):
    staff = login(world["staff"])
    staff.post("/enterprises/new/", new_form(world, SECRET))
    pending = Enterprise.objects.get(pending_merge=True)
    clash = EnterpriseClash.objects.get()
    office = login(world["office"])
    url = f"/talents/clashes/enterprises/{clash.pk}/"
    no_code = office.post(url, {"action": "apart"})
    assert no_code.status_code == 400  # two enterprises cannot share a code
    taken = office.post(url, {"action": "apart", "number": OWN})
    assert taken.status_code == 400
    assert "甲园区企业" in taken.content.decode()
    response = office.post(url, {"action": "apart", "number": FRESH, "note": "录错"})
    assert response.status_code == 302
    pending.refresh_from_db()
    assert (pending.pending_merge, pending.credit_code) == (False, FRESH)
    assert EnterpriseClash.objects.get().status == "apart"
    assert EnterpriseChange.objects.filter(enterprise=pending, via="apart", field="credit_code").exists()
    assert AuditEvent.objects.filter(action="clash.keep_apart", object_id=str(pending.pk)).exists()


def test_the_database_holds_one_enterprise_per_code_but_pending_ones(world):

    fields = {"name": "x", "street": world["units"]["320115-S-ML"]}
    with pytest.raises(IntegrityError), transaction.atomic():
        Enterprise.objects.create(credit_code=SECRET, **fields)
    Enterprise.objects.create(credit_code=SECRET, pending_merge=True, **fields)


def test_an_import_updates_only_what_the_importer_sees_and_keeps_the_rest_pending(world, make_user):

    role_upsert(
        code="park-importer",
        name="园区导入",
        name_en="Park importer",
        kind="area_staff",
        scope="unit_below",
        permissions=["enterprise.view", "enterprise.import"],
    )
    importer = make_user("park-importer", "320115-P-KFQ")
    book = Workbook()
    sheet = book.active
    sheet.append(["企业名称", "统一社会信用代码", "街道", "园区（可选）"])
    for name, credit_code in (("导入甲", SECRET), ("导入乙", OWN), ("导入丙", FRESH)):
        sheet.append([name, credit_code, "秣陵街道", "江宁经济技术开发区"])
    buffer = io.BytesIO()
    book.save(buffer)
    result = EnterpriseImporter().run(data=buffer.getvalue(), actor=importer)
    assert not result.errors
    assert (result.created, result.updated) == (2, 1)
    secret = world["secret"]
    secret.refresh_from_db()
    assert secret.name == "乙园区秘密企业"
    assert Enterprise.objects.get(pk=world["own"].pk).name == "导入乙"
    pending = Enterprise.objects.get(name="导入甲")
    assert pending.pending_merge
    assert pending.credit_code == SECRET
    clash = EnterpriseClash.objects.get()
    assert (clash.new, clash.existing, clash.via) == (pending, secret, "import")
