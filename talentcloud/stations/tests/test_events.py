"""Talent events: registration (a signed-in talent, a guest with minimal data), check-in by the QR's code
(once: a second scan says when), and checked-in attendees flowing into a station's leads."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from talentcloud.common.errors import Conflict, PermissionDenied, ValidationFailed
from talentcloud.conftest import verify_session
from talentcloud.stations import selectors, services
from talentcloud.stations.models import Event, Lead, Registration

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(world):
    return services.event_save(
        actor=world.office,
        data=services.EventInput(
            title="逸才堂·海归人才沙龙",
            kind="salon",
            venue="江宁逸才堂",
            starts_at=timezone.now() + dt.timedelta(days=7),
            capacity=3,
            station=world.station_a,
        ),
    )


def test_registration_then_check_in_twice_is_refused_the_second_time(world, event):
    guest = services.register(actor=None, event=event, name="访客甲", phone="13700000001")
    done = services.check_in(actor=world.office, event=event, code=guest.code)
    assert done.checked_in_at is not None
    with pytest.raises(Conflict) as again:
        services.check_in(actor=world.office, event=event, code=guest.code)
    assert "签到过" in str(again.value.message)
    # a scanner typing the whole URL the QR holds still finds the code
    other = services.register(actor=None, event=event, name="访客乙", phone="13700000002")
    services.check_in(actor=world.office, event=event, code=f"https://x.example/c/{other.code}/")
    with pytest.raises(ValidationFailed) as unknown:
        services.check_in(actor=world.office, event=event, code="not-a-code")
    assert "code" in unknown.value.fields


def test_check_in_at_another_event_does_not_find_the_code(world, event):
    guest = services.register(actor=None, event=event, name="访客甲", phone="13700000001")
    other = services.event_save(
        actor=world.office,
        data=services.EventInput(
            title="梧桐林活动",
            kind="wutonglin",
            venue="梧桐林",
            starts_at=timezone.now() + dt.timedelta(days=9),
        ),
    )
    with pytest.raises(ValidationFailed):
        services.check_in(actor=world.office, event=other, code=guest.code)


def test_one_place_per_mobile_number_and_no_more_than_the_places(world, event):
    services.register(actor=None, event=event, name="访客甲", phone="13700000001")
    with pytest.raises(ValidationFailed) as twice:
        services.register(actor=None, event=event, name="访客甲", phone="137 0000 0001")
    assert "phone" in twice.value.fields
    services.register(actor=None, event=event, name="访客乙", phone="13700000002")
    services.register(actor=None, event=event, name="访客丙", phone="13700000003")
    with pytest.raises(Conflict):
        services.register(actor=None, event=event, name="访客丁", phone="13700000004")
    with pytest.raises(ValidationFailed) as bad:
        services.register(actor=None, event=event, name="", phone="x")
    assert set(bad.value.fields) == {"name", "phone"}
    assert Registration.objects.count() == 3


def test_checked_in_attendees_flow_into_the_stations_leads(world, event):
    came = services.register(actor=None, event=event, name="访客甲", phone="13700000001")
    services.register(actor=None, event=event, name="未到者", phone="13700000002")
    services.check_in(actor=world.office, event=event, code=came.code)
    assert services.event_leads(actor=world.office, event=event) == 1
    assert services.event_leads(actor=world.office, event=event) == 0  # not twice
    lead = Lead.objects.get()
    assert (lead.station, lead.source, lead.registration) == (world.station_a, "event", came)
    assert lead.name == "访客甲"
    # without the cross-border consent the partner does not see the attendee yet
    assert not selectors.leads(viewer=world.partner_a).exists()


def test_partners_and_park_staff_do_not_run_events(world, event, make_user):
    with pytest.raises(PermissionDenied):
        services.check_in(actor=world.partner_a, event=event, code="x")
    with pytest.raises(PermissionDenied):
        selectors.events(viewer=make_user("park-staff", "320115-P-KFQ"))


def test_public_registration_page_and_qr_and_the_talents_own_list(client, world, event, make_user):
    page = client.get(f"/stations/open/{event.pk}/")
    assert page.status_code == 200
    bad = client.post(f"/stations/open/{event.pk}/", {"name": "", "phone": "12"})
    assert bad.status_code == 400
    assert "请输入您的姓名" in bad.content.decode() or "Enter your name" in bad.content.decode()
    done = client.post(f"/stations/open/{event.pk}/", {"name": "访客甲", "phone": "13700000001"})
    registration = Registration.objects.get()
    assert done.status_code == 200
    assert registration.code in done.content.decode()
    assert "data:image/svg+xml" in done.content.decode()

    talent_user = make_user("talent", None)
    verify_session(client, talent_user)
    response = client.post(
        f"/api/v1/stations/events/{event.pk}/register",
        {"name": "人才乙", "phone": "13700000009"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    mine = client.get("/stations/me/registrations/")
    assert Registration.objects.get(account=talent_user).code in mine.content.decode()


def test_check_in_page_and_api(client, world, event):
    guest = services.register(actor=None, event=event, name="访客甲", phone="13700000001")
    verify_session(client, world.office)
    page = client.post(f"/stations/events/{event.pk}/check-in/", {"code": guest.code})
    assert page.status_code == 200
    assert 'id="checked-in"' in page.content.decode()
    again = client.post(
        f"/api/v1/stations/events/{event.pk}/check-in", {"code": guest.code}, content_type="application/json"
    )
    assert again.status_code == 409
    twice = client.post(f"/stations/events/{event.pk}/check-in/", {"code": guest.code})
    assert twice.status_code == 400


def test_event_form_errors_in_the_users_language(client, world):
    verify_session(client, world.office)
    response = client.post("/stations/events/", {"title": "", "kind": "salon", "venue": "", "capacity": 0})
    assert response.status_code == 400
    assert Event.objects.count() == 0
