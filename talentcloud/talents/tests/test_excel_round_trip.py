"""Excel as staff use it: the template, lenient dates, and an export that imports back onto its records."""

from __future__ import annotations

import io
import random
from datetime import date, datetime, timedelta
from urllib.parse import quote

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from openpyxl import load_workbook
from openpyxl.utils.datetime import to_excel

from talentcloud.common.models import BackgroundJob, JobStatus, job_progress_note
from talentcloud.conftest import PASSWORD
from talentcloud.demo.seed import resident_id
from talentcloud.enterprises.tests.factories import EnterpriseFactory
from talentcloud.infra.sheets import date_parse, importers
from talentcloud.talents.models import Talent
from talentcloud.talents.tests.test_export import run_export
from talentcloud.talents.tests.test_import import upload

pytestmark = pytest.mark.django_db
FIELDS = (
    "name",
    "gender",
    "birth_date",
    "id_number",
    "phone",
    "highest_degree",
    "category",
    "employer_id",
    "post",
    "residence_street_id",
    "arrived_on",
)


@pytest.fixture
def office(make_user, login, units):
    ent = EnterpriseFactory.create(name="南京紫峰软件有限公司", credit_code="91320115MA1X2Y3W4T")
    return login(make_user("talent-office", "320115-ZZB")), ent


def snapshot() -> dict[str, tuple]:
    return {str(t.pk): tuple(getattr(t, f) for f in FIELDS) for t in Talent.objects.all()}


def spelled(day: date, i: int):
    """The date as staff write it, a different way each row."""
    return [
        f"{day.year}/{day.month}/{day.day}",
        f"{day.year}-{day.month}-{day.day}",
        f"{day.year}年{day.month}月{day.day}日",
        f"{day.year}.{day.month}.{day.day}",
        datetime(day.year, day.month, day.day),
        int(to_excel(datetime(day.year, day.month, day.day))),
        day.isoformat(),
    ][i % 7]


def filled_template(client, ent, n: int) -> bytes:
    template = client.get("/talents/import/template.xlsx").content if client else None
    book = load_workbook(io.BytesIO(template or importers()["talent_import"].template()))
    sheet = book.worksheets[0]
    header = [c.value for c in sheet[1]]
    at = {name.removesuffix("（可选）"): i + 1 for i, name in enumerate(header)}
    rng = random.Random(7)
    for i in range(n):
        row = i + 2
        born = date(1970, 1, 1) + timedelta(days=rng.randrange(0, 365 * 30))
        gender = "M" if i % 2 else "F"
        values = {
            "姓名": f"人才{i:03d}",
            "性别": "男" if gender == "M" else "女",
            "出生日期": spelled(born, i),
            "证件号码": resident_id(rng, born, gender),
            "手机号码": f"139{i:08d}",
            "最高学历": "硕士" if i % 3 else "博士",
            "金字塔类别": "青年人才",
            "工作单位统一社会信用代码": ent.credit_code,
            "岗位": "工程师",
            "居住街道": "东山街道",
            "来区时间": spelled(date(2022, 3, 1), i + 3),
        }
        for name, value in values.items():
            sheet.cell(row=row, column=at[name], value=value)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def download_bytes(client, capture, **form) -> bytes:

    run_export(client, capture, **form)
    job = BackgroundJob.objects.filter(kind="talent_export").order_by("-created_at").first()
    assert job is not None
    return client.get(f"/jobs/{job.pk}/result/").content


def test_the_template_explains_formats_offers_lists_and_its_example_imports(
    office, django_capture_on_commit_callbacks
):
    client, _ent = office
    response = client.get("/talents/import/template.xlsx")
    assert f"filename*=utf-8''{quote('人才导入模板')}.xlsx" in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.content))
    sheet = book.worksheets[0]
    header = [c.value for c in sheet[1]]
    id_column = header.index("证件号码") + 1
    assert sheet.cell(row=2, column=id_column).number_format == "@"
    assert sheet.cell(row=500, column=id_column).number_format == "@"
    phone_column = header.index("手机号码（可选）") + 1
    assert sheet.cell(row=3, column=phone_column).number_format == "@"
    # A drop-down list for every enumeration (gender, degree, category, street).
    lists = book["lists"]
    ranges = {str(v.sqref).split(":")[0]: v.formula1 for v in sheet.data_validations.dataValidation}
    for name in ("性别", "最高学历", "金字塔类别", "居住街道（可选）"):
        letter = sheet.cell(row=2, column=header.index(name) + 1).column_letter
        assert f"{letter}2" in ranges, name
        assert ranges[f"{letter}2"].startswith("=lists!")
    offered = [c.value for c in lists["B"] if c.value]
    assert offered == ["男", "女"] or set(offered) >= {"男", "女"}
    instructions = book["填写说明"]
    text = " ".join(str(c.value) for row in instructions.iter_rows() for c in row if c.value)
    for expected in ("证件号码", "必填", "选填", "2022年3月1日", "博士", "文本格式"):
        assert expected in text, expected
    # The example row passes its own checks: the template imports as it is.
    job, _page = upload(client, response.content, django_capture_on_commit_callbacks)
    job.refresh_from_db()
    assert job.status == "done", job.summary
    assert job.summary["created"] == 1


def test_round_trip_template_masked_and_unmasked_exports(office, django_capture_on_commit_callbacks):
    client, ent = office
    capture = django_capture_on_commit_callbacks
    job, _page = upload(client, filled_template(client, ent, 100), capture)
    job.refresh_from_db()
    assert job.status == "done", job.summary
    assert job.summary["created"] == 100
    assert Talent.objects.filter(birth_date__isnull=True).count() == 0
    assert Talent.objects.filter(arrived_on=date(2022, 3, 1)).count() == 100
    before = snapshot()

    masked = download_bytes(client, capture)
    job = BackgroundJob.objects.filter(kind="talent_export").order_by("-created_at").first()
    assert job is not None
    disposition = client.get(f"/jobs/{job.pk}/result/")["Content-Disposition"]
    assert f"filename*=utf-8''{quote('人才')}-" in disposition
    exported = load_workbook(io.BytesIO(masked)).worksheets[0]
    assert exported.cell(row=1, column=1).value == "记录编号"
    assert exported.cell(row=1, column=2).value == "姓名"
    assert "*" in exported.cell(row=2, column=5).value
    assert exported.cell(row=2, column=5).number_format == "@"
    job, _page = upload(client, masked, capture)
    job.refresh_from_db()
    assert job.summary == {"rows": 100, "created": 0, "updated": 0, "unchanged": 100}
    assert snapshot() == before  # no masked ID or phone written back

    # An edited masked export updates its records by the record number; masked cells stay as they are.
    book = load_workbook(io.BytesIO(masked))
    sheet = book.worksheets[0]
    sheet.cell(row=2, column=10).value = "首席工程师"
    key = sheet.cell(row=2, column=1).value
    buffer = io.BytesIO()
    book.save(buffer)
    job, _page = upload(client, buffer.getvalue(), capture)
    job.refresh_from_db()
    assert job.summary == {"rows": 100, "created": 0, "updated": 1, "unchanged": 99}
    after = snapshot()
    assert after[key][FIELDS.index("post")] == "首席工程师"
    assert after[key][:8] == before[key][:8]  # ID and phone kept
    Talent.objects.filter(pk=key).update(post="工程师")

    response, _rows = run_export(client, capture, unmasked="1")
    client.post(response["Location"], {"password": PASSWORD})
    unmasked = download_bytes(client, capture, unmasked="1")
    job, _page = upload(client, unmasked, capture)
    job.refresh_from_db()
    assert job.summary == {"rows": 100, "created": 0, "updated": 0, "unchanged": 100}
    assert snapshot() == before

    # One phone changed in the unmasked export: only that field of that talent changes.
    book = load_workbook(io.BytesIO(unmasked))
    sheet = book.worksheets[0]
    key = sheet.cell(row=5, column=1).value
    sheet.cell(row=5, column=6).value = "13700000001"
    buffer = io.BytesIO()
    book.save(buffer)
    job, _page = upload(client, buffer.getvalue(), capture)
    job.refresh_from_db()
    assert job.summary == {"rows": 100, "created": 0, "updated": 1, "unchanged": 99}
    after = snapshot()
    expected = dict(before)
    changed = list(before[key])
    changed[FIELDS.index("phone")] = "13700000001"
    expected[key] = tuple(changed)
    assert after == expected


def test_masked_id_without_a_record_number_and_unknown_record_numbers_are_named(
    office, django_capture_on_commit_callbacks
):
    client, ent = office
    capture = django_capture_on_commit_callbacks
    upload(client, filled_template(client, ent, 3), capture)
    book = load_workbook(io.BytesIO(download_bytes(client, capture)))
    sheet = book.worksheets[0]
    sheet.cell(row=2, column=1).value = None  # the record number removed: a masked ID cannot identify
    sheet.cell(row=3, column=1).value = "00000000-0000-0000-0000-000000000000"
    buffer = io.BytesIO()
    book.save(buffer)
    job, _page = upload(client, buffer.getvalue(), capture)
    job.refresh_from_db()
    assert job.status == "failed"
    found = {(e["row"], e["column"]) for e in job.summary["errors"]}
    assert {(2, "证件号码"), (3, "记录编号")} <= found
    assert Talent.objects.count() == 3


def test_lenient_dates():

    day = date(2022, 3, 1)
    for spelling in (
        "2022/3/1",
        "2022-3-1",
        "2022年3月1日",
        "2022.3.1",
        "2022-03-01",
        "20220301",
        "2022-03-01 00:00:00",
        datetime(2022, 3, 1),
        day,
        44621,
        44621.0,
        20220301,
    ):
        assert date_parse(spelling) == day, spelling
    for bad in ("2022-2-30", "3/1/2022", "明天", -5, True):
        with pytest.raises(ValidationError):
            date_parse(bad)


def test_save_phase_reports_progress(office, make_user, monkeypatch):
    monkeypatch.setattr("talentcloud.talents.importing.SAVE_PROGRESS_EVERY", 3)
    _client, ent = office

    seen: list[tuple[int, int]] = []
    with translation.override("zh-hans"):
        data = filled_template(None, ent, 10)
        importer = importers()["talent_import"]
        result = importer.run(
            data=data,
            actor=make_user("talent-office", "320115-ZZB"),
            progress=lambda done, total: seen.append((done, total)),
        )
    assert result.ok
    assert result.created == 10
    assert seen[-1] == (20, 20)
    # The save phase (the second half) reports as it goes, not only a jump from 50 % to 100 %.
    assert [done for done, _total in seen if 10 < done < 20] == [13, 16, 19]


def test_the_progress_page_reads_the_save_phase(make_user):

    job = BackgroundJob.objects.create(
        kind="talent_import", owner=make_user(), status=JobStatus.RUNNING, progress=10, total=20
    )
    assert job.percent == 50
    job_progress_note(str(job.pk), 15, 20)  # from inside the import's transaction
    assert job.percent == 75
    job_progress_note(str(job.pk), 5, 20)  # an older note never moves the bar back
    assert job.percent == 50
    job.status = JobStatus.DONE
    assert job.percent == 100


def test_a_record_number_outside_the_importers_scope_is_refused(units, make_user):

    gxq = EnterpriseFactory.create(name="高新区公司", credit_code="91320115MA1Y2X3W52", in_gxq=True)
    other = Talent.objects.create(
        name="乙",
        gender="M",
        birth_date=date(1985, 3, 17),
        id_number="110105198503171234",
        phone="13800000000",
        highest_degree="doctor",
        category="young",
        employer=gxq,
    )
    book = load_workbook(io.BytesIO(importers()["talent_import"].template()))
    sheet = book.worksheets[0]
    with translation.override("zh-hans"):
        header = [c.value for c in sheet[1]]
    sheet.cell(row=2, column=header.index("记录编号（可选）") + 1, value=str(other.pk))
    sheet.cell(row=2, column=header.index("证件号码") + 1, value="1101**********1234")
    buffer = io.BytesIO()
    book.save(buffer)
    with translation.override("zh-hans"):
        result = importers()["talent_import"].run(
            data=buffer.getvalue(), actor=make_user("park-staff", "320115-P-KFQ")
        )
    assert {(e.row, e.column) for e in result.errors} >= {(2, "记录编号")}
    other.refresh_from_db()
    assert other.name == "乙"
    assert other.phone == "13800000000"
