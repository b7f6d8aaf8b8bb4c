"""A small recruitment world: posts, majors, skills, two enterprises in two parks with their HR accounts,
park staff of each, and the office."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone

from talentcloud.enterprises.models import Enterprise, EnterpriseMember
from talentcloud.enterprises.tests.factories import EnterpriseFactory
from talentcloud.recruitment.enums import DemandState
from talentcloud.recruitment.models import Demand, Major, Post, Skill
from talentcloud.recruitment.services import DemandInput, demand_create


@dataclass
class World:
    office: Any
    park_a: Any
    park_b: Any
    hr_a: Any
    hr_b: Any
    ent_a: Enterprise
    ent_b: Enterprise
    posts: dict[str, Post]
    majors: list[Major]
    skills: list[Skill]


@pytest.fixture
def rworld(make_user, kfq_firm) -> World:
    majors = [Major.objects.create(code=f"08090{i}", name=f"专业{i}") for i in range(1, 8)]
    skills = [
        Skill.objects.create(term=t)
        for t in ("集成电路设计", "Verilog", "Python", "嵌入式", "射频", "版图", "测试")
    ]
    posts = {
        code: Post.objects.create(code=code, name=name)
        for code, name in (("A1", "芯片设计工程师"), ("B1", "算法科学家"), ("C1", "产线技术员"))
    }
    ent_b = EnterpriseFactory.create(in_gxq=True, name="乙园区秘密企业")
    hr_a = make_user("enterprise-hr", None, username="hr-a")
    hr_b = make_user("enterprise-hr", None, username="hr-b")
    EnterpriseMember.objects.create(enterprise=kfq_firm, user=hr_a, is_admin=True)
    EnterpriseMember.objects.create(enterprise=ent_b, user=hr_b, is_admin=True)
    return World(
        office=make_user("talent-office", "320115-ZZB", username="office"),
        park_a=make_user("park-staff", "320115-P-KFQ", username="park-a"),
        park_b=make_user("park-staff", "320115-P-GXQ", username="park-b"),
        hr_a=hr_a,
        hr_b=hr_b,
        ent_a=kfq_firm,
        ent_b=ent_b,
        posts=posts,
        majors=majors,
        skills=skills,
    )


def demand_input(post: Post, **kw: Any) -> DemandInput:
    values: dict[str, Any] = {
        "post": post,
        "headcount": 2,
        "degree": "master",
        "salary_kind": "monthly",
        "salary_min": 20000,
        "salary_max": 30000,
        "deadline": timezone.localdate() + dt.timedelta(days=60),
    }
    values.update(kw)
    return DemandInput(**values)


def approved(actor: Any, enterprise: Enterprise, post: Post, *, year: int | None = None, **kw: Any) -> Demand:
    """A demand posted and approved (straight to open: the review is tested elsewhere)."""
    demand = demand_create(actor=actor, enterprise=enterprise, data=demand_input(post, **kw))
    fields: dict[str, Any] = {"state": DemandState.OPEN}
    if year is not None:
        fields["year"] = year
    Demand.objects.filter(pk=demand.pk).update(**fields)
    demand.refresh_from_db()
    return demand
