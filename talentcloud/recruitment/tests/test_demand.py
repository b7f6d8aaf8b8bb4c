"""Demand: posted by the enterprise (page, API, Excel), reviewed by its own park on the workflow engine, seen
by the office; another park's staff neither see nor review it; bad Excel rows are named by row and column and
nothing is saved; salary is normalised to an annual band; open demand past its deadline expires."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.utils import timezone
from openpyxl import Workbook

from talentcloud.audit.models import AuditEvent
from talentcloud.recruitment.enums import DemandState
from talentcloud.recruitment.importing import DemandImporter
from talentcloud.recruitment.models import Demand, DemandEvent
from talentcloud.recruitment.services import annual_band, demand_create, demand_expire

from .conftest import demand_input

pytestmark = pytest.mark.django_db


def test_salary_becomes_an_annual_band():
    assert annual_band("monthly", 8000, 12000) == (96000, 144000)
    assert annual_band("monthly", 8000, None) == (96000, 96000)
    assert annual_band("annual", 300000, 400000) == (300000, 400000)
    assert annual_band("negotiable", None, None) == (None, None)


def test_enterprise_posts_its_park_reviews_the_other_park_sees_nothing(rworld, login):
    w = rworld
    deadline = (timezone.localdate() + dt.timedelta(days=30)).isoformat()
    hr = login(w.hr_a)
    bad = hr.post(
        "/recruitment/demand/new/",
        {
            "post": w.posts["A1"].pk,
            "headcount": 2,
            "degree": "master",
            "salary_kind": "monthly",
            "experience_years": 0,
            "deadline": deadline,
        },
    )
    assert bad.status_code == 400
    assert Demand.objects.count() == 0
    assert "id_salary_min_error" in bad.content.decode()
    ok = hr.post(
        "/recruitment/demand/new/",
        {
            "post": w.posts["A1"].pk,
            "headcount": 2,
            "degree": "master",
            "salary_kind": "monthly",
            "salary_min": 20000,
            "experience_years": 0,
            "deadline": deadline,
        },
    )
    assert ok.status_code == 302
    demand = Demand.objects.get()
    assert (demand.park_id, demand.state, demand.annual_min) == (w.ent_a.park_id, "submitted", 240000)
    assert AuditEvent.objects.filter(action="demand.post", object_id=str(demand.pk)).exists()
    other_b = demand_create(actor=w.hr_b, enterprise=w.ent_b, data=demand_input(w.posts["C1"]))

    park_b = login(w.park_b)
    assert park_b.get(f"/recruitment/demand/{demand.pk}/").status_code == 404
    assert (
        park_b.post(f"/recruitment/demand/{demand.pk}/", {"action": "approve", "revision": 0}).status_code
        == 404
    )
    assert w.ent_a.name not in park_b.get("/recruitment/demand/").content.decode()
    api_b = park_b.post(
        f"/api/v1/recruitment/demand/{demand.pk}/actions",
        {"action": "approve", "revision": 0},
        content_type="application/json",
    )
    assert api_b.status_code == 404

    park_a = login(w.park_a)
    listing = park_a.get("/recruitment/demand/").content.decode()
    assert w.ent_a.name in listing
    assert "乙园区秘密企业" not in listing
    assert park_a.get(f"/recruitment/demand/{other_b.pk}/").status_code == 404
    api_list = park_a.get("/api/v1/recruitment/demand").json()
    assert [d["id"] for d in api_list["items"]] == [str(demand.pk)]
    returned = park_a.post(
        f"/recruitment/demand/{demand.pk}/", {"action": "return", "revision": 0, "note": ""}
    )
    assert returned.status_code == 400  # a return needs a note
    park_a.post(f"/recruitment/demand/{demand.pk}/", {"action": "approve", "revision": 0})
    demand.refresh_from_db()
    assert demand.state == DemandState.OPEN
    assert DemandEvent.objects.filter(demand=demand, action="approve", actor=w.park_a).exists()
    assert AuditEvent.objects.filter(action="demand.approve", object_id=str(demand.pk)).exists()

    office = login(w.office)
    office_list = office.get("/api/v1/recruitment/demand").json()
    assert {d["id"] for d in office_list["items"]} == {str(demand.pk), str(other_b.pk)}
    assert (
        hr.post(f"/recruitment/demand/{other_b.pk}/", {"action": "withdraw", "revision": 0}).status_code
        == 404
    )


def test_the_api_posts_demand_with_errors_at_the_field(rworld, login):
    w = rworld
    hr = login(w.hr_a)
    deadline = (timezone.localdate() + dt.timedelta(days=30)).isoformat()
    body = {
        "post": "A1",
        "headcount": 1,
        "degree": "doctor",
        "salary_kind": "annual",
        "salary_min": 500000,
        "skills": ["Verilog"],
        "deadline": deadline,
    }
    bad = hr.post(
        "/api/v1/recruitment/demand",
        {**body, "skills": ["不存在的技能"], "post": "ZZ"},
        content_type="application/json",
    )
    assert bad.status_code == 422
    assert set(bad.json()["fields"]) == {"post", "skills"}
    past = hr.post(
        "/api/v1/recruitment/demand", {**body, "deadline": "2020-01-01"}, content_type="application/json"
    )
    assert past.status_code == 422
    assert "deadline" in past.json()["fields"]
    ok = hr.post("/api/v1/recruitment/demand", body, content_type="application/json")
    assert ok.status_code == 201
    assert ok.json()["annual_min"] == 500000
    assert ok.json()["skills"] == ["Verilog"]
    assert (
        login(w.park_a).post("/api/v1/recruitment/demand", body, content_type="application/json").status_code
        == 403
    )


def sheet(rows: list[list[object]]) -> bytes:
    importer = DemandImporter()
    book = Workbook()
    ws = book.active
    ws.append([str(c.header) for c in importer.columns])
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_bad_excel_rows_are_named_by_row_and_column_and_nothing_is_saved(rworld):
    w = rworld
    deadline = (timezone.localdate() + dt.timedelta(days=30)).isoformat()
    good = [
        "R-1",
        "A1",
        "芯片设计",
        3,
        "硕士",
        "080901",
        "Verilog、Python",
        2,
        "月薪",
        20000,
        30000,
        "",
        "开发区",
        deadline,
    ]
    rows = [
        good,
        ["R-2", "NOPE", "", 0, "硕士", "", "", "", "月薪", 20000, "", "", "", deadline],
        ["R-3", "B1", "", 1, "学士后", "999999", "不存在", "", "年薪", 300000, 200000, "", "", "2020-01-01"],
        ["R-4", "C1", "", 1, "junior_college", "", "", "", "月薪", "", "", "", "", deadline],
        ["R-1", "C1", "", 1, "junior_college", "", "", "", "negotiable", "", "", "", "", deadline],
    ]
    result = DemandImporter().run(data=sheet(rows), actor=w.hr_a)
    header = {c.key: str(c.header) for c in DemandImporter.columns}
    found = {(e.row, e.column) for e in result.errors}
    assert found == {
        (3, header["post"]),
        (3, header["headcount"]),
        (4, header["degree"]),
        (4, header["majors"]),
        (4, header["skills"]),
        (4, header["salary_max"]),
        (4, header["deadline"]),
        (5, header["salary_min"]),
        (6, header["ref"]),
    }, result.errors
    assert Demand.objects.count() == 0
    ok = DemandImporter().run(data=sheet([good]), actor=w.hr_a)
    assert ok.ok
    assert ok.created == 1
    demand = Demand.objects.get()
    assert (demand.ref, demand.annual_min, demand.annual_max, demand.state) == (
        "R-1",
        240000,
        360000,
        "submitted",
    )
    again = DemandImporter().run(data=sheet([good]), actor=w.hr_a)
    assert again.ok
    assert Demand.objects.count() == 1


def test_open_demand_past_its_deadline_expires(rworld):
    w = rworld
    demand = demand_create(actor=w.hr_a, enterprise=w.ent_a, data=demand_input(w.posts["A1"]))
    Demand.objects.filter(pk=demand.pk).update(
        state="open", deadline=timezone.localdate() - dt.timedelta(days=1)
    )
    assert demand_expire() == 1
    demand.refresh_from_db()
    assert demand.state == DemandState.EXPIRED
    assert AuditEvent.objects.filter(action="demand.expire_sweep").exists()
