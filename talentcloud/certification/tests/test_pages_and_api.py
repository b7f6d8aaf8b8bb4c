"""The certification's pages and API (#21): the talent sees their own certification (basis, validity); staff
see a talent's history, expiring certifications and the export within their data scope; only the office
certifies, through the same service, and bad input is named at the field."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from talentcloud.audit.models import AuditEvent
from talentcloud.certification.enums import Basis
from talentcloud.certification.services import Decision, certify
from talentcloud.enterprises.tests.factories import EnterpriseFactory
from talentcloud.talents.models import Talent

pytestmark = pytest.mark.django_db


def person(name: str, employer, account=None) -> Talent:
    return Talent.objects.create(
        name=name,
        gender="F",
        birth_date=dt.date(1987, 3, 1),
        highest_degree="doctor",
        category="high_level",
        employer=employer,
        account=account,
    )


@pytest.fixture
def world(make_user, kfq_firm):
    office = make_user("talent-office", "320115-ZZB")
    account = make_user("talent", None)
    mine = person("冯甲园", kfq_firm, account)
    other = person("陈乙园", EnterpriseFactory.create(in_gxq=True))
    soon = timezone.localdate() + dt.timedelta(days=20)
    for talent in (mine, other):
        certify(
            actor=office,
            talent=talent,
            decision=Decision(
                grade="C", tier="", basis=Basis.PROGRAMME, effective_to=soon, document_number="宁文1号"
            ),
        )
    return office, account, mine, other


def test_the_talent_sees_their_certification_basis_and_validity(world, login):
    _office, account, _mine, other = world
    client = login(account)
    page = client.get("/certification/me/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "宁文1号" in body
    assert str(timezone.localdate() + dt.timedelta(days=20)) in body
    own = client.get("/api/v1/certification/me").json()
    assert own["grade"] == "C"
    assert own["history"][0]["basis"] == "programme"
    assert "reason" not in own["history"][0]
    assert client.get(f"/api/v1/certification/talents/{other.pk}").status_code in (403, 404)


def test_park_staff_see_their_talents_only_and_may_not_certify(world, login, make_user):
    _office, _account, mine, other = world
    client = login(make_user("park-staff", "320115-P-KFQ"))
    assert client.get(f"/certification/talents/{mine.pk}/").status_code == 200
    assert client.get(f"/certification/talents/{other.pk}/").status_code == 404
    assert client.get(f"/api/v1/certification/talents/{other.pk}").status_code == 404
    expiring = client.get("/certification/expiring/").content.decode()
    assert mine.name in expiring
    assert other.name not in expiring
    assert [row["talent_id"] for row in client.get("/api/v1/certification/expiring").json()["items"]] == [
        str(mine.pk)
    ]
    refused = client.post(
        f"/api/v1/certification/talents/{mine.pk}", {"grade": "A"}, content_type="application/json"
    )
    assert refused.status_code == 403
    assert (
        client.post(f"/certification/talents/{mine.pk}/", {"grade": "A", "basis": "decision"}).status_code
        == 403
    )
    mine.refresh_from_db()
    assert mine.grade == "C"

    workbook = load_workbook(io.BytesIO(client.get("/certification/export.xlsx").content))
    names = [row[0] for row in workbook.active.iter_rows(min_row=2, values_only=True)]
    assert names == [mine.name]
    assert AuditEvent.objects.filter(action="certification.export").exists()


def test_the_office_certifies_on_the_page_and_through_the_api_with_errors_at_the_field(world, login):
    office, _account, mine, _other = world
    client = login(office)
    page = client.post(f"/certification/talents/{mine.pk}/", {"grade": "D", "tier": "", "basis": "decision"})
    assert page.status_code == 400
    assert "Say why" in page.content.decode() or "说明" in page.content.decode()
    mine.refresh_from_db()
    assert mine.grade == "C"

    done = client.post(
        f"/certification/talents/{mine.pk}/",
        {"grade": "B", "tier": "pioneer", "basis": "programme", "document_number": "宁委人才〔2026〕5号"},
    )
    assert done.status_code == 302
    mine.refresh_from_db()
    assert (mine.grade, mine.tier) == ("B", "pioneer")

    bad = client.post(
        f"/api/v1/certification/talents/{mine.pk}", {"grade": "Z"}, content_type="application/json"
    )
    assert bad.status_code == 422
    assert "grade" in bad.json()["fields"]
    made = client.post(
        f"/api/v1/certification/talents/{mine.pk}",
        {"grade": "A", "basis": "decision", "reason": "院士"},
        content_type="application/json",
    )
    assert made.status_code == 201, made.content
    assert made.json()["grade"] == "A"
    mine.refresh_from_db()
    assert mine.grade == "A"
    history = client.get(f"/api/v1/certification/talents/{mine.pk}").json()["history"]
    assert [row["grade"] for row in history][:2] == ["A", "B"]


def test_the_archive_page_links_each_certification_on_the_timeline(world, login, make_user):
    office, _account, mine, _other = world
    client = login(office)
    page = client.get(f"/talents/{mine.pk}/").content.decode()
    assert f'href="/certification/talents/{mine.pk}/"' in page
    assert "宁文1号" in page
    # A liaison cadre reads the same line without a link: the certification page would refuse them.
    liaison = make_user("liaison-cadre", "320115-ZZB")
    type(mine).objects.filter(pk=mine.pk).update(liaison=liaison)  # the cadre's own talent
    cadre = login(liaison)
    seen = cadre.get(f"/talents/{mine.pk}/").content.decode()
    assert "宁文1号" in seen
    assert "/certification/talents/" not in seen
    assert cadre.get(f"/certification/talents/{mine.pk}/").status_code == 403
    pdf = client.get(f"/talents/{mine.pk}/archive.pdf")
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
