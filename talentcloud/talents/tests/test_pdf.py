"""一人一档 as PDF: Chinese text renders (extracted back from the PDF), masked for staff, scoped, audited."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from pypdf import PdfReader

from talentcloud.audit.models import AuditEvent
from talentcloud.enterprises.tests.factories import EnterpriseFactory
from talentcloud.talents.models import Talent

pytestmark = pytest.mark.django_db
ID = "320115198503171233"


def text_of(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


@pytest.fixture
def talent(units):
    ent = EnterpriseFactory.create(name="南京紫峰软件有限公司", credit_code="91320115MA1X2Y3W4T")
    return Talent.objects.create(
        name="欧阳明月",
        gender="F",
        birth_date=dt.date(1985, 3, 17),
        highest_degree="doctor",
        category="top_expert",
        employer=ent,
        id_number=ID,
        phone="13812345678",
    )


def test_pdf_renders_chinese_and_masks_personal_numbers(talent, make_user, login):
    response = login(make_user("park-staff", "320115-P-KFQ")).get(f"/talents/{talent.pk}/archive.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = text_of(response.content)
    assert "欧阳明月" in text
    assert "南京紫峰软件有限公司" in text
    assert "3201**********1233" in text
    assert ID not in text
    assert "13812345678" not in text
    assert AuditEvent.objects.filter(action="talent.pdf", object_id=str(talent.pk)).exists()


def test_the_person_reads_their_own_numbers(talent, make_user, login):
    account = make_user("talent", None)
    talent.account = account
    talent.save()
    text = text_of(login(account).get(f"/talents/{talent.pk}/archive.pdf").content)
    assert ID in text


def test_pdf_keeps_scope(talent, make_user, login):
    assert (
        login(make_user("park-staff", "320115-P-GXQ")).get(f"/talents/{talent.pk}/archive.pdf").status_code
        == 404
    )
