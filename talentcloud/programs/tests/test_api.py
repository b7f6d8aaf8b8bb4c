"""The programmes API (#24): a talent reads why they may apply, applies and sees every step; the employer,
the park and the office move it; an expert of a blind call reads no name, employer or ID and gets 404 on an
application not assigned; anyone can fetch the published draws."""

from __future__ import annotations

import json

import pytest

from talentcloud.programs import services
from talentcloud.programs.enums import SeatStatus

from .world import make_world, reviewer

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(make_user):
    return make_world(make_user, blind=True)


def test_apply_and_move_through_the_api(world, login):
    talent = world.talent("诸葛亮")
    me = login(talent.account)
    eligibility = me.get(f"/api/v1/programs/calls/{world.call.pk}/eligibility").json()
    assert eligibility["status"] == "passed"
    assert eligibility["clauses"][0]["fact"] == "age"
    bad = me.post(
        "/api/v1/programs/applications",
        {"call_id": world.call.pk, "title": "", "field": "x"},
        content_type="application/json",
    )
    assert bad.status_code == 422
    assert set(bad.json()["fields"]) == {"title", "field"}
    made = me.post(
        "/api/v1/programs/applications",
        {
            "call_id": world.call.pk,
            "title": "量子传感",
            "field": "F03",
            "members": [{"name": "黄月英", "institution": "东南大学"}],
        },
        content_type="application/json",
    )
    assert made.status_code == 201, made.content
    pk = made.json()["id"]
    act = f"/api/v1/programs/applications/{pk}/actions"
    unsigned = me.post(act, {"action": "submit"}, content_type="application/json")
    assert unsigned.status_code == 422
    assert "pledge" in unsigned.json()["fields"]
    assert (
        me.post(act, {"action": "submit", "pledge": True}, content_type="application/json").status_code == 200
    )
    assert (
        login(world.hr).post(act, {"action": "nominate"}, content_type="application/json").status_code == 200
    )
    assert (
        login(world.other_park)
        .post(act, {"action": "recommend"}, content_type="application/json")
        .status_code
        == 404
    )
    assert (
        login(world.park).post(act, {"action": "recommend"}, content_type="application/json").status_code
        == 200
    )
    office = login(world.office)
    no_reason = office.post(act, {"action": "reject"}, content_type="application/json")
    assert no_reason.status_code == 422
    assert (
        office.post(act, {"action": "accept"}, content_type="application/json").json()["state"] == "accepted"
    )
    mine = me.get(f"/api/v1/programs/applications/{pk}").json()
    assert [e["action"] for e in mine["events"]] == ["submit", "nominate", "recommend", "accept"]
    assert login(world.other_park).get(f"/api/v1/programs/applications/{pk}").status_code == 404


def test_blind_reviewer_responses_and_404(world, login, client):
    world.experts(4)
    talent = world.talent("司马懿")
    talent.id_number = "320115198805011234"
    talent.save()
    application = world.application(talent, state="accepted")
    ceremony = services.ceremony_record(
        actor=world.office, call=world.call, digits="20261130", witnesses="甲"
    )
    row = services.draw_panel(actor=world.office, application=application, ceremony=ceremony)
    seat = row.seats.filter(status=SeatStatus.SEATED)[0]
    expert = login(reviewer(seat))
    bodies = [
        expert.get("/api/v1/programs/reviews"),
        expert.get(f"/api/v1/programs/reviews/{application.pk}"),
    ]
    criteria = list(world.call.criteria.all())
    bodies.append(
        expert.post(
            f"/api/v1/programs/reviews/{application.pk}/scores",
            json.dumps({"scores": {str(c.pk): 75 for c in criteria}}),
            content_type="application/json",
        )
    )
    for response in bodies:
        assert response.status_code == 200, response.content
        text = response.content.decode()
        for secret in ("司马懿", world.firm.name, str(talent.pk), "320115198805011234", application.number):
            assert secret not in text
        assert "attachment" not in response.get("Content-Disposition", "")
    stranger = world.experts(1, start=70)[0]
    assert login(stranger.user).get(f"/api/v1/programs/reviews/{application.pk}").status_code == 404
    published = client.get(f"/api/v1/programs/calls/{world.call.pk}/draws").json()
    assert published["draws"][0]["panel"]
    assert "司马懿" not in json.dumps(published, ensure_ascii=False)


def test_the_office_opens_a_call_and_adds_experts_through_the_api(world, login):
    office = login(world.office)
    body = {
        "programme_code": world.call.programme.code,
        "code": "zjs-2026-2",
        "title": "2026 年紫金山英才计划（第二批）",
        "opens_on": "2026-12-01",
        "closes_on": "2026-11-01",
        "rule": {"fact": "no_such_fact", "op": "==", "value": 1},
        "places": 0,
        "budget": "100",
        "award_amount": "1000",
        "grade": "Z",
        "instalments": [{"share": 60, "milestone": "立项"}],
        "criteria": [],
    }
    bad = office.post("/api/v1/programs/calls", body, content_type="application/json")
    assert bad.status_code == 422
    assert set(bad.json()["fields"]) >= {
        "closes_on",
        "rule",
        "places",
        "award_amount",
        "grade",
        "instalments",
        "criteria",
    }
    body.update(
        closes_on="2026-12-31",
        rule={"fact": "age", "op": "<=", "value": 40},
        places=2,
        budget="2000000",
        award_amount="1000000",
        grade="B",
        instalments=[{"share": 60, "milestone": "立项"}, {"share": 40, "milestone": "结项"}],
        criteria=[{"name": "创新性", "weight": 60}, {"name": "团队", "weight": 40}],
    )
    made = office.post("/api/v1/programs/calls", body, content_type="application/json")
    assert made.status_code == 201, made.content
    assert (
        login(world.park).post("/api/v1/programs/calls", body, content_type="application/json").status_code
        == 403
    )
    expert = {
        "code": "E0900",
        "name": "外聘专家",
        "fields": ["F03"],
        "affiliations": [{"institution": "东南大学", "start": "2015-09-01"}],
    }
    assert office.post("/api/v1/programs/experts", expert, content_type="application/json").status_code == 201
    broken = {**expert, "affiliations": [{"institution": "东南大学", "start": "not a date"}]}
    assert office.post("/api/v1/programs/experts", broken, content_type="application/json").status_code == 422
