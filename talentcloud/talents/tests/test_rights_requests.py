"""Personal-data requests (PIPL arts. 45–47): copy, correction, deletion or restriction, audited."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from talentcloud.audit.models import AuditEvent
from talentcloud.common.errors import Conflict, ValidationFailed
from talentcloud.conftest import PASSWORD
from talentcloud.policies.models import FactKind, RecordedValue
from talentcloud.policies.office_facts import define_fact
from talentcloud.talents.models import (
    ChildBirth,
    ContributionPeriod,
    Education,
    FamilyMember,
    Qualification,
    RightsRequest,
    Talent,
    TalentProgramme,
    month_index,
)
from talentcloud.talents.programmes import programmes_install
from talentcloud.talents.services import ANONYMISED_NAME, rights_request_complete, rights_request_create

pytestmark = pytest.mark.django_db
ID = "32011519850317123X"


@pytest.fixture
def person(make_user):
    account = make_user("talent", None, username="zhang.san")
    talent = Talent.objects.create(
        name="张三",
        gender="M",
        birth_date=dt.date(1985, 3, 17),
        highest_degree="doctor",
        category="young",
        id_number=ID,
        phone="13812345678",
        account=account,
    )
    return account, talent


def _archive_rows(talent: Talent) -> None:
    """An education, a programme title, a child, a run of social insurance."""
    Education.objects.create(
        talent=talent, degree="doctor", school="东南大学", graduated_on=dt.date(2015, 6, 30), full_time=True
    )
    programmes_install()
    Qualification.objects.create(
        talent=talent,
        kind="programme",
        programme=TalentProgramme.objects.get(code="changjiang-scholars"),
        name="长江学者奖励计划",
        year=2022,
    )
    child = FamilyMember.objects.create(talent=talent, relation="child", name="张小", birth_date="2024-05-01")
    ChildBirth.objects.create(talent=talent, member=child, birth_date=dt.date(2024, 5, 1))
    ContributionPeriod.objects.create(
        talent=talent, first_month=month_index(dt.date(2020, 3, 1)), source="staff"
    )


def test_a_talent_asks_for_a_copy_and_downloads_their_data(person, login):
    account, talent = person
    _archive_rows(talent)
    postdoc = define_fact(actor=None, key="postdoc_here", label="博士后在站", kind=FactKind.RECOGNITION)
    RecordedValue.objects.create(
        definition=postdoc, talent=talent, valid_from=dt.date(2023, 1, 1), source="staff", verified=True
    )
    client = login(account)
    # No open request for a copy: no copy.
    refused = client.get(f"/talents/{talent.pk}/data.json")
    assert refused.status_code == 403
    assert "请先登记申请" in refused.content.decode()
    response = client.post(f"/talents/{talent.pk}/requests/new/", {"kind": "copy", "details": ""})
    assert response.status_code == 302
    request = RightsRequest.objects.get()
    assert request.due_on > request.received_on
    # The password first, as for unmasked exports; then the download.
    ask = client.get(f"/talents/{talent.pk}/data.json")
    assert ask.status_code == 302
    assert ask["Location"].startswith("/accounts/reauth/")
    assert client.post(ask["Location"], {"password": PASSWORD}).status_code == 302
    data = client.get(f"/talents/{talent.pk}/data.json")
    assert data["Content-Disposition"].startswith("attachment")
    body = json.loads(data.content)
    assert body["id_number"] == ID
    assert body["requests"][0]["kind"] == "copy"
    # everything the archive holds about them, and what the office recorded (another app's section)
    assert body["education"] == [
        {"degree": "博士", "school": "东南大学", "graduated_on": "2015-06-30", "full_time": True}
    ]
    assert body["family"] == [{"relation": "子女", "name": "张小", "birth_date": "2024-05-01"}]
    assert body["social_insurance"][0]["from_month"] == "2020-03"
    assert body["titles_and_awards"][0]["name"] == "长江学者奖励计划"
    assert body["office_facts"] == [
        {
            "fact": "博士后在站",
            "value": "2023-01-01 – …",
            "valid_from": "2023-01-01",
            "valid_until": None,
            "source": "工作人员录入",
            "provenance": "",
            "verified": True,
        }
    ]
    assert AuditEvent.objects.filter(action="pipl.copy", object_id=str(talent.pk)).exists()
    # Nobody else's data: another talent gets 404.
    other = Talent.objects.create(
        name="李四", gender="F", birth_date=dt.date(1990, 1, 1), highest_degree="master", category="young"
    )
    assert client.get(f"/talents/{other.pk}/data.json").status_code == 404


def test_a_correction_needs_details(person):
    account, talent = person
    with pytest.raises(ValidationFailed) as exc:
        rights_request_create(actor=account, talent=talent, kind="correct", details=" ")
    assert "details" in exc.value.fields


def test_deletion_anonymises_and_is_answered_once(person, make_user, login):
    account, talent = person
    _archive_rows(talent)
    assert ChildBirth.objects.filter(talent=talent).exists()
    request = rights_request_create(actor=account, talent=talent, kind="delete", details="请删除")
    office_user = make_user("talent-office", "320115-ZZB")
    office = login(office_user)
    home = office.get("/").content.decode()
    assert 'href="/talents/requests/"' in home
    assert "删除我的个人信息" in office.get("/talents/requests/").content.decode()
    missing_choice = office.post(
        f"/talents/requests/{request.pk}/", {"action": "complete", "answer": "已处理"}
    )
    assert missing_choice.status_code == 400
    done = office.post(
        f"/talents/requests/{request.pk}/",
        {"action": "complete", "answer": "已删除", "deletion_outcome": "deleted"},
    )
    assert done.status_code == 302
    talent.refresh_from_db()
    assert not FamilyMember.objects.filter(talent=talent).exists()  # the relatives' data goes …
    assert not ChildBirth.objects.filter(talent=talent).exists()  # … and the children's birth dates with it
    assert talent.name == ANONYMISED_NAME
    assert talent.id_number == ""
    assert talent.phone == ""
    assert talent.id_number_index == ""
    assert talent.account_id is None
    assert talent.birth_date == dt.date(1985, 1, 1)
    request.refresh_from_db()
    assert request.status == "completed"
    with pytest.raises(Conflict):
        rights_request_complete(
            actor=office_user, request=request, answer="again", deletion_outcome="deleted"
        )
    assert AuditEvent.objects.filter(action="pipl.complete", object_id=str(request.pk)).count() == 1


def test_restriction_keeps_the_record_out_of_every_list(person, make_user, login, units):
    account, talent = person
    talent.residence_street = units["320115-S-DS"]
    talent.save()
    street = login(make_user("street-staff", "320115-S-DS"))
    assert "张三" in street.get("/talents/").content.decode()  # visible before the restriction
    request = rights_request_create(actor=account, talent=talent, kind="delete")
    office_user = make_user("talent-office", "320115-ZZB")
    rights_request_complete(
        actor=office_user, request=request, answer="依法保存", deletion_outcome="restricted"
    )
    talent.refresh_from_db()
    assert talent.restricted
    assert talent.id_number == ID  # kept, because a law requires it
    assert "张三" not in street.get("/talents/").content.decode()
    assert street.get(f"/talents/{talent.pk}/").status_code == 404
    # The office handling requests still reaches it.
    assert login(office_user).get(f"/talents/{talent.pk}/").status_code == 200


def test_refusal_and_api(person, make_user, login):
    account, talent = person
    office_user = make_user("talent-office", "320115-ZZB")
    client = login(office_user)
    created = client.post(
        f"/api/v1/talents/{talent.pk}/requests",
        {"kind": "correct", "details": "电话号码错误"},
        content_type="application/json",
    )
    assert created.status_code == 201
    bad = client.post(
        f"/api/v1/talents/{talent.pk}/requests", {"kind": "nonsense"}, content_type="application/json"
    )
    assert bad.status_code == 422
    assert "kind" in bad.json()["fields"]
    request_id = created.json()["id"]
    refused = client.post(
        f"/api/v1/talents/requests/{request_id}/answer",
        {"action": "refuse", "answer": "号码经核实无误"},
        content_type="application/json",
    )
    assert refused.status_code == 200
    assert refused.json()["status"] == "refused"
    listed = client.get("/api/v1/talents/requests").json()
    assert [r["id"] for r in listed["items"]] == [request_id]
    # The talent sees their own requests, not others'.
    own = login(account).get("/api/v1/talents/requests").json()
    assert own["count"] == 1


def test_staff_without_the_permission_cannot_answer(person, make_user, login, units):
    account, talent = person
    request = rights_request_create(actor=account, talent=talent, kind="copy")
    park = login(make_user("park-staff", "320115-P-KFQ"))
    assert (
        park.post(f"/talents/requests/{request.pk}/", {"action": "complete", "answer": "x"}).status_code
        == 404
    )
    assert (
        login(account)
        .post(f"/talents/requests/{request.pk}/", {"action": "complete", "answer": "x"})
        .status_code
        == 403
    )
