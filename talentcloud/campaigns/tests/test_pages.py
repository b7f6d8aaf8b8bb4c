"""The office runs a campaign and a session through the pages and the API; a talent registers and applies in
the session (its channel recorded); the office reads stage durations and conversion by channel and exports."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from django.test import Client
from django.utils import timezone

from talentcloud.audit.models import AuditEvent
from talentcloud.campaigns.analytics import conversion_by_channel, stage_durations
from talentcloud.campaigns.models import ApplicationEvent, Campaign, FairSession, JobApplication
from talentcloud.campaigns.workflow import application_transition
from talentcloud.conftest import verify_session

from .test_scope import bearer, signed_in
from .world import apply

pytestmark = pytest.mark.django_db


def test_the_office_drafts_and_publishes_a_campaign_on_its_pages(cworld):
    office = signed_in(cworld.r.office)
    today = timezone.localdate()
    bad = office.post(
        "/campaigns/manage/new/",
        {
            "title": "海外英才",
            "target": "overseas",
            "starts_on": today,
            "ends_on": today - dt.timedelta(days=1),
        },
    )
    assert bad.status_code == 400
    assert "结束日期不能早于开始日期" in bad.content.decode()
    made = office.post(
        "/campaigns/manage/new/",
        {
            "title": "海外英才",
            "target": "overseas",
            "starts_on": today,
            "ends_on": today + dt.timedelta(days=30),
            "posts": [str(cworld.post_a.pk)],
        },
    )
    assert made.status_code == 302
    campaign = Campaign.objects.get(title="海外英才")
    assert Client().get(f"/campaigns/{campaign.pk}/").status_code == 404  # a draft is not public
    published = office.post(f"/campaigns/manage/{campaign.pk}/", {"action": "publish", "revision": "0"})
    assert published.status_code == 302
    campaign.refresh_from_db()
    assert campaign.state == "published"
    assert Client().get(f"/campaigns/{campaign.pk}/").status_code == 200
    again = office.post(f"/campaigns/manage/{campaign.pk}/", {"action": "publish", "revision": "1"})
    assert again.status_code == 400
    assert "不能“发布”" in again.content.decode()


def test_the_office_through_the_api_and_an_empty_campaign_is_not_published(cworld):
    api = bearer(cworld.r.office)
    today = timezone.localdate().isoformat()
    made = Client().post(
        "/api/v1/campaigns/manage/campaigns",
        {"title": "链上人才", "target": "chain", "starts_on": today, "ends_on": today},
        content_type="application/json",
        headers=api,
    )
    assert made.status_code == 422
    assert "chain" in made.json()["fields"]
    made = Client().post(
        "/api/v1/campaigns/manage/campaigns",
        {"title": "硕博空岗", "target": "graduates", "starts_on": today, "ends_on": today},
        content_type="application/json",
        headers=api,
    )
    assert made.status_code == 201
    refused = Client().post(
        f"/api/v1/campaigns/manage/campaigns/{made.json()['id']}/actions",
        {"action": "publish", "revision": 0},
        content_type="application/json",
        headers=api,
    )
    assert refused.status_code == 409
    assert "至少列入一个岗位" in refused.json()["message"]
    hr = Client().post(
        "/api/v1/campaigns/manage/campaigns",
        {"title": "x", "target": "graduates", "starts_on": today, "ends_on": today},
        content_type="application/json",
        headers=bearer(cworld.r.hr_a),
    )
    assert hr.status_code == 403


def test_a_talent_registers_and_applies_in_a_session(cworld):
    w = cworld
    now = timezone.now()
    session = FairSession.objects.create(
        title="江宁秋季双选会", starts_at=now - dt.timedelta(hours=1), ends_at=now + dt.timedelta(hours=3)
    )
    session.posts.add(w.post_a)
    talent = signed_in(w.talent)
    refused = talent.post(
        f"/campaigns/posts/{w.post_a.pk}/apply/",
        {"degree": "master", "consent": "on", "via": f"session:{session.pk}"},
    )
    assert refused.status_code == 400
    assert "请先报名该双选会" in refused.content.decode()
    assert talent.post(f"/campaigns/sessions/{session.pk}/register/").status_code == 302
    no_consent = talent.post(
        f"/campaigns/posts/{w.post_a.pk}/apply/", {"degree": "master", "via": f"session:{session.pk}"}
    )
    assert no_consent.status_code == 400
    assert "须经您同意" in no_consent.content.decode()
    done = talent.post(
        f"/campaigns/posts/{w.post_a.pk}/apply/",
        {"degree": "master", "consent": "on", "via": f"session:{session.pk}"},
    )
    assert done.status_code == 302
    application = JobApplication.objects.get(applicant=w.talent)
    assert (application.channel, application.session_id) == ("session", session.pk)
    assert AuditEvent.objects.filter(action="fair_session.register").count() == 1


def test_analytics_stage_durations_and_conversion_by_channel(cworld):
    w = cworld
    one = apply(w.talent, w.post_a, via=f"campaign:{w.campaign.pk}")
    two = apply(w.talent_2, w.post_a)
    when = timezone.now() + dt.timedelta(days=3)
    application_transition(actor=w.r.hr_a, application=one, action="invite", slots=[(when, "线上")])
    application_transition(actor=w.r.hr_a, application=two, action="reject", note="不匹配")
    # the steps as if they had happened over days
    start = timezone.now() - dt.timedelta(days=10)
    ApplicationEvent.objects.filter(application=one, to_state="applied").update(at=start)
    ApplicationEvent.objects.filter(application=one, to_state="invited").update(
        at=start + dt.timedelta(days=2)
    )
    ApplicationEvent.objects.filter(application=two, to_state="applied").update(at=start)
    ApplicationEvent.objects.filter(application=two, to_state="rejected").update(
        at=start + dt.timedelta(days=4)
    )
    stages = {s.stage: s for s in stage_durations(JobApplication.objects.all())}
    assert stages["applied"].count == 2
    assert str(stages["applied"].median_days) == "3.0"
    assert "invited" not in stages  # still under way
    channels = {f.kind: f for f in conversion_by_channel(JobApplication.objects.all())}
    assert (channels["campaign"].applied, channels["campaign"].invited) == (1, 1)
    assert channels["campaign"].ref_label == "2026 硕博招贤令"
    assert (channels["direct"].applied, channels["direct"].invited) == (1, 0)
    office = signed_in(w.r.office)
    page = office.get("/campaigns/manage/analytics/").content.decode()
    assert "2026 硕博招贤令" in page
    assert "100.0%" in page
    book = openpyxl.load_workbook(io.BytesIO(office.get("/campaigns/manage/pipelines.xlsx").content))
    assert book.active.max_row == 3
    assert AuditEvent.objects.filter(action="pipeline.export").count() == 1
    api = Client().get("/api/v1/campaigns/manage/analytics", headers=bearer(w.r.office)).json()
    assert {c["kind"] for c in api["channels"]} == {"campaign", "direct"}
    hr = Client()
    verify_session(hr, w.r.hr_a)
    assert hr.get("/campaigns/manage/analytics/").status_code == 403
