"""An enterprise sees and answers only its own posts' applicants: pages, API, export; a talent only their own;
the office everyone's; park staff nobody's (they hold no campaigns permission)."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.test import Client

from talentcloud.accounts.services import token_create
from talentcloud.campaigns.models import JobApplication
from talentcloud.conftest import verify_session
from talentcloud.talents.services import talent_data_copy
from talentcloud.talents.tests.factories import TalentFactory

from .world import apply

pytestmark = pytest.mark.django_db


def bearer(user):
    _token, clear = token_create(actor=user, name="t", console=True)
    return {"Authorization": f"Bearer {clear}"}


def signed_in(user):
    client = Client()
    verify_session(client, user)
    return client


def test_an_enterprise_never_sees_anothers_applicants(cworld):
    w = cworld
    mine = apply(w.talent, w.post_a)
    theirs = apply(w.talent_2, w.post_b)
    hr_a = signed_in(w.r.hr_a)
    listing = hr_a.get("/campaigns/applicants/").content.decode()
    assert "张三" in listing
    assert "李四" not in listing
    assert hr_a.get(f"/campaigns/applications/{theirs.pk}/").status_code == 404
    assert hr_a.post(f"/campaigns/applications/{theirs.pk}/", {"action": "invite"}).status_code == 404
    assert hr_a.get(f"/campaigns/applications/{mine.pk}/").status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(hr_a.get("/campaigns/applicants/export.xlsx").content))
    cells = {str(c.value) for row in book.active.iter_rows() for c in row}
    assert "张三" in cells
    assert "李四" not in cells
    api = bearer(w.r.hr_a)
    rows = Client().get("/api/v1/campaigns/applications", headers=api).json()["items"]
    assert [r["id"] for r in rows] == [str(mine.pk)]
    assert Client().get(f"/api/v1/campaigns/applications/{theirs.pk}", headers=api).status_code == 404
    moved = Client().post(
        f"/api/v1/campaigns/applications/{theirs.pk}/actions",
        {"action": "reject", "revision": 0, "note": "x"},
        content_type="application/json",
        headers=api,
    )
    assert moved.status_code == 404
    theirs.refresh_from_db()
    assert theirs.state == "applied"


def test_talents_see_their_own_and_the_office_everyone(cworld):
    w = cworld
    mine = apply(w.talent, w.post_a)
    theirs = apply(w.talent_2, w.post_b)
    talent = signed_in(w.talent)
    assert talent.get(f"/campaigns/applications/{theirs.pk}/").status_code == 404
    page = talent.get("/campaigns/mine/").content.decode()
    assert "芯片设计工程师" in page
    assert "算法科学家" not in page
    office_rows = Client().get("/api/v1/campaigns/applications", headers=bearer(w.r.office)).json()["items"]
    assert {r["id"] for r in office_rows} == {str(mine.pk), str(theirs.pk)}
    park = signed_in(w.r.park_a)
    assert park.get(f"/campaigns/applications/{mine.pk}/").status_code == 404
    assert park.get("/campaigns/manage/pipelines.xlsx").status_code == 403
    assert Client().get("/api/v1/campaigns/applications", headers=bearer(w.r.park_a)).json()["items"] == []
    assert JobApplication.objects.count() == 2


def test_the_data_copy_holds_the_talents_applications(cworld):
    talent = TalentFactory.create(account=cworld.talent)
    apply(cworld.talent, cworld.post_a)
    copy = talent_data_copy(actor=cworld.r.office, talent=talent)
    (row,) = copy["job_applications"]
    assert row["post"] == "芯片设计工程师"
    assert [s["stage"] for s in row["steps"]] == ["applied"]
