"""The other doors: a talent's opt-in profile, the office's taxonomy imports, the demand export in scope."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook, load_workbook

from talentcloud.audit.models import AuditEvent
from talentcloud.recruitment.importing import PostImporter
from talentcloud.recruitment.models import JobSeekerProfile, Post
from talentcloud.recruitment.selectors import supply_by_post
from talentcloud.talents.services import talent_data_copy
from talentcloud.talents.tests.factories import TalentFactory

from .conftest import approved

pytestmark = pytest.mark.django_db


def test_a_talent_opts_in_and_only_then_counts_as_supply(rworld, make_user, login):
    talent = make_user("talent", None)
    client = login(talent)
    post = rworld.posts["A1"]
    assert client.get("/recruitment/me/").status_code == 200
    bad = client.post("/recruitment/me/", {"post": "", "degree": "master", "experience_years": 2})
    assert bad.status_code == 400
    assert not JobSeekerProfile.objects.exists()
    client.post("/recruitment/me/", {"post": post.pk, "degree": "master", "experience_years": 2})
    assert supply_by_post(2026, ["A1"]).get("A1", 0) == 0  # saved, but not opted in
    client.post(
        "/recruitment/me/", {"post": post.pk, "degree": "master", "experience_years": 2, "open": "on"}
    )
    assert supply_by_post(2026, ["A1"])["A1"] == 1
    assert AuditEvent.objects.filter(action="job_seeker.save", actor_id=talent.pk).count() == 2
    assert login(rworld.hr_a).get("/recruitment/me/").status_code == 403  # a talent's own page


def test_the_office_imports_posts_and_others_may_not(rworld, login):
    book = Workbook()
    sheet = book.active
    sheet.append([str(c.header) for c in PostImporter.columns])
    sheet.append(["2-02-09-09", "测试岗位", "专业技术人员", "080901、080902"])
    sheet.append(["2-02-09-10", "另一岗位", "", "999999"])
    buffer = io.BytesIO()
    book.save(buffer)
    result = PostImporter().run(data=buffer.getvalue(), actor=rworld.office)
    assert [(e.row, e.column) for e in result.errors] == [(3, str(PostImporter().column("majors").header))]
    assert not Post.objects.filter(code__startswith="2-02-09-").exists()
    assert login(rworld.office).get("/recruitment/taxonomy/?kind=post_import").status_code == 200
    assert login(rworld.office).get("/recruitment/taxonomy/post_import/template.xlsx").status_code == 200
    assert login(rworld.park_a).get("/recruitment/taxonomy/").status_code == 403


def test_the_demand_export_keeps_to_scope(rworld, login):
    w = rworld
    approved(w.hr_a, w.ent_a, w.posts["A1"])
    approved(w.hr_b, w.ent_b, w.posts["C1"])
    response = login(w.park_a).get("/recruitment/demand/export.xlsx")
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert [r[0] for r in rows[1:]] == [w.ent_a.name]
    assert AuditEvent.objects.filter(action="demand.export", actor_id=w.park_a.pk).exists()


def test_the_data_copy_holds_the_job_seeker_profile(rworld, make_user, login):
    account = make_user("talent", None)
    talent = TalentFactory.create(account=account)
    login(account).post(
        "/recruitment/me/",
        {"post": rworld.posts["B1"].pk, "degree": "doctor", "experience_years": 4, "open": "on"},
    )
    copy = talent_data_copy(actor=rworld.office, talent=talent)
    assert copy["job_seeker_profile"] == [
        {
            "post_sought": str(rworld.posts["B1"]),
            "degree": copy["job_seeker_profile"][0]["degree"],
            "major": None,
            "experience_years": 4,
            "counted_as_supply": True,
            "updated_at": JobSeekerProfile.objects.get().updated_at.isoformat(),
        }
    ]
