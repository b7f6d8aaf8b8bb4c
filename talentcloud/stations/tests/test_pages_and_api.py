"""The stations' doors: a partner reaches its own station's consented leads only, through every page and
API operation (a meta-test over all of this app's doors with the other station's ids); the office's pages
and API work a lead end to end; scorecards and leads download as .xlsx with personal data masked."""

from __future__ import annotations

import datetime as dt
import io
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from openpyxl import load_workbook

from talentcloud.accounts.services import token_create
from talentcloud.api.tests.test_scope_doors import example_body
from talentcloud.conftest import verify_session
from talentcloud.stations import services
from talentcloud.stations.models import Lead

from .conftest import lead_of

pytestmark = pytest.mark.django_db

SENTINEL = "乙站秘密"


def _routes(patterns: list[Any], prefix: str = "") -> list[str]:
    found: list[str] = []
    for entry in patterns:
        if isinstance(entry, URLResolver):
            found += _routes(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            found.append(prefix + str(entry.pattern))
    return found


@pytest.fixture
def b_world(world):
    lead_b = lead_of(world.partner_b, phone="13800009999", country=f"{SENTINEL}国", field=f"{SENTINEL}领域")
    event_b = services.event_save(
        actor=world.office,
        data=services.EventInput(
            title="伦敦站内部活动",
            kind="international",
            venue="伦敦",
            starts_at=timezone.now() + dt.timedelta(days=5),
            station=world.station_b,
            published=False,
        ),
    )
    ids = {"station_id": str(world.station_b.pk), "lead_id": str(lead_b.pk), "event_id": str(event_b.pk)}
    return world, lead_b, ids


def _fill(route: str, ids: dict[str, str]) -> str:
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda m: ids[str(m.group(1))], route)


def test_a_partner_reaches_no_other_stations_lead_through_any_page(b_world):
    world, lead_b, ids = b_world
    lead_a = lead_of(world.partner_a)
    client = Client()
    verify_session(client, world.partner_a)
    routes = [r for r in _routes(get_resolver().url_patterns) if r.startswith("stations/")]
    assert len(routes) >= 20
    for route in routes:
        url = _fill(route, ids)
        for method in ("get", "post"):
            response = getattr(client, method)(
                url, {"action": "interest", "kind": "call", "note": "x", "code": "x"}
            )
            body = response.content.decode(errors="replace")
            assert SENTINEL not in body, f"{method.upper()} {url} shows station B's lead"
            assert "伦敦工作站" not in body or route.startswith("stations/open"), f"{method.upper()} {url}"
            if "<" in route and not route.startswith("stations/open"):
                assert response.status_code in (403, 404, 405), (
                    f"{method.upper()} {url}: {response.status_code}"
                )
    lead_b.refresh_from_db()
    assert (lead_b.state, lead_b.revision, lead_b.activities.count()) == ("contacted", 0, 0)
    # its own lead it does reach
    assert client.get(f"/stations/leads/{lead_a.pk}/").status_code == 200
    listing = client.get("/stations/leads/").content.decode()
    assert f"/stations/leads/{lead_a.pk}/" in listing
    assert f"/stations/leads/{lead_b.pk}/" not in listing


def test_a_partner_reaches_no_other_stations_lead_through_any_api_operation(b_world):
    world, lead_b, ids = b_world
    _token, clear = token_create(actor=world.partner_a, name="partner", console=True)
    client = Client()
    auth = {"Authorization": f"Bearer {clear}"}
    schema = client.get("/api/v1/openapi.json").json()
    checked = 0
    for path, operations in schema["paths"].items():
        if not path.startswith("/api/v1/stations/"):
            continue
        for method, operation in operations.items():
            url = re.sub(r"\{(\w+)\}", lambda m: ids[m.group(1)], path)
            body = example_body(schema, operation)
            if body is None:
                response = getattr(client, method)(url, headers=auth)
            else:
                response = getattr(client, method)(url, body, content_type="application/json", headers=auth)
            text = response.content.decode(errors="replace")
            assert SENTINEL not in text, f"{method.upper()} {url}"
            assert "伦敦工作站" not in text, f"{method.upper()} {url}"
            if "{" in path:
                assert response.status_code in (403, 404), f"{method.upper()} {url}: {response.status_code}"
            checked += 1
    assert checked >= 15
    lead_b.refresh_from_db()
    assert (lead_b.state, lead_b.revision, lead_b.verified_at) == ("contacted", 0, None)
    mine = client.get("/api/v1/stations/leads", headers=auth).json()
    assert mine["items"] == []  # station A has no leads; B's are not listed


def test_the_office_works_a_lead_through_the_api(world):
    _token, clear = token_create(actor=world.office, name="office", console=True)
    client = Client()
    auth = {"Authorization": f"Bearer {clear}"}
    created = client.post(
        "/api/v1/stations/leads",
        {"station": str(world.station_a.pk), "name": "陈海归", "phone": "13912345678", "consent": False},
        content_type="application/json",
        headers=auth,
    )
    assert created.status_code == 201, created.content
    lead = created.json()
    assert lead["name"] == "陈**"
    assert lead["phone"].startswith("139")
    assert "1234" not in lead["phone"]
    lead_id = lead["id"]
    bad = client.post(
        f"/api/v1/stations/leads/{lead_id}/move",
        {"action": "sign"},
        content_type="application/json",
        headers=auth,
    )
    assert bad.status_code == 409
    for step in ("consent", "verify"):
        response = client.post(
            f"/api/v1/stations/leads/{lead_id}/{step}",
            {"consent_ref": "CB-1"} if step == "consent" else None,
            content_type="application/json",
            headers=auth,
        )
        assert response.status_code == 200, response.content
    assert response.json()["credited"] is True
    linked = client.post(
        f"/api/v1/stations/leads/{lead_id}/link",
        {"talent_id": str(world.talent.pk)},
        content_type="application/json",
        headers=auth,
    )
    assert linked.status_code == 200
    for action in ("interest", "visit", "sign"):
        moved = client.post(
            f"/api/v1/stations/leads/{lead_id}/move",
            {"action": action},
            content_type="application/json",
            headers=auth,
        )
        assert moved.status_code == 200, moved.content
    refused = client.post(
        f"/api/v1/stations/leads/{lead_id}/move",
        {"action": "land"},
        content_type="application/json",
        headers=auth,
    )
    assert refused.status_code == 409  # the archive record has not arrived
    type(world.talent).objects.filter(pk=world.talent.pk).update(arrived_on=timezone.localdate())
    landed = client.post(
        f"/api/v1/stations/leads/{lead_id}/move",
        {"action": "land"},
        content_type="application/json",
        headers=auth,
    )
    assert landed.json()["state"] == "landed"
    reward = client.post(f"/api/v1/stations/leads/{lead_id}/reward", headers=auth)
    assert reward.status_code == 201
    assert client.post(f"/api/v1/stations/leads/{lead_id}/reward", headers=auth).status_code == 409
    cards = client.get("/api/v1/stations/scorecards", headers=auth).json()
    card = next(c for c in cards if c["station"] == str(world.station_a.pk))
    assert card["landed"] == 1
    assert card["landed_by_grade"] == {"B": 1}


def test_the_office_pages_and_the_exports(client, world):
    lead = lead_of(world.partner_a, email="chen@example.org")
    verify_session(client, world.office)
    assert client.get("/stations/").status_code == 200
    page = client.get(f"/stations/leads/{lead.pk}/").content.decode()
    assert "陈**" in page
    assert "13912345678" not in page
    verified = client.post(f"/stations/leads/{lead.pk}/verify/", follow=True)
    assert verified.status_code == 200
    assert Lead.objects.get(pk=lead.pk).credited
    moved = client.post(f"/stations/leads/{lead.pk}/move/", {"action": "interest", "revision": 0})
    assert moved.status_code == 302
    assert Lead.objects.get(pk=lead.pk).state == "interested"
    sheet = client.get("/stations/leads/export/")
    rows = list(load_workbook(io.BytesIO(sheet.content)).active.iter_rows(values_only=True))
    assert len(rows) == 2
    assert "陈**" in rows[1]
    assert "13912345678" not in [str(v) for v in rows[1]]
    cards = client.get("/stations/scorecards/export/")
    card_rows = list(load_workbook(io.BytesIO(cards.content)).active.iter_rows(values_only=True))
    assert {r[0] for r in card_rows[1:]} == {"慕尼黑工作站", "伦敦工作站"}


def test_a_partner_scorecard_export_holds_its_own_station_only(client, world):
    lead_of(world.partner_b, phone="13800001111")
    verify_session(client, world.partner_a)
    cards = client.get("/stations/scorecards/export/")
    rows = list(load_workbook(io.BytesIO(cards.content)).active.iter_rows(values_only=True))
    assert [r[0] for r in rows[1:]] == ["慕尼黑工作站"]
    leads = client.get("/stations/leads/export/")
    assert len(list(load_workbook(io.BytesIO(leads.content)).active.iter_rows(values_only=True))) == 1


def test_station_form_says_what_is_wrong_at_the_field(client, world):
    verify_session(client, world.office)
    response = client.post(
        "/stations/", {"name": "", "kind": "overseas", "country": "法国", "city": "巴黎", "partner": "x"}
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert 'id="id_name"' in body
    assert "aria-invalid" in body or "error" in body
