"""A sweep's results as Excel: the page's counts per policy, a Chinese file name, audited, office only."""

from __future__ import annotations

import io
from urllib.parse import quote

import pytest
from openpyxl import load_workbook

from talentcloud.audit.models import AuditEvent
from talentcloud.policies.models import SweepRun
from talentcloud.policies.tests.test_sweep import population

pytestmark = pytest.mark.django_db


def test_sweep_results_download(kfq_firm, make_user, login, django_capture_on_commit_callbacks):
    population(kfq_firm, make_user)
    office = login(make_user("talent-office"))
    with django_capture_on_commit_callbacks(execute=True):
        office.post("/policies/manage/sweeps/")
    run = SweepRun.objects.get()
    page = office.get(f"/policies/manage/sweeps/{run.pk}/").content.decode()
    assert f"/policies/manage/sweeps/{run.pk}/export.xlsx" in page
    response = office.get(f"/policies/manage/sweeps/{run.pk}/export.xlsx")
    assert response.status_code == 200
    assert f"filename*=utf-8''{quote('政策匹配结果')}-" in response["Content-Disposition"]
    rows = list(load_workbook(io.BytesIO(response.content)).active.values)
    assert rows[0][:3] == ("政策编号", "政策", "已享受") or rows[0][0] == "政策编号"
    titles = {r[1] for r in rows[1:]}
    assert "人才购房补贴" in " ".join(titles)
    assert AuditEvent.objects.filter(action="policy.sweep_export").count() == 1
    other = login(make_user("park-staff", "320115-P-GXQ"))
    assert other.get(f"/policies/manage/sweeps/{run.pk}/export.xlsx").status_code == 403
    assert office.get("/policies/manage/sweeps/999999/export.xlsx").status_code == 404
