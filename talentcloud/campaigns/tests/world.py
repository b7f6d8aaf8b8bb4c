"""A small campaigns world (built on the recruitment world): two enterprises in two parks with an open post
each, a published campaign listing both, two talents, the office."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from talentcloud.campaigns.models import Campaign, JobApplication
from talentcloud.campaigns.services import ApplyInput, CampaignInput, application_create, campaign_save
from talentcloud.campaigns.workflow import campaign_transition
from talentcloud.recruitment.models import Demand
from talentcloud.recruitment.tests.conftest import World, approved


@dataclass
class CampaignWorld:
    r: World
    campaign: Campaign
    post_a: Demand
    post_b: Demand
    talent: Any
    talent_2: Any


def build(rworld: World, make_user: Any) -> CampaignWorld:
    post_a = approved(rworld.hr_a, rworld.ent_a, rworld.posts["A1"], degree="master", title="芯片设计")
    post_b = approved(
        rworld.hr_b, rworld.ent_b, rworld.posts["B1"], degree="bachelor", title="乙园区秘密岗位"
    )
    today = timezone.localdate()
    campaign = campaign_save(
        actor=rworld.office,
        data=CampaignInput(
            title="2026 硕博招贤令",
            target="graduates",
            starts_on=today - dt.timedelta(days=5),
            ends_on=today + dt.timedelta(days=60),
            posts=[post_a, post_b],
        ),
    )
    campaign_transition(actor=rworld.office, campaign=campaign, action="publish")
    return CampaignWorld(
        r=rworld,
        campaign=campaign,
        post_a=post_a,
        post_b=post_b,
        talent=make_user("talent", None, username="talent-1", display_name="张三"),
        talent_2=make_user("talent", None, username="talent-2", display_name="李四"),
    )


def apply(talent: Any, demand: Demand, via: str = "", degree: str = "master") -> JobApplication:
    return application_create(
        actor=talent, demand=demand, data=ApplyInput(degree=degree, consent=True, via=via, statement="你好")
    )
