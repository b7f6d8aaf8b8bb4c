"""Liaison cadres log contacts with needs; the department in charge replies; overdue needs show."""

from __future__ import annotations

import datetime as dt
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from talentcloud.accounts.models import OrgUnit
from talentcloud.audit.models import AuditEvent
from talentcloud.common.errors import Conflict, PermissionDenied, ValidationFailed
from talentcloud.common.workdays import WorkCalendar
from talentcloud.talents.liaison import NeedInput, contact_log, my_talents, need_reply
from talentcloud.talents.models import Need, Talent

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(make_user, units):
    cadre = make_user("liaison-cadre", "320115-ZZB", username="cadre.zhou")
    talent = Talent.objects.create(
        name="顶尖专家甲",
        gender="M",
        birth_date=dt.date(1970, 1, 1),
        highest_degree="doctor",
        category="top_expert",
        liaison=cadre,
        contact_every_days=90,
    )
    housing = OrgUnit.objects.get(code="320115-ZJJ")
    return cadre, talent, housing


def test_cadre_logs_a_visit_with_a_need_and_the_department_replies(setup, make_user, login):
    cadre, talent, housing = setup
    client = login(cadre)
    page = client.get(f"/talents/{talent.pk}/contacts/new/")
    assert page.status_code == 200
    form = {
        "kind": "visit",
        "happened_on": timezone.localdate().isoformat(),
        "summary": "走访了解子女入学问题",
        "needs-TOTAL_FORMS": "2",
        "needs-INITIAL_FORMS": "0",
        "needs-MIN_NUM_FORMS": "0",
        "needs-MAX_NUM_FORMS": "5",
        "needs-0-title": "人才公寓申请",
        "needs-0-owner_department": str(housing.pk),
        "needs-0-details": "希望尽快入住",
        "needs-1-title": "",
        "needs-1-owner_department": "",
    }
    assert client.post(f"/talents/{talent.pk}/contacts/new/", form).status_code == 302
    need = Need.objects.get()
    assert need.due_on == WorkCalendar().add_working_days(timezone.localdate(), 10)
    assert need.details == "希望尽快入住"
    # The housing bureau's staff see it and reply; staff of another department cannot reply.
    staff = make_user("service-staff", "320115-ZJJ")
    other = make_user("service-staff", "320115-JYJ")
    assert "人才公寓申请" in login(staff).get("/talents/needs/").content.decode()
    assert "人才公寓申请" not in login(other).get("/talents/needs/").content.decode()
    assert login(other).get(f"/talents/needs/{need.pk}/").status_code == 404
    with pytest.raises(PermissionDenied):
        need_reply(actor=other, need=need, reply="不归我们管")
    response = login(staff).post(f"/talents/needs/{need.pk}/", {"reply": "已安排东山人才公寓"})
    assert response.status_code == 302
    need.refresh_from_db()
    assert need.status == "answered"
    assert need.replied_by == staff
    with pytest.raises(Conflict):
        need_reply(actor=staff, need=need, reply="again")
    # The cadre sees the reply on the talent's page.
    assert "已安排东山人才公寓" in client.get(f"/talents/needs/{need.pk}/").content.decode()
    assert AuditEvent.objects.filter(action="need.reply").count() == 1


def test_bad_contacts_are_refused_with_field_messages(setup, login):
    cadre, talent, _housing = setup
    with pytest.raises(ValidationFailed) as exc:
        contact_log(
            actor=cadre, talent=talent, kind="visit", happened_on=timezone.localdate() + timedelta(days=1)
        )
    assert "happened_on" in exc.value.fields
    response = login(cadre).post(
        f"/talents/{talent.pk}/contacts/new/",
        {
            "kind": "visit",
            "happened_on": timezone.localdate().isoformat(),
            "needs-TOTAL_FORMS": "1",
            "needs-INITIAL_FORMS": "0",
            "needs-0-title": "有诉求但未选部门",
            "needs-0-owner_department": "",
        },
    )
    assert response.status_code == 400
    assert not Need.objects.exists()


def test_overdue_contacts_and_needs_are_listed(setup, make_user, login):
    cadre, talent, housing = setup
    long_ago = timezone.now() - timedelta(days=120)
    with time_machine.travel(long_ago):
        contact_log(
            actor=cadre,
            talent=talent,
            kind="call",
            happened_on=timezone.localdate(),
            needs=[NeedInput(title="配偶就业", owner_department=housing)],
        )
    [assignment] = my_talents(viewer=cadre)
    assert assignment.overdue  # last contact 120 days ago, cadence 90
    mine = login(cadre).get("/talents/mine/").content.decode()
    assert "顶尖专家甲" in mine
    office = login(make_user("talent-office", "320115-ZZB"))
    overdue = office.get("/talents/needs/?overdue=1").content.decode()
    assert "配偶就业" in overdue
    staff = login(make_user("service-staff", "320115-ZJJ"))
    assert "配偶就业" in staff.get("/talents/needs/?overdue=1").content.decode()


def test_cadre_sees_only_their_talents(setup, make_user, login):
    _cadre, talent, _housing = setup
    other_cadre = make_user("liaison-cadre", "320115-ZZB")
    client = login(other_cadre)
    assert client.get(f"/talents/{talent.pk}/contacts/new/").status_code == 404
    assert "顶尖专家甲" not in client.get("/talents/mine/").content.decode()


def test_api_contact_need_and_reply(setup, make_user, login):
    cadre, talent, _housing = setup
    client = login(cadre)
    bad = client.post(
        f"/api/v1/talents/{talent.pk}/contacts",
        {
            "kind": "visit",
            "happened_on": timezone.localdate().isoformat(),
            "needs": [{"title": "x", "owner_department_code": "nope"}],
        },
        content_type="application/json",
    )
    assert bad.status_code == 422
    assert "needs" in bad.json()["fields"]
    created = client.post(
        f"/api/v1/talents/{talent.pk}/contacts",
        {
            "kind": "call",
            "happened_on": timezone.localdate().isoformat(),
            "needs": [{"title": "子女入学", "owner_department_code": "320115-JYJ"}],
        },
        content_type="application/json",
    )
    assert created.status_code == 201
    [need_id] = created.json()["need_ids"]
    staff = login(make_user("service-staff", "320115-JYJ"))
    listed = staff.get("/api/v1/talents/needs?status=open").json()
    assert [n["id"] for n in listed["items"]] == [need_id]
    replied = staff.post(
        f"/api/v1/talents/needs/{need_id}/reply", {"reply": "已安排入学"}, content_type="application/json"
    )
    assert replied.status_code == 200
    assert replied.json()["status"] == "answered"
    again = staff.post(
        f"/api/v1/talents/needs/{need_id}/reply", {"reply": "again"}, content_type="application/json"
    )
    assert again.status_code == 409
    facts = login(make_user("talent-office", "320115-ZZB")).get(f"/api/v1/talents/{talent.pk}/facts")
    assert facts.status_code == 200
