"""Export: scoped, masked unless unmasked with permission and re-authentication, formula-safe, audited."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from talentcloud.audit.models import AuditEvent
from talentcloud.common.models import BackgroundJob
from talentcloud.conftest import PASSWORD
from talentcloud.enterprises.tests.factories import EnterpriseFactory
from talentcloud.talents.models import Talent

pytestmark = pytest.mark.django_db
ID = "32011519850317123X"


@pytest.fixture
def data(units):
    kfq = EnterpriseFactory.create(name='=HYPERLINK("http://evil")', credit_code="91320115MA1X2Y3W4T")
    gxq = EnterpriseFactory.create(name="高新区公司", credit_code="91320115MA1AAAAA01", in_gxq=True)
    common = {
        "gender": "M",
        "birth_date": dt.date(1985, 3, 17),
        "highest_degree": "doctor",
        "category": "young",
    }
    Talent.objects.create(name="=1+1", employer=kfq, id_number=ID, phone="13812345678", **common)
    Talent.objects.create(name="乙园区人才", employer=gxq, id_number="110105198503171234", **common)


def run_export(client, capture, **form):
    with capture(execute=True):
        response = client.post("/talents/export/", form)
    if response["Location"].startswith("/accounts/reauth/"):
        return response, None
    job = BackgroundJob.objects.filter(kind="talent_export").order_by("-created_at").first()
    assert job is not None
    job.refresh_from_db()
    download = client.get(f"/jobs/{job.pk}/result/")
    rows = list(load_workbook(io.BytesIO(download.content)).active.iter_rows(values_only=True))
    return response, rows


def test_park_export_is_scoped_masked_and_formula_safe(
    data, make_user, login, django_capture_on_commit_callbacks
):
    client = login(make_user("park-staff", "320115-P-KFQ"))
    _response, rows = run_export(client, django_capture_on_commit_callbacks)
    assert len(rows) == 2  # header + the park's one talent
    row = rows[1]
    assert row[1] == "'=1+1"
    assert row[4] == "3201**********123X"
    assert row[5] == "138****5678"
    assert row[12].startswith("'=HYPERLINK")
    assert "乙园区人才" not in str(rows)
    # Asking for full numbers without the permission is refused.
    with django_capture_on_commit_callbacks(execute=True):
        denied = client.post("/talents/export/", {"unmasked": "1"})
    assert denied.status_code in (302, 403)
    if denied.status_code == 302:  # sent to re-authenticate first; after it, still refused
        client.post("/accounts/reauth/", {"password": PASSWORD})
        assert client.post("/talents/export/", {"unmasked": "1"}).status_code == 403
    event = AuditEvent.objects.filter(action="talent.export").first()
    assert event is not None
    assert event.details["unmasked"] is False


def test_unmasked_export_needs_reauthentication(data, make_user, login, django_capture_on_commit_callbacks):
    client = login(make_user("talent-office", "320115-ZZB"))
    response, rows = run_export(client, django_capture_on_commit_callbacks, unmasked="1", q="=1")
    assert rows is None
    assert response["Location"].startswith("/accounts/reauth/?next=")
    assert client.post(response["Location"], {"password": PASSWORD}).status_code == 302
    _response, rows = run_export(client, django_capture_on_commit_callbacks, unmasked="1", q="=1")
    assert rows[1][4] == ID
    assert AuditEvent.objects.filter(action="talent.export", details__unmasked=True).count() == 1
