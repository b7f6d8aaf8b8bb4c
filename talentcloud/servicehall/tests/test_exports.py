"""The worklist and the ratings as Excel: scoped like the pages, formula-safe, a Chinese name, audited."""

from __future__ import annotations

import io
from urllib.parse import quote

import pytest
from openpyxl import load_workbook

from talentcloud.audit.models import AuditEvent
from talentcloud.servicehall import cases
from talentcloud.servicehall.ratings import rating_create

pytestmark = pytest.mark.django_db


def sheet_rows(response) -> list[tuple]:
    return list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))


@pytest.fixture
def submitted(catalogue, make_applicant):
    service = catalogue["policy-consultation"]
    return [
        cases.case_submit(
            actor=make_applicant(), service=service, data={"question": f"问题{i}"}, idempotency_key=f"x{i}"
        )
        for i in range(3)
    ]


def test_worklist_export_follows_the_filters_and_is_named_in_chinese(submitted, make_user, login):
    client = login(make_user("service-staff", "320115-ZZB"))
    response = client.get("/hall/work/export.xlsx?state=submitted")
    assert response.status_code == 200
    assert f"filename*=utf-8''{quote('待办工作台')}-" in response["Content-Disposition"]
    rows = sheet_rows(response)
    assert rows[0][:4] == ("办件编号", "事项", "部门", "申请人") or rows[0][0] == "办件编号"
    assert {r[0] for r in rows[1:]} == {c.number for c in submitted}
    assert client.get("/hall/work/export.xlsx?state=concluded").status_code == 200
    assert len(sheet_rows(client.get("/hall/work/export.xlsx?state=concluded"))) == 1
    event = AuditEvent.objects.filter(action="case.export").order_by("pk").first()
    assert event is not None
    assert event.details["rows"] == 3
    assert "/hall/work/export.xlsx?" in client.get("/hall/work/").content.decode()


def test_applicants_cannot_export(submitted, applicant, login):
    client = login(applicant)
    assert client.get("/hall/work/export.xlsx").status_code == 403
    assert client.get("/hall/ratings/export.xlsx").status_code == 403


def test_ratings_export_is_formula_safe(submitted, make_user, login):
    case = submitted[0]
    rating_create(case=case, actor=case.applicant, level=5, comment='=HYPERLINK("x")')
    client = login(make_user("talent-office", "320115-ZZB"))
    response = client.get("/hall/ratings/export.xlsx")
    assert response.status_code == 200
    assert f"filename*=utf-8''{quote('好差评')}-" in response["Content-Disposition"]
    rows = sheet_rows(response)
    assert rows[1][0] == case.number
    assert rows[1][4].startswith("'=HYPERLINK")
    assert AuditEvent.objects.filter(action="rating.export").count() == 1
