"""The enterprise list as Excel: the import's headers, so an exported file imports back unchanged; the
template explains itself and offers its lists; a Chinese file name."""

from __future__ import annotations

import io
from urllib.parse import quote

import pytest
from openpyxl import load_workbook

from talentcloud.audit.models import AuditEvent
from talentcloud.enterprises.models import Enterprise
from talentcloud.enterprises.tests.test_enterprise_import import body, office, upload, workbook

pytestmark = pytest.mark.django_db
__all__ = ["office"]


def test_export_reimports_unchanged_and_an_edit_changes_only_its_field(
    office, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    job = upload(office, workbook(body(5)), capture)
    assert job.summary["created"] == 5
    response = office.get("/enterprises/export.xlsx")
    assert response.status_code == 200
    assert f"filename*=utf-8''{quote('企业')}-" in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.content))
    sheet = book.active
    assert [c.value for c in sheet[1]][:3] == ["企业名称", "统一社会信用代码", "街道"]
    job = upload(office, response.content, capture)
    assert job.summary == {"rows": 5, "created": 0, "updated": 0, "unchanged": 5}
    code = sheet.cell(row=2, column=2).value
    sheet.cell(row=2, column=7).value = "胜太路 1 号"
    buffer = io.BytesIO()
    book.save(buffer)
    job = upload(office, buffer.getvalue(), capture)
    assert job.summary == {"rows": 5, "created": 0, "updated": 1, "unchanged": 4}
    assert Enterprise.objects.get(credit_code=code).address == "胜太路 1 号"
    assert AuditEvent.objects.filter(action="enterprise.export").count() == 1


def test_export_is_scoped(office, make_user, login, django_capture_on_commit_callbacks):
    upload(office, workbook(body(3)), django_capture_on_commit_callbacks)
    other = login(make_user("park-staff", "320115-P-GXQ"))
    rows = list(load_workbook(io.BytesIO(other.get("/enterprises/export.xlsx").content)).active.values)
    assert len(rows) == 1  # the header: another park's enterprises are not in it


def test_template_lists_streets_and_its_example_imports(office, django_capture_on_commit_callbacks):
    response = office.get("/enterprises/import/template.xlsx")
    assert f"filename*=utf-8''{quote('企业导入模板')}.xlsx" in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.content))
    sheet = book.worksheets[0]
    assert sheet["B2"].number_format == "@"
    assert "秣陵街道" in [c.value for c in book["lists"]["C"]]
    assert {str(v.sqref).split(":")[0] for v in sheet.data_validations.dataValidation} >= {"C2", "D2", "E2"}
    assert "填写说明" in book.sheetnames
    job = upload(office, response.content, django_capture_on_commit_callbacks)
    assert job.status == "done", job.summary
    assert job.summary["created"] == 1
