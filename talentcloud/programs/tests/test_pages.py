"""The programmes' pages (#24): the talent reads eligibility clause by clause and applies; every actor moves
the application from its page; the office draws, ranks and approves; the expert of a blind call reads no
name, employer or ID, and gets 404 on an application not assigned; the published draws download."""

from __future__ import annotations

import datetime as dt
from io import BytesIO

import pytest
from openpyxl import load_workbook

from talentcloud.audit.models import AuditEvent
from talentcloud.enterprises.tests.factories import EnterpriseFactory
from talentcloud.programs import services
from talentcloud.programs.enums import SeatStatus
from talentcloud.programs.models import Application

from .world import make_world, reviewer

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(make_user):
    return make_world(make_user, blind=True)


def test_a_talent_reads_why_and_applies_through_the_pages(world, login):
    old = world.talent("长者", born=dt.date(1960, 1, 1))
    page = login(old.account).get("/programs/").content.decode()
    assert "45" in page
    assert "Start an application" not in page
    assert "开始申报" not in page
    talent = world.talent("孔明")
    me = login(talent.account)
    bad = me.post("/programs/", {"call": world.call.pk, "title": "", "field": "x"})
    assert bad.status_code == 400
    assert not Application.objects.exists()
    made = me.post("/programs/", {"call": world.call.pk, "title": "量子传感", "field": "F03"})
    application = Application.objects.get()
    assert made.status_code == 302
    url = f"/programs/applications/{application.pk}/"
    unsigned = me.post(url, {"action": "submit"})
    assert unsigned.status_code == 400
    assert Application.objects.get().state == "draft"
    assert me.post(url, {"action": "submit", "pledge": "on"}).status_code == 302
    assert login(world.hr).post(url, {"action": "nominate"}).status_code == 302
    assert login(world.other_park).get(url).status_code == 404
    assert login(world.park).post(url, {"action": "recommend"}).status_code == 302
    office = login(world.office)
    refused = office.post(url, {"action": "reject"})
    assert refused.status_code == 400
    assert office.post(url, {"action": "return", "note": "补充学位证书"}).status_code == 302
    assert me.post(url, {"action": "resubmit"}).status_code == 302
    assert office.post(url, {"action": "accept"}).status_code == 302
    steps = me.get(url).content.decode()
    assert "补充学位证书" in steps
    assert Application.objects.get().state == "accepted"


def test_office_draws_ranks_and_approves_and_the_blind_expert_sees_no_identity(world, login):
    world.experts(4)
    talent = world.talent("周公瑾")
    talent.id_number = "320115198805011234"
    talent.save()
    application = world.application(talent, state="accepted")
    office = login(world.office)
    call_url = f"/programs/calls/{world.call.pk}/"
    assert office.post(call_url, {"digits": "12", "witnesses": ""}).status_code == 400
    assert office.post(call_url, {"digits": "20261130", "witnesses": "公证员甲"}).status_code == 302
    ceremony = world.call.ceremonies.get()
    url = f"/programs/applications/{application.pk}/"
    assert office.post(url, {"ceremony": ceremony.pk}).status_code == 302
    again = office.post(url, {"ceremony": ceremony.pk, "reason": ""})
    assert again.status_code == 400
    row = application.draws.get()
    criteria = list(world.call.criteria.all())
    for seat in row.seats.filter(status=SeatStatus.SEATED):
        expert = login(reviewer(seat))
        page = expert.get(f"/programs/reviews/{application.pk}/")
        listing = expert.get("/programs/reviews/")
        for response in (page, listing):
            text = response.content.decode()
            for secret in ("周公瑾", world.firm.name, "320115198805011234", application.number):
                assert secret not in text
        bad = expert.post(f"/programs/reviews/{application.pk}/", {f"score_{c.pk}": "101" for c in criteria})
        assert bad.status_code == 400
        ok = expert.post(f"/programs/reviews/{application.pk}/", {f"score_{c.pk}": "88" for c in criteria})
        assert ok.status_code == 302
    stranger = world.experts(1, start=80)[0]
    assert login(stranger.user).get(f"/programs/reviews/{application.pk}/").status_code == 404
    ranking = office.get(call_url).content.decode()
    assert "88.00" in ranking
    assert office.post(call_url, {"approve": application.pk}).status_code == 302
    assert Application.objects.get(pk=application.pk).state == "approved"
    assert services.ranking(world.call)[0].rank == 1


def test_the_published_draws_download_for_anyone(world, client):
    world.experts(3)
    application = world.application(state="accepted")
    ceremony = services.ceremony_record(actor=world.office, call=world.call, digits="123456", witnesses="甲")
    services.draw_panel(actor=world.office, application=application, ceremony=ceremony)
    response = client.get(f"/programs/calls/{world.call.pk}/draws.json")
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="draws-{world.call.code}.json"'
    assert response.json()["draws"][0]["digest"] == application.draws.get().digest


def test_exports_keep_to_scope_and_are_audited(world, login):
    world.application(world.talent("园区甲申请人"), state="nominated")
    world.application(
        world.talent("园区乙申请人", firm=EnterpriseFactory.create(in_gxq=True)), state="nominated"
    )
    response = login(world.park).get("/programs/export.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(response.content)).active
    names = [row[4] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert names == ["园区甲申请人"]
    assert AuditEvent.objects.filter(action="programs.export").exists()
    assert login(world.park).get(f"/programs/calls/{world.call.pk}/scores.xlsx").status_code == 403
    assert login(world.office).get(f"/programs/calls/{world.call.pk}/scores.xlsx").status_code == 200
    assert login(world.office).get(f"/programs/calls/{world.call.pk}/publicity.xlsx").status_code == 200
