"""Excel import: 1,000 rows with one bad row save nothing; fixed, all import; again, nothing added."""

from __future__ import annotations

import io
import random
from datetime import date, timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from talentcloud.audit.models import AuditEvent
from talentcloud.common.models import BackgroundJob
from talentcloud.demo.seed import resident_id
from talentcloud.enterprises.tests.factories import EnterpriseFactory
from talentcloud.talents.models import Talent

pytestmark = pytest.mark.django_db
HEADER = [
    "姓名",
    "性别",
    "出生日期",
    "证件号码",
    "手机号码（可选）",
    "最高学历",
    "金字塔类别",
    "工作单位统一社会信用代码（可选）",
    "岗位（可选）",
    "居住街道（可选）",
    "来区时间（可选）",
]


def rows(n: int, employer_code: str) -> list[list[Any]]:
    rng = random.Random(42)
    out = []
    for i in range(n):
        born = date(1970, 1, 1) + timedelta(days=rng.randrange(0, 365 * 30))
        gender = "M" if i % 2 else "F"
        out.append(
            [
                f"人才{i:04d}",
                "男" if gender == "M" else "女",
                born,
                resident_id(rng, born, gender),
                f"139{i:08d}",
                "博士",
                "青年人才",
                employer_code,
                "工程师",
                "东山街道",
                "2022-03-01",
            ]
        )
    return out


def workbook(header: list[str], body: list[list[Any]]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in body:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def upload(client, data: bytes, capture):
    with capture(execute=True):
        response = client.post("/talents/import/", {"file": SimpleUploadedFile("talents.xlsx", data)})
    assert response.status_code == 302, response.content.decode()[:500]
    job = BackgroundJob.objects.order_by("-created_at").first()
    assert job is not None
    assert response["Location"] == f"/jobs/{job.pk}/"
    return job, client.get(response["Location"])


@pytest.fixture
def office(make_user, login, units):
    ent = EnterpriseFactory.create(name="南京紫峰软件有限公司", credit_code="91320115MA1X2Y3W4T")
    user = make_user("talent-office", "320115-ZZB")
    return login(user), ent


def test_thousand_rows_one_bad_then_fixed_then_again(office, django_capture_on_commit_callbacks):
    client, ent = office
    body = rows(1000, ent.credit_code)
    good_id = body[499][3]
    body[499][3] = good_id[:17] + ("0" if good_id[17] != "0" else "1")
    job, page = upload(client, workbook(HEADER, body), django_capture_on_commit_callbacks)
    job.refresh_from_db()
    assert job.status == "failed"
    assert Talent.objects.count() == 0
    assert job.summary["error_count"] == 1
    error = job.summary["errors"][0]
    assert error["row"] == 501
    assert error["column"] == "证件号码"
    assert "校验位" in error["message"]
    text = page.content.decode()
    assert "501" in text
    assert "证件号码" in text
    report = client.get(f"/jobs/{job.pk}/result/")
    sheet = load_workbook(io.BytesIO(report.content)).active
    flagged = [r for r in sheet.iter_rows(min_row=2, values_only=True) if r[0]]
    assert len(flagged) == 1
    assert flagged[0][1] == 501
    assert not job.input_name  # the upload is not kept

    body[499][3] = good_id
    job, _page = upload(client, workbook(HEADER, body), django_capture_on_commit_callbacks)
    job.refresh_from_db()
    assert job.status == "done", job.summary
    assert job.summary["created"] == 1000
    assert Talent.objects.count() == 1000
    assert Talent.objects.get(name="人才0499").id_number == good_id
    assert Talent.objects.filter(employer=ent, residence_street__name="东山街道").count() == 1000

    job, _page = upload(client, workbook(HEADER, body), django_capture_on_commit_callbacks)
    job.refresh_from_db()
    assert job.summary == {"rows": 1000, "created": 0, "updated": 0, "unchanged": 1000}
    assert Talent.objects.count() == 1000
    assert AuditEvent.objects.filter(action="talent.import").count() == 2


def test_each_kind_of_bad_cell_is_named(office, django_capture_on_commit_callbacks):
    client, ent = office
    body = rows(6, ent.credit_code)
    body[0][1] = "未知"  # gender
    body[1][2] = "1988-02-30"  # impossible date
    body[2][5] = "博士后"  # not a degree
    body[3][7] = "91320115MA1XXXXXXX"  # unknown employer
    body[4][9] = "南山街道"  # not a Jiangning street
    body[5][3] = body[4][3]  # duplicate ID within the file
    job, _page = upload(client, workbook(HEADER, body), django_capture_on_commit_callbacks)
    job.refresh_from_db()
    found = {(e["row"], e["column"]) for e in job.summary["errors"]}
    assert {
        (2, "性别"),
        (3, "出生日期"),
        (4, "最高学历"),
        (5, "工作单位统一社会信用代码"),
        (6, "居住街道"),
        (7, "证件号码"),
    } <= found
    assert Talent.objects.count() == 0


def test_english_headers_and_the_template_work(office, django_capture_on_commit_callbacks):
    client, ent = office
    template = client.get("/talents/import/template.xlsx")
    header = list(next(load_workbook(io.BytesIO(template.content)).active.iter_rows(values_only=True)))
    assert header[0] == "姓名"
    english = [
        "Name",
        "Gender",
        "Birth date",
        "ID number",
        "Mobile number",
        "Highest degree",
        "Pyramid category",
    ]
    body = [r[:7] for r in rows(3, ent.credit_code)]
    body[0][1], body[0][5], body[0][6] = "Male", "Doctor", "Young talent"
    job, _page = upload(client, workbook(english, body), django_capture_on_commit_callbacks)
    job.refresh_from_db()
    assert job.status == "done", job.summary
    assert job.summary["created"] == 3


def test_bad_files_are_refused_clearly(office, make_user, login, django_capture_on_commit_callbacks):
    client, _ent = office
    response = client.post("/talents/import/", {"file": SimpleUploadedFile("x.xlsx", b"not a workbook")})
    assert response.status_code == 400
    assert "xlsx" in response.content.decode()
    job, _page = upload(
        client, workbook(["姓名", "性别"], [["张三", "男"]]), django_capture_on_commit_callbacks
    )
    job.refresh_from_db()
    assert job.status == "failed"
    assert "证件号码" in job.message
    park = login(make_user("park-staff", "320115-P-KFQ"))
    assert park.get("/talents/import/").status_code == 403
    assert park.get(f"/jobs/{job.pk}/").status_code == 404  # someone else's job
