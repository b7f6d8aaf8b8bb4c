"""Excel import of enterprises: one bad row saves nothing; fixed, all import; again, nothing changes."""

from __future__ import annotations

import io
import random
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from talentcloud.common.models import BackgroundJob
from talentcloud.demo.seed import credit_code
from talentcloud.enterprises.models import Enterprise, EnterpriseChange, IndustryChain

pytestmark = pytest.mark.django_db
HEADER = [
    "企业名称",
    "统一社会信用代码",
    "街道",
    "园区（可选）",
    "产业链（可选）",
    "成立日期（可选）",
    "地址（可选）",
    "标签（可选）",
]


def body(n: int) -> list[list[Any]]:
    rng = random.Random(7)
    codes: list[str] = []
    while len(codes) < n:
        code = credit_code(rng)
        if code not in codes:
            codes.append(code)
    return [
        [
            f"江宁示例企业{i:03d}有限公司",
            codes[i],
            "秣陵街道",
            "江宁经济技术开发区",
            "ai",
            "2020-05-01",
            "",
            "高新技术企业",
        ]
        for i in range(n)
    ]


def workbook(rows: list[list[Any]]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def office(units, make_user, login):
    IndustryChain.objects.get_or_create(code="ai", defaults={"name": "人工智能"})
    return login(make_user("talent-office", "320115-ZZB"))


def upload(client, data: bytes, capture) -> BackgroundJob:
    with capture(execute=True):
        response = client.post("/enterprises/import/", {"file": SimpleUploadedFile("firms.xlsx", data)})
    assert response.status_code == 302, response.content.decode()[-1500:]
    job = BackgroundJob.objects.order_by("-created_at").first()
    assert job is not None
    assert response["Location"] == f"/jobs/{job.pk}/"
    job.refresh_from_db()
    return job


def test_bad_row_saves_nothing_fixed_file_imports_again_changes_nothing(
    office, django_capture_on_commit_callbacks
):
    rows = body(300)
    good = rows[120][1]
    rows[120][1] = good[:-1] + ("0" if good[-1] != "0" else "1")  # a typing error in the check character
    job = upload(office, workbook(rows), django_capture_on_commit_callbacks)
    assert job.status == "failed"
    assert Enterprise.objects.count() == 0
    assert job.summary["errors"] == [
        {"row": 122, "column": "统一社会信用代码", "message": job.summary["errors"][0]["message"]}
    ]
    assert "校验" in job.summary["errors"][0]["message"]
    page = office.get(f"/jobs/{job.pk}/").content.decode()
    assert "122" in page
    assert "统一社会信用代码" in page
    report = load_workbook(io.BytesIO(office.get(f"/jobs/{job.pk}/result/").content)).active
    assert [r[1] for r in report.iter_rows(min_row=2, values_only=True) if r[0]] == [122]

    rows[120][1] = good
    job = upload(office, workbook(rows), django_capture_on_commit_callbacks)
    assert job.status == "done", job.summary
    assert job.summary["created"] == 300
    assert Enterprise.objects.filter(park__code="320115-P-KFQ", chain__code="ai").count() == 300

    job = upload(office, workbook(rows), django_capture_on_commit_callbacks)
    assert job.summary == {"rows": 300, "created": 0, "updated": 0, "unchanged": 300}

    rows[5][6] = "胜太路 1 号"
    job = upload(office, workbook(rows), django_capture_on_commit_callbacks)
    assert job.summary["updated"] == 1
    change = EnterpriseChange.objects.get(via="import", field="address")
    assert (change.before, change.after) == ("", "胜太路 1 号")


def test_each_bad_cell_is_named(office, django_capture_on_commit_callbacks):
    rows = body(4)
    rows[0][2] = "南山街道"
    rows[1][3] = "东山街道"  # a street in the park column
    rows[2][4] = "区块链"
    rows[3][1] = rows[2][1]
    job = upload(office, workbook(rows), django_capture_on_commit_callbacks)
    problems = {(e["row"], e["column"]) for e in job.summary["errors"]}
    assert problems == {(2, "街道"), (3, "园区"), (4, "产业链"), (5, "统一社会信用代码")}
    assert Enterprise.objects.count() == 0


def test_only_the_office_imports(units, make_user, login):
    client = login(make_user("park-staff", "320115-P-KFQ"))
    assert client.get("/enterprises/import/").status_code == 403
    assert client.get("/enterprises/import/template.xlsx").status_code == 403


def test_template_has_the_headers(office):
    response = office.get("/enterprises/import/template.xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in sheet[1]][:3] == ["企业名称", "统一社会信用代码", "街道"]
