"""The demo seed brings campaigns: three 招贤令, a 双选会 open now, applications in every stage; the demo
talent and the demo HR account see theirs and can act on them."""

from __future__ import annotations

import pytest
from django.test import Client

from talentcloud.accounts.models import User
from talentcloud.campaigns import selectors
from talentcloud.campaigns.analytics import conversion_by_channel, stage_durations
from talentcloud.campaigns.models import Campaign, FairSession, JobApplication
from talentcloud.campaigns.workflow import application_actions, application_transition
from talentcloud.conftest import verify_session
from talentcloud.demo.seed import seed_all

pytestmark = pytest.mark.django_db


def test_the_seed_brings_campaigns_the_demo_logins_can_use():
    seed_all(talents=60, seed=7)
    assert sorted(Campaign.objects.values_list("state", flat=True)) == ["closed", "published", "published"]
    assert FairSession.objects.count() == 1
    states = set(JobApplication.objects.values_list("state", flat=True))
    assert {"applied", "invited", "interviewed", "offered", "accepted", "rejected"} <= states
    talent = User.objects.get(username="talent")
    mine = list(selectors.my_applications(viewer=talent))
    invited = next(a for a in mine if a.state == "invited")
    assert selectors.free_slots(invited).exists()
    offered = next(a for a in mine if a.state == "offered")
    assert {t.action for t in application_actions(talent, offered)} == {"accept", "decline"}
    hr = User.objects.get(username="hr")
    answerable = selectors.answerable(viewer=hr)
    assert answerable.exists()
    assert any(application_actions(hr, a) for a in answerable)
    client = Client()
    client.force_login(talent)
    assert invited.demand.post.name in client.get("/campaigns/mine/").content.decode()
    slot = selectors.free_slots(invited)[0]
    application_transition(actor=talent, application=invited, action="pick", slot=slot.pk)
    office = User.objects.get(username="office")
    applications = selectors.application_list(viewer=office)
    assert stage_durations(applications)
    assert {f.kind for f in conversion_by_channel(applications)} >= {"campaign", "session", "direct"}
    hr_client = Client()
    verify_session(hr_client, hr)
    assert hr_client.get("/campaigns/applicants/").status_code == 200
