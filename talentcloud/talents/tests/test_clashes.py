"""Duplicate ID numbers without an existence oracle (ADR 0010): a number held outside the writer's scope is
answered exactly like a new one and kept pending the office's merge; inside the scope the duplicate is named;
the office merges or keeps apart, each step audited."""

from __future__ import annotations

import datetime as dt
import io
import re
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.test import Client
from openpyxl import Workbook

from talentcloud.accounts import sms
from talentcloud.accounts.services import role_upsert
from talentcloud.audit.models import AuditEvent
from talentcloud.enterprises.tests.factories import EnterpriseFactory
from talentcloud.talents.authority import FileFactAdapter, facts_import
from talentcloud.talents.importing import TalentImporter
from talentcloud.talents.liaison import contact_log
from talentcloud.talents.models import Contact, Talent, TalentChange, TalentClash

pytestmark = pytest.mark.django_db


def rid(first17: str) -> str:
    """A valid resident ID number: the 17 digits and their ISO 7064 MOD 11-2 check character."""
    total = sum(int(d) * (2 ** (17 - i) % 11) for i, d in enumerate(first17))
    return first17 + "10X98765432"[total % 11]


X = rid("32011519850317101")  # held by park B's talent
Y = rid("32011519850317102")  # nobody's
Z = rid("32011519850317103")  # park A's other talent's


@pytest.fixture
def world(units: Any, make_user: Any) -> dict[str, Any]:
    firm_a = EnterpriseFactory.create(name="甲园区企业", credit_code="91320115MA1X2Y3W4K")
    firm_b = EnterpriseFactory.create(name="乙园区企业", credit_code="91320100MA1AB2CD3N", in_gxq=True)
    common = {
        "gender": "M",
        "birth_date": dt.date(1985, 3, 17),
        "highest_degree": "master",
        "category": "young",
    }
    secret = Talent.objects.create(
        name="乙园区秘密人才", employer=firm_b, id_number=X, phone="13900000001", post="乙秘密岗位", **common
    )
    one = Talent.objects.create(name="甲一", employer=firm_a, **common)
    two = Talent.objects.create(name="甲一", employer=firm_a, **common)
    three = Talent.objects.create(name="甲三", employer=firm_a, id_number=Z, **common)
    staff = make_user("park-staff", "320115-P-KFQ")
    office = make_user("talent-office", "320115-ZZB")
    return {"secret": secret, "one": one, "two": two, "three": three, "staff": staff, "office": office}


def edit_form(talent: Talent, **overrides: str) -> dict[str, str]:
    data = {
        "name": talent.name,
        "gender": talent.gender,
        "birth_date": talent.birth_date.isoformat(),
        "id_number": talent.id_number,
        "phone": talent.phone,
        "email": "",
        "highest_degree": talent.highest_degree,
        "category": talent.category,
        "employer": str(talent.employer_id),
        "post": "",
        "chain": "",
        "residence_street": "",
        "arrived_on": "",
        "graduated_on": "",
        "social_insurance_since": "",
        "owns_home_in_city": "unknown",
        "contact_every_days": "",
    }
    data.update(overrides)
    return data


def answer(response: Any, own_id: Any) -> tuple[int, str, list[str]]:
    """Status, redirect (the record's own id as a placeholder) and messages of a page's answer."""
    location = response.get("Location", "").replace(str(own_id), "<own>")
    return response.status_code, location, [str(m) for m in get_messages(response.wsgi_request)]


def test_cross_scope_number_is_answered_like_a_new_one_on_the_page_and_the_api(world, login):
    staff = login(world["staff"])
    one, two = world["one"], world["two"]
    clashing = staff.post(f"/talents/{one.pk}/edit/", edit_form(one, id_number=X))
    fresh = login(world["staff"]).post(f"/talents/{two.pk}/edit/", edit_form(two, id_number=Y))
    assert answer(clashing, one.pk) == answer(fresh, two.pk) == (302, "/talents/<own>/", ["已保存。"])
    for talent in (one, two):
        page = staff.get(f"/talents/{talent.pk}/").content.decode()
        assert "乙园区秘密人才" not in page
        assert "乙秘密岗位" not in page
    # The pending record is the writer's like any other: in their list, with the number they entered.
    listing = staff.get("/talents/").content.decode()
    assert listing.count("甲一") >= 2
    assert "乙园区秘密人才" not in listing
    one.refresh_from_db()
    assert one.id_number == X
    assert one.pending_merge
    clash = TalentClash.objects.get()
    assert (clash.new, clash.existing, clash.status, clash.via) == (one, world["secret"], "open", "edit")

    # The API: the same status and the same body but for the record's own id. (Park B holds W too; X is now
    # also on park A's pending record, which park A sees, so X would be named.)
    W = rid("32011519850317105")
    Talent.objects.create(
        name="乙园区秘密人才二",
        employer=world["secret"].employer,
        gender="M",
        birth_date=one.birth_date,
        highest_degree="master",
        category="young",
        id_number=W,
    )
    three_b = Talent.objects.create(
        name="甲一",
        employer=one.employer,
        gender="M",
        birth_date=one.birth_date,
        highest_degree="master",
        category="young",
    )
    four = Talent.objects.create(
        name="甲一",
        employer=one.employer,
        gender="M",
        birth_date=one.birth_date,
        highest_degree="master",
        category="young",
    )
    api_clash = staff.patch(
        f"/api/v1/talents/{three_b.pk}", {"id_number": W}, content_type="application/json"
    )
    api_new = staff.patch(
        f"/api/v1/talents/{four.pk}", {"id_number": rid("32011519850317104")}, content_type="application/json"
    )
    assert api_clash.status_code == api_new.status_code == 200, api_clash.content
    assert {**api_clash.json(), "id": "-"} == {**api_new.json(), "id": "-"}
    assert "乙园区" not in api_clash.content.decode()
    assert TalentClash.objects.filter(new=three_b, existing__name="乙园区秘密人才二", status="open").exists()
    again = staff.patch(f"/api/v1/talents/{four.pk}", {"id_number": X}, content_type="application/json")
    assert again.status_code == 422  # park A's own pending record holds X: inside the scope, named


def test_inside_the_scope_the_duplicate_is_still_named(world, login):
    staff = login(world["staff"])
    one = world["one"]
    page = staff.post(f"/talents/{one.pk}/edit/", edit_form(one, id_number=Z))
    assert page.status_code == 400
    assert "重复" in page.content.decode() or "duplicate" in page.content.decode()
    api = staff.patch(f"/api/v1/talents/{one.pk}", {"id_number": Z}, content_type="application/json")
    assert api.status_code == 422
    assert "id_number" in api.json()["fields"]
    one.refresh_from_db()
    assert one.id_number == ""
    assert not TalentClash.objects.exists()
    # The office sees every park: for it, park B's number is inside the scope and named.
    office = login(world["office"])
    assert office.post(f"/talents/{one.pk}/edit/", edit_form(one, id_number=X)).status_code == 400


def test_correcting_the_number_withdraws_the_clash(world, login):
    staff = login(world["staff"])
    one = world["one"]
    staff.post(f"/talents/{one.pk}/edit/", edit_form(one, id_number=X))
    one.refresh_from_db()
    assert one.pending_merge
    assert staff.post(f"/talents/{one.pk}/edit/", edit_form(one, id_number=Y)).status_code == 302
    one.refresh_from_db()
    assert not one.pending_merge
    assert one.id_number == Y
    assert TalentClash.objects.get().status == "withdrawn"


def test_the_office_merges_the_pending_record_into_the_existing_one(world, login, make_user):
    staff = login(world["staff"])
    one, secret = world["one"], world["secret"]
    staff.post(f"/talents/{one.pk}/edit/", edit_form(one, id_number=X, phone="13911112222", post="甲岗位"))
    cadre = make_user("talent-office", "320115-ZZB")
    contact_log(
        actor=cadre, talent=Talent.objects.get(pk=one.pk), kind="visit", happened_on=dt.date(2026, 1, 5)
    )
    clash = TalentClash.objects.get()

    # Park staff cannot reach the office's page or its API.
    assert staff.get("/talents/clashes/").status_code == 403
    assert staff.get(f"/talents/clashes/talents/{clash.pk}/").status_code == 403
    assert staff.get("/api/v1/talents/clashes").status_code == 403

    office = login(world["office"])
    listing = office.get("/talents/clashes/").content.decode()
    assert "甲一" in listing
    assert "乙园区秘密人才" in listing
    detail = office.get(f"/talents/clashes/talents/{clash.pk}/")
    assert detail.status_code == 200
    fields = {d.field for d in detail.context["differences"]}
    assert {"name", "phone", "post", "employer"} <= fields
    assert "id_number" not in fields
    api = office.get("/api/v1/talents/clashes").json()
    assert [(c["kind"], c["new_name"], c["existing_name"]) for c in api] == [
        ("talent", "甲一", "乙园区秘密人才")
    ]

    bad = office.post(f"/talents/clashes/talents/{clash.pk}/", {"action": "merge", "take": ["id_number"]})
    assert bad.status_code == 400
    response = office.post(
        f"/talents/clashes/talents/{clash.pk}/", {"action": "merge", "take": ["phone"], "note": "同一人"}
    )
    assert response.status_code == 302
    assert response["Location"] == f"/talents/{secret.pk}/"
    assert not Talent.objects.filter(pk=one.pk).exists()
    secret.refresh_from_db()
    assert secret.phone == "13911112222"  # taken
    assert secret.post == "乙秘密岗位"  # not taken
    assert Contact.objects.get().talent_id == secret.pk  # what the new record gathered moved over
    assert TalentChange.objects.filter(talent=secret, via="merge", field="phone").exists()
    assert TalentChange.objects.filter(talent=secret, via="staff", field="id_number").exists()
    clash.refresh_from_db()
    assert (clash.status, clash.taken, clash.resolved_by) == ("merged", ["phone"], world["office"])
    event = AuditEvent.objects.get(action="clash.merge")
    assert event.object_id == str(secret.pk)
    assert event.details["taken"] == ["phone"]
    # Resolving twice is a conflict (the clash is no longer open: not found on the page).
    again = office.post(
        f"/api/v1/talents/clashes/talents/{clash.pk}/merge", {}, content_type="application/json"
    )
    assert again.status_code == 404


def test_the_office_keeps_the_two_apart(world, login):
    staff = login(world["staff"])
    one = world["one"]
    staff.post(f"/talents/{one.pk}/edit/", edit_form(one, id_number=X))
    clash = TalentClash.objects.get()
    office = login(world["office"])
    wrong = office.post(
        f"/api/v1/talents/clashes/talents/{clash.pk}/keep-apart",
        {"number": Z},
        content_type="application/json",
    )
    assert wrong.status_code == 422  # another record has that number
    response = office.post(
        f"/api/v1/talents/clashes/talents/{clash.pk}/keep-apart",
        {"note": "不同的人，号码录错"},
        content_type="application/json",
    )
    assert response.status_code == 200
    one.refresh_from_db()
    assert not one.pending_merge
    assert one.id_number == ""  # the number stays with the record that had it
    assert TalentChange.objects.filter(talent=one, via="apart", field="id_number").exists()
    assert TalentClash.objects.get().status == "apart"
    assert AuditEvent.objects.filter(action="clash.keep_apart", object_id=str(one.pk)).exists()
    # The writer can now enter the person's right number.
    assert staff.post(f"/talents/{one.pk}/edit/", edit_form(one, id_number=Y)).status_code == 302


# -- sign-up ----------------------------------------------------------------------------------------------


@pytest.fixture
def clean_sms():
    cache.clear()
    sms.outbox.clear()
    yield
    cache.clear()


def sign_up(client: Client, *, username: str, id_number: str, phone: str) -> Any:
    client.post("/talents/register/code/", {"phone": phone})
    code = re.search(r"\d{6}", sms.outbox[-1][1]).group(0)  # type: ignore[union-attr]
    data = {
        "name": "王小明",
        "id_number": id_number,
        "phone": phone,
        "code": code,
        "username": username,
        "password": "Xiaoming-Pass-2026",
        "password_again": "Xiaoming-Pass-2026",
    }
    return client.post("/talents/register/", data)


def test_signing_up_with_a_number_whose_archive_has_an_account_looks_like_a_new_one(
    world, make_user, clean_sms
):
    secret = world["secret"]
    secret.account = make_user("talent", None, username="first.owner")
    secret.save()
    taken = sign_up(Client(), username="second.try", id_number=X, phone="13912345678")
    cache.clear()
    fresh = sign_up(Client(), username="third.one", id_number=Y, phone="13912345679")
    new_taken = Talent.objects.get(account__username="second.try")
    new_fresh = Talent.objects.get(account__username="third.one")
    assert answer(taken, new_taken.pk) == answer(fresh, new_fresh.pk)
    assert taken.status_code == 302
    assert new_taken.pending_merge
    assert not new_fresh.pending_merge
    clash = TalentClash.objects.get()
    assert (clash.new, clash.existing, clash.via) == (new_taken, secret, "register")
    secret.refresh_from_db()
    assert secret.account.username == "first.owner"  # nothing of the archive was handed over


# -- import ------------------------------------------------------------------------------------------------


def test_an_import_updates_only_what_the_importer_sees_and_keeps_the_rest_pending(world, make_user):

    role_upsert(
        code="park-importer",
        name="园区导入",
        name_en="Park importer",
        kind="area_staff",
        scope="unit_below",
        permissions=["talent.view", "talent.import"],
    )
    importer = make_user("park-importer", "320115-P-KFQ")
    book = Workbook()
    sheet = book.active
    sheet.append(["姓名", "性别", "出生日期", "证件号码", "最高学历", "金字塔类别", "岗位（可选）"])
    for name, number in (("导入甲", X), ("导入乙", Z), ("导入丙", Y)):
        sheet.append([name, "男", "1985-03-17", number, "硕士", "青年人才", "导入岗位"])
    buffer = io.BytesIO()
    book.save(buffer)
    result = TalentImporter().run(data=buffer.getvalue(), actor=importer)
    assert not result.errors
    # Created: the new number and the one held outside the scope, alike; updated: park A's own talent.
    assert (result.created, result.updated) == (2, 1)
    secret = world["secret"]
    secret.refresh_from_db()
    assert secret.name == "乙园区秘密人才"
    assert secret.post == "乙秘密岗位"
    world["three"].refresh_from_db()
    assert world["three"].name == "导入乙"
    pending = Talent.objects.get(name="导入甲")
    assert pending.pending_merge
    assert pending.id_number == X
    assert not Talent.objects.get(name="导入丙").pending_merge
    clash = TalentClash.objects.get()
    assert (clash.new, clash.existing, clash.via, clash.raised_by) == (pending, secret, "import", importer)


def test_facts_from_an_authority_go_to_the_holder_not_the_pending_record(world, login):

    one = world["one"]
    login(world["staff"]).post(f"/talents/{one.pk}/edit/", edit_form(one, id_number=X))
    data = f"证件号码,事项,值,截至日期\n{X},social_insurance_since,2019-07-01,2026-11-01\n".encode()
    report = facts_import(
        adapter=FileFactAdapter(data=data, filename="si.csv", source_name="social_insurance")
    )
    assert report.applied == 1
    world["secret"].refresh_from_db()
    one.refresh_from_db()
    assert world["secret"].social_insurance_since == dt.date(2019, 7, 1)
    assert one.social_insurance_since is None
