"""Case notices as PDFs: 受理通知书, 补正告知书, 不予受理决定书 and the 办结 result. The extracted text
holds the case number and the department in Chinese; a refusal's holds its reasons and the appeal rights
with their time limits. Whoever sees the case reads them (audited); nobody else does."""

from __future__ import annotations

import base64
import io
import re
import struct
import zlib
from typing import Any

import pytest
from pypdf import PdfReader

from talentcloud.audit.models import AuditEvent
from talentcloud.common.errors import NotFound
from talentcloud.servicehall import cases, notices
from talentcloud.servicehall.corrections import answers_save
from talentcloud.servicehall.workflow import case_transition

pytestmark = pytest.mark.django_db

RIGHTS = ("行政复议", "六十日", "行政诉讼", "六个月", "第四十六条")


def text_of(pdf: bytes) -> str:
    assert pdf.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(pdf))
    return re.sub(r"\s+", "", "".join(page.extract_text() for page in reader.pages))


@pytest.fixture
def rsj(make_user: Any) -> Any:
    return make_user("service-staff", "320115-RSJ")


def submitted(applicant: Any, catalogue: Any, key: str) -> Any:
    return cases.case_submit(
        actor=applicant,
        service=catalogue["supplementary-medical"],
        data={"insured_family": "1"},
        idempotency_key=key,
    )


def test_each_notice_is_a_pdf_with_the_number_and_the_department(catalogue, applicant, rsj):
    case = submitted(applicant, catalogue, "n1")
    case = case_transition(actor=rsj, case=case, action="return", items=["户口簿复印件", "参保证明"])
    answers_save(request=case.requests.get(), answers={"req1_1": "见附件", "req1_2": "已在窗口递交"})
    case = case_transition(actor=applicant, case=case, action="resubmit")
    case = case_transition(actor=rsj, case=case, action="accept")
    case = case_transition(actor=rsj, case=case, action="conclude", decision="approved", note="符合条件")
    department = case.department.name
    assert re.search(r"[\u4e00-\u9fff]", department)
    kinds = [n.kind for n in notices.available(case)]
    assert kinds == ["correction", "acceptance", "result"]

    texts = {kind: text_of(notices.notice_pdf(viewer=applicant, case=case, kind=kind)) for kind in kinds}
    for kind, text in texts.items():
        assert str(case.number) in text, kind
        assert department in text, kind
    assert "受理通知书" in texts["acceptance"]
    assert "补正材料告知书" in texts["correction"]
    assert "户口簿复印件" in texts["correction"]
    assert "参保证明" in texts["correction"]
    assert "第三十二条" in texts["correction"]
    assert "准予许可决定书" in texts["result"]
    assert "行政复议" not in texts["result"]  # a grant states no appeal
    # Each read is an audit event, for staff of the department as for the applicant.
    notices.notice_pdf(viewer=rsj, case=case, kind="acceptance")
    reads = AuditEvent.objects.filter(action="case.notice_read", object_id=str(case.pk))
    assert reads.count() == 4


def test_a_refusal_states_its_reasons_and_the_appeal_rights(catalogue, applicant, rsj):
    refused = submitted(applicant, catalogue, "n2")
    refused = case_transition(actor=rsj, case=refused, action="refuse", note="申请人不属于本事项服务对象")
    assert [n.kind for n in notices.available(refused)] == ["refusal"]
    text = text_of(notices.notice_pdf(viewer=applicant, case=refused, kind="refusal"))
    assert "不予受理决定书" in text
    assert str(refused.number) in text
    assert refused.department.name in text
    assert "申请人不属于本事项服务对象" in text
    assert "第三十二条" in text
    for phrase in RIGHTS:
        assert phrase in text, phrase

    denied = submitted(applicant, catalogue, "n3")
    denied = case_transition(actor=rsj, case=denied, action="accept")
    denied = case_transition(
        actor=rsj, case=denied, action="conclude", decision="denied", note="参保人数超出上限"
    )
    text = text_of(notices.notice_pdf(viewer=applicant, case=denied, kind="result"))
    assert "不予许可决定书" in text
    assert "第三十八条" in text
    assert "参保人数超出上限" in text
    assert str(denied.number) in text
    assert denied.department.name in text
    for phrase in RIGHTS:
        assert phrase in text, phrase


def red_png() -> bytes:
    """A 2×2 red PNG, written by hand."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + b"\xd0\x02\x1b" * 2 for _ in range(2))
    header = struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def test_the_seal_is_a_setting(catalogue, applicant, rsj, settings, tmp_path):
    drawn = notices.seal_data_uri("江宁区人力资源和社会保障局")
    assert drawn.startswith("data:image/svg+xml;base64,")
    svg = base64.b64decode(drawn.split(",", 1)[1]).decode()
    assert "<text" in svg
    assert "江宁区人力资源" in svg  # a long name in two lines
    assert "和社会保障局" in svg
    png = tmp_path / "seal.png"
    png.write_bytes(red_png())
    settings.TALENTCLOUD_SEAL_IMAGE = str(png)
    assert notices.seal_data_uri("人社局") == "data:image/png;base64," + base64.b64encode(red_png()).decode()
    case = case_transition(actor=rsj, case=submitted(applicant, catalogue, "n5"), action="accept")
    assert str(case.number) in text_of(notices.notice_pdf(viewer=applicant, case=case, kind="acceptance"))
    settings.TALENTCLOUD_SEAL_IMAGE = str(tmp_path / "missing.png")  # a wrong path: the drawn seal
    assert notices.seal_data_uri("人社局").startswith("data:image/svg+xml;base64,")


def test_notices_through_the_page_door(catalogue, applicant, make_applicant, rsj, make_user, login):
    case = submitted(applicant, catalogue, "n4")
    talent = login(applicant)
    assert talent.get(f"/hall/cases/{case.pk}/notices/acceptance.pdf").status_code == 404  # not yet
    case = case_transition(actor=rsj, case=case, action="accept")
    page = talent.get(f"/hall/cases/{case.pk}/").content.decode()
    assert f'href="/hall/cases/{case.pk}/notices/acceptance.pdf"' in page
    response = talent.get(f"/hall/cases/{case.pk}/notices/acceptance.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert str(case.number) in text_of(response.content)
    assert login(rsj).get(f"/hall/cases/{case.pk}/notices/acceptance.pdf").status_code == 200
    # Someone who does not see the case: not found, and no read recorded for them.
    other = make_applicant(name="吴他人")
    outsider = make_user("service-staff", "320115-ZJJ")
    for user in (other, outsider):
        assert login(user).get(f"/hall/cases/{case.pk}/notices/acceptance.pdf").status_code == 404
    assert login(applicant).get(f"/hall/cases/{case.pk}/notices/nonsense.pdf").status_code == 404
    actors = set(
        AuditEvent.objects.filter(action="case.notice_read", object_id=str(case.pk)).values_list(
            "actor_id", flat=True
        )
    )
    assert actors == {applicant.pk, rsj.pk}
    with pytest.raises(NotFound):
        notices.notice_pdf(viewer=applicant, case=case, kind="refusal")
