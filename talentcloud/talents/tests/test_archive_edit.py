"""Editing the archive: staff edits with history, a talent's own corrections, facts verified by staff."""

from __future__ import annotations

import datetime as dt

import pytest

from talentcloud.accounts.models import OrgUnit
from talentcloud.audit.models import AuditEvent
from talentcloud.common.errors import ValidationFailed
from talentcloud.enterprises.tests.factories import EnterpriseFactory
from talentcloud.talents.liaison import NeedInput, contact_log
from talentcloud.talents.models import FactRecord, Talent, TalentChange
from talentcloud.talents.selectors import fact_verified, timeline
from talentcloud.talents.services import rights_request_create, talent_self_update

pytestmark = pytest.mark.django_db
ID = "32011519850317123X"


@pytest.fixture
def person(make_user, units):
    ent = EnterpriseFactory.create(name="甲公司", credit_code="91320115MA1X2Y3W4T")
    account = make_user("talent", None, username="li.ming")
    talent = Talent.objects.create(
        name="李明",
        gender="M",
        birth_date=dt.date(1985, 3, 17),
        highest_degree="master",
        category="young",
        id_number=ID,
        phone="13812345678",
        employer=ent,
        account=account,
    )
    return account, talent


def staff_form(talent, **overrides):
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


def test_staff_edit_is_validated_recorded_and_masked_in_history(person, make_user, login):
    _account, talent = person
    client = login(make_user("park-staff", "320115-P-KFQ"))
    bad = client.post(
        f"/talents/{talent.pk}/edit/", staff_form(talent, phone="12345", birth_date="2099-01-01")
    )
    assert bad.status_code == 400
    body = bad.content.decode()
    assert "11" in body  # the phone message names the 11 digits
    talent.refresh_from_db()
    assert talent.phone == "13812345678"
    ok = client.post(
        f"/talents/{talent.pk}/edit/", staff_form(talent, phone="13987654321", highest_degree="doctor")
    )
    assert ok.status_code == 302
    talent.refresh_from_db()
    assert talent.phone == "13987654321"
    change = TalentChange.objects.get(field="phone")
    assert change.before == "138****5678"
    assert change.after == "139****4321"
    assert fact_verified(talent, "highest_degree")
    event = AuditEvent.objects.filter(action="talent.update").latest("id")
    assert sorted(event.details["fields"]) == ["highest_degree", "phone"]
    page = client.get(f"/talents/{talent.pk}/").content.decode()
    assert "139****4321" in page
    assert "13987654321" not in page


def test_a_self_declared_degree_is_not_verified_until_staff_verify_it(person, make_user, login):
    account, talent = person
    client = login(account)
    response = client.post(
        "/talents/me/",
        {
            "highest_degree": "doctor",
            "phone": talent.phone,
            "email": "",
            "post": "",
            "graduated_on": "2015-06-30",
            "social_insurance_since": "",
            "owns_home_in_city": "unknown",
        },
    )
    assert response.status_code == 302
    talent.refresh_from_db()
    assert talent.highest_degree == "doctor"
    assert not fact_verified(talent, "highest_degree")
    staff = make_user("park-staff", "320115-P-KFQ")
    queue = login(staff).get("/talents/facts/review/").content.decode()
    assert "李明" in queue
    record = FactRecord.objects.get(key="highest_degree")
    login(staff).post("/talents/facts/review/", {"record": record.pk, "decision": "accept"})
    assert fact_verified(talent, "highest_degree")
    # A later change to the verified degree waits for review and changes nothing yet.
    result = talent_self_update(actor=account, talent=talent, changes={"highest_degree": "bachelor"})
    assert result.pending == ["highest_degree"]
    talent.refresh_from_db()
    assert talent.highest_degree == "doctor"
    pending = FactRecord.objects.get(status="pending")
    login(staff).post("/talents/facts/review/", {"record": pending.pk, "decision": "accept"})
    talent.refresh_from_db()
    assert talent.highest_degree == "bachelor"
    assert fact_verified(talent, "highest_degree")


def test_staff_of_another_park_cannot_review_or_edit(person, make_user, login):
    account, talent = person
    talent_self_update(actor=account, talent=talent, changes={"highest_degree": "doctor"})
    other = login(make_user("park-staff", "320115-P-GXQ"))
    assert "李明" not in other.get("/talents/facts/review/").content.decode()
    record = FactRecord.objects.get()
    assert (
        other.post("/talents/facts/review/", {"record": record.pk, "decision": "accept"}).status_code == 404
    )
    assert other.get(f"/talents/{talent.pk}/edit/").status_code == 404


def test_talents_cannot_edit_others_or_restricted_fields(person, make_user, login):
    account, talent = person
    client = login(account)
    assert client.get(f"/talents/{talent.pk}/edit/").status_code == 403

    with pytest.raises(ValidationFailed):
        talent_self_update(actor=account, talent=talent, changes={"name": "别人"})


def test_timeline_tells_the_story(person, make_user, login, units):

    account, talent = person
    talent_self_update(actor=account, talent=talent, changes={"post": "首席科学家"})
    cadre = make_user("liaison-cadre", "320115-ZZB", display_name="李联络")
    housing = OrgUnit.objects.get(code="320115-ZJJ")
    visited = dt.date.today() - dt.timedelta(days=3)
    contact_log(
        actor=cadre,
        talent=talent,
        kind="visit",
        happened_on=visited,
        needs=[NeedInput(title="子女入学咨询", owner_department=housing)],
    )
    rights_request_create(actor=account, talent=talent, kind="copy")
    page = login(make_user("talent-office", "320115-ZZB")).get(f"/talents/{talent.pk}/").content.decode()
    story = page.split('data-testid="timeline"')[1].split("</ul>")[0]
    assert "首席科学家" in story  # the change
    assert "走访 · 李联络" in story  # the contact, on the day it happened
    assert visited.isoformat() in story
    need = talent.needs.get()
    assert f'href="/talents/needs/{need.pk}/">子女入学咨询</a>' in story  # the need, with its department
    assert housing.name in story
    assert "复制我的个人信息" in story  # the personal-data request
    kinds = [event.kind for event in timeline(talent)]
    assert {"change", "contact", "need", "rights"} <= set(kinds)
    assert [e.at for e in timeline(talent)] == sorted((e.at for e in timeline(talent)), reverse=True)
