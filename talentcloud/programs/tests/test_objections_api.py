"""Objections through the API (#24): a signed-in person objects to a line of a published list with a bearer
token, or with the session and its CSRF header like every write of the API (without the header the session
is refused); an anonymous caller is refused (anonymous objections are the portal page's, recorded only);
an objection outside the line's window is refused; the answer is the objector's own; the office lists and
answers them."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.conf import settings
from django.middleware.csrf import _get_new_csrf_string
from django.test import Client
from django.utils import timezone

from talentcloud.accounts.services import token_create
from talentcloud.programs import publicity, services
from talentcloud.programs.enums import SeatStatus
from talentcloud.programs.models import Objection, PublicityEntry

from .world import make_world, reviewer

pytestmark = pytest.mark.django_db


@pytest.fixture
def listed(make_user):
    world = make_world(make_user)
    world.experts(3)
    application = world.application(world.talent("欧阳晓明"), state="accepted")
    ceremony = services.ceremony_record(actor=world.office, call=world.call, digits="123456", witnesses="甲")
    row = services.draw_panel(actor=world.office, application=application, ceremony=ceremony)
    criteria = list(world.call.criteria.all())
    for seat in row.seats.filter(status=SeatStatus.SEATED):
        services.score_submit(
            actor=reviewer(seat), seat=seat, values={c.pk: 80 for c in criteria}, comments={}
        )
    publicity.publish(actor=world.office, call=world.call, days=5)
    return world, PublicityEntry.objects.get()


def test_a_verified_person_objects_with_a_token_and_the_office_answers(listed):
    world, entry = listed
    objector = world.talent("张三")
    _token, clear = token_create(actor=objector.account, name="app", days=30)
    auth = {"Authorization": f"Bearer {clear}"}
    answer = Client().post(
        "/api/v1/programs/objections",
        {"entry": entry.pk, "text": "申请人单位信息不实"},
        content_type="application/json",
        headers=auth,
    )
    assert answer.status_code == 201, answer.content
    body = answer.json()
    assert body["status"] == "pending"
    assert body["entry_id"] == entry.pk
    assert "张三" not in answer.content.decode()
    objection = Objection.objects.get(pk=body["id"])
    assert objection.user_id == objector.account_id
    # the office sees who objected and answers through the API too
    _t, office_clear = token_create(actor=world.office, name="office", days=30, console=True)
    office = {"Authorization": f"Bearer {office_clear}"}
    listed_ = Client().get(f"/api/v1/programs/calls/{world.call.pk}/objections", headers=office).json()
    assert [o["id"] for o in listed_] == [objection.pk]
    decided = Client().post(
        f"/api/v1/programs/objections/{objection.pk}",
        {"upheld": False, "reply": "经核实，异议不成立"},
        content_type="application/json",
        headers=office,
    )
    assert decided.status_code == 200
    assert decided.json()["status"] == "dismissed"


def test_the_session_needs_its_csrf_header_and_anonymous_is_refused(listed):
    world, entry = listed
    objector = world.talent("李四")
    client = Client(enforce_csrf_checks=True)
    client.force_login(objector.account)
    payload = {"entry": entry.pk, "text": "材料与事实不符"}
    refused = client.post("/api/v1/programs/objections", payload, content_type="application/json")
    assert refused.status_code == 403
    assert not Objection.objects.exists()
    token = _get_new_csrf_string()
    client.cookies[settings.CSRF_COOKIE_NAME] = token
    accepted = client.post(
        "/api/v1/programs/objections",
        payload,
        content_type="application/json",
        headers={"X-CSRFToken": token},
    )
    assert accepted.status_code == 201, accepted.content
    assert Objection.objects.get().status == "pending"
    anonymous = Client().post("/api/v1/programs/objections", payload, content_type="application/json")
    assert anonymous.status_code == 401


def test_an_objection_after_the_window_and_a_fourth_in_a_day_are_refused(listed):
    world, entry = listed
    objector = world.talent("王五")
    _token, clear = token_create(actor=objector.account, name="app", days=60)
    auth = {"Authorization": f"Bearer {clear}"}

    def send(text: str) -> int:
        return (
            Client()
            .post(
                "/api/v1/programs/objections",
                {"entry": entry.pk, "text": text},
                content_type="application/json",
                headers=auth,
            )
            .status_code
        )

    assert [send(f"异议{n}") for n in range(4)] == [201, 201, 201, 409]
    assert send(" ") == 422
    with time_machine.travel(dt.datetime.combine(entry.ends_on + dt.timedelta(days=1), dt.time(10))):
        assert timezone.localdate() > entry.ends_on
        assert send("窗口已过") == 409
    withdrawn = Client().post(
        "/api/v1/programs/objections",
        {"entry": 999999, "text": "x"},
        content_type="application/json",
        headers=auth,
    )
    assert withdrawn.status_code == 404
