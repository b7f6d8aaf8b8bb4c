"""公示 (#24): the list counts working days across a holiday; it shows masked fields only; objections come
from verified signed-in people (anonymous ones recorded, not handled), at most three a day; the objector is
visible to the office only; an upheld objection that corrects a line restarts that line's window; an
objection the day after the window is refused; approval waits for the window."""

from __future__ import annotations

import datetime as dt

import pytest

from talentcloud.common.errors import Conflict, PermissionDenied, ValidationFailed
from talentcloud.programs import publicity, services
from talentcloud.programs.enums import SeatStatus
from talentcloud.programs.models import Objection, PublicityEntry

from .world import make_world, reviewer

pytestmark = pytest.mark.django_db
HOLIDAY_START = dt.date(2025, 9, 30)  # a Tuesday; 1–8 October 2025 are the National Day holiday


def test_the_window_counts_working_days_across_a_holiday():
    # 9/30, then 10/9, 10/10, 10/11 (a Saturday made a working day), 10/13: five working days
    assert publicity.window(HOLIDAY_START, 5) == dt.date(2025, 10, 13)
    # a list published on a holiday starts on the next working day
    assert publicity.window(dt.date(2025, 10, 3), 1) == dt.date(2025, 10, 9)


@pytest.fixture
def listed(make_user):
    world = make_world(make_user)
    world.experts(3)
    talent = world.talent("欧阳晓明")
    talent.id_number = "320115198805011234"
    talent.phone = "13912345678"
    talent.save()
    application = world.application(talent, state="accepted")
    ceremony = services.ceremony_record(actor=world.office, call=world.call, digits="123456", witnesses="甲")
    row = services.draw_panel(actor=world.office, application=application, ceremony=ceremony)
    criteria = list(world.call.criteria.all())
    for seat in row.seats.filter(status=SeatStatus.SEATED):
        services.score_submit(
            actor=reviewer(seat), seat=seat, values={c.pk: 80 for c in criteria}, comments={}
        )
    publicity.publish(actor=world.office, call=world.call, days=5, on=HOLIDAY_START)
    return world, application, PublicityEntry.objects.get()


def test_the_list_shows_masked_fields_only(listed):
    world, _application, _entry = listed
    [line] = publicity.published(world.call)
    assert line["name"] == "欧***"
    text = repr(line)
    for secret in ("欧阳晓明", "320115198805011234", "13912345678"):
        assert secret not in text
    assert line["to"] == dt.date(2025, 10, 13)


def test_an_objection_the_day_after_the_window_is_refused(listed):
    world, _application, entry = listed
    objector = world.talent("张检举")
    publicity.object_to(user=objector.account, entry=entry, text="材料与事实不符", on=dt.date(2025, 10, 13))
    with pytest.raises(Conflict, match="2025-10-13"):
        publicity.object_to(user=objector.account, entry=entry, text="再次异议", on=dt.date(2025, 10, 14))
    assert Objection.objects.count() == 1


def test_anonymous_objections_are_recorded_not_handled_and_verified_ones_are_rate_limited(listed, make_user):
    world, _application, entry = listed
    anonymous = publicity.object_to(user=None, entry=entry, text="匿名反映", on=dt.date(2025, 10, 9))
    assert (anonymous.status, anonymous.user_id) == ("recorded", None)
    unlinked = make_user("talent", None)
    assert (
        publicity.object_to(user=unlinked, entry=entry, text="未实名", on=dt.date(2025, 10, 9)).status
        == "recorded"
    )
    objector = world.talent("李实名")
    for n in range(3):
        publicity.object_to(user=objector.account, entry=entry, text=f"异议{n}", on=dt.date(2025, 10, 9))
    with pytest.raises(Conflict):
        publicity.object_to(user=objector.account, entry=entry, text="第四条", on=dt.date(2025, 10, 9))
    with pytest.raises(ValidationFailed):
        publicity.object_to(user=objector.account, entry=entry, text=" ", on=dt.date(2025, 10, 9))
    seen = publicity.objections_for(viewer=world.office, call=world.call)
    assert {o.user_id for o in seen} == {None, objector.account_id}
    with pytest.raises(PermissionDenied):
        publicity.objections_for(viewer=world.park, call=world.call)
    with pytest.raises(Conflict):
        publicity.objection_decide(
            actor=world.office, objection=anonymous, upheld=True, reply="x", withdraw=True
        )


def test_an_upheld_objection_corrects_the_line_and_restarts_its_window_and_approval_waits(listed):
    world, application, entry = listed
    objector = world.talent("王实名")
    objection = publicity.object_to(
        user=objector.account, entry=entry, text="单位名称有误", on=dt.date(2025, 10, 10)
    )
    with pytest.raises(Conflict):
        services.approve(actor=world.office, application=application)  # the window is not over (today)
    publicity.objection_decide(
        actor=world.office,
        objection=objection,
        upheld=True,
        reply="已更正单位名称",
        employer_name="南京紫峰芯片股份有限公司",
        on=dt.date(2025, 10, 10),
    )
    entry.refresh_from_db()
    # 10/10, 10/11 (a working Saturday), 10/13, 10/14, 10/15
    assert (entry.starts_on, entry.ends_on) == (dt.date(2025, 10, 10), dt.date(2025, 10, 15))
    assert entry.employer_name == "南京紫峰芯片股份有限公司"
    # once the window is over (the list of 2025 ended long before today) the approval goes through
    award = services.approve(actor=world.office, application=application)
    assert award.amount > 0


def test_an_upheld_objection_can_withdraw_the_line(listed):
    world, application, entry = listed
    objector = world.talent("赵实名")
    objection = publicity.object_to(
        user=objector.account, entry=entry, text="学历造假", on=dt.date(2025, 10, 9)
    )
    publicity.objection_decide(
        actor=world.office, objection=objection, upheld=True, reply="查实", withdraw=True
    )
    assert publicity.published(world.call) == []
    with pytest.raises(Conflict):
        services.approve(actor=world.office, application=application)


def test_the_portal_page_and_the_office_page(make_user, login, client):
    world = make_world(make_user)
    world.experts(3)
    talent = world.talent("慕容雪")
    talent.phone = "13912345678"
    talent.save()
    application = world.application(talent, state="accepted")
    ceremony = services.ceremony_record(actor=world.office, call=world.call, digits="123456", witnesses="甲")
    row = services.draw_panel(actor=world.office, application=application, ceremony=ceremony)
    criteria = list(world.call.criteria.all())
    for seat in row.seats.filter(status=SeatStatus.SEATED):
        services.score_submit(
            actor=reviewer(seat), seat=seat, values={c.pk: 80 for c in criteria}, comments={}
        )
    office = login(world.office)
    call_url = f"/programs/calls/{world.call.pk}/"
    assert office.post(call_url, {"days": "0"}).status_code == 400
    assert office.post(call_url, {"days": "5"}).status_code == 302
    page = client.get(f"/programs/calls/{world.call.pk}/publicity/")
    body = page.content.decode()
    assert page.status_code == 200
    assert "慕**" in body
    for secret in ("慕容雪", "13912345678"):
        assert secret not in body
    entry = PublicityEntry.objects.get()
    assert (
        client.post(
            f"/programs/calls/{world.call.pk}/publicity/", {"entry": entry.pk, "text": "匿名"}
        ).status_code
        == 302
    )
    objector = world.talent("实名人")
    me = login(objector.account)
    assert (
        me.post(f"/programs/calls/{world.call.pk}/publicity/", {"entry": entry.pk, "text": ""}).status_code
        == 400
    )
    assert (
        me.post(
            f"/programs/calls/{world.call.pk}/publicity/", {"entry": entry.pk, "text": "单位有误"}
        ).status_code
        == 302
    )
    pending = Objection.objects.get(status="pending")
    account = objector.account
    assert account is not None
    who = account.display_name or account.username
    assert who in office.get(call_url).content.decode()
    assert who not in client.get(f"/programs/calls/{world.call.pk}/publicity/").content.decode()
    answered = office.post(
        call_url,
        {"objection": pending.pk, "decision": "correct", "reply": "已更正", "employer_name": "更正后的单位"},
    )
    assert answered.status_code == 302
    assert PublicityEntry.objects.get().employer_name == "更正后的单位"
