"""Demo 招贤令 campaigns (#26): three campaigns (graduates, overseas, a chain; two running, one closed),
a 双选会 session open now, and applications in every stage — the demo talent has one invited (times to
pick) and one offered (to answer); the demo HR account's enterprise has applicants to answer."""

from __future__ import annotations

import random
from datetime import timedelta
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from talentcloud.accounts.models import Role, User
from talentcloud.campaigns.models import (
    ApplicationEvent,
    Campaign,
    CampaignEvent,
    FairSession,
    InterviewSlot,
    JobApplication,
    SessionRegistration,
)
from talentcloud.enterprises.models import EnterpriseMember
from talentcloud.recruitment.enums import DemandState, SalaryKind
from talentcloud.recruitment.models import Demand, Post

PATHS = [  # the states an application walks through, and where it stops
    ["applied"],
    ["applied", "invited"],
    ["applied", "invited", "scheduled"],
    ["applied", "invited", "scheduled", "interviewed"],
    ["applied", "invited", "scheduled", "interviewed", "offered"],
    ["applied", "invited", "scheduled", "interviewed", "offered", "accepted"],
    ["applied", "invited", "scheduled", "interviewed", "offered", "accepted"],
    ["applied", "invited", "scheduled", "interviewed", "offered", "declined"],
    ["applied", "rejected"],
    ["applied", "invited", "scheduled", "interviewed", "rejected"],
]
ACTIONS = {
    "invited": "invite",
    "scheduled": "pick",
    "interviewed": "interviewed",
    "offered": "offer",
    "accepted": "accept",
    "declined": "decline",
    "rejected": "reject",
}
NAMES = "赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许何吕施张"


def _walk(rng: random.Random, application: JobApplication, path: list[str], start: Any, actor: Any) -> None:
    """The application's steps as if taken over the past weeks (seed data: written directly)."""
    at = start
    previous = ""
    events = []
    for state in path:
        events.append(
            ApplicationEvent(
                application=application,
                actor=actor if state != "applied" else application.applicant,
                action=ACTIONS.get(state, "apply"),
                from_state=previous,
                to_state=state,
                note="专业方向不完全匹配" if state == "rejected" else "",
            )
        )
        previous = state
    ApplicationEvent.objects.bulk_create(events)
    for event in events:
        ApplicationEvent.objects.filter(pk=event.pk).update(at=at)
        at += timedelta(days=rng.randrange(1, 6), hours=rng.randrange(0, 12))
    JobApplication.objects.filter(pk=application.pk).update(
        state=path[-1],
        revision=len(path) - 1,
        reason="专业方向不完全匹配" if path[-1] == "rejected" else "",
    )


def _campaign(office: User, title: str, target: str, posts: list[Demand], start: Any, end: Any, state: str):
    campaign = Campaign.objects.create(
        title=title,
        target=target,
        intro="江宁区面向海内外人才发布招贤令，入职即可享受区级人才政策。",
        starts_on=start,
        ends_on=end,
        state=state,
        revision={"draft": 0, "published": 1, "closed": 2}[state],
        created_by=office,
    )
    campaign.posts.set(posts)
    if state != "draft":
        CampaignEvent.objects.create(
            campaign=campaign, actor=office, action="publish", from_state="draft", to_state="published"
        )
    if state == "closed":
        CampaignEvent.objects.create(
            campaign=campaign, actor=office, action="close", from_state="published", to_state="closed"
        )
    return campaign


def _own_posts() -> list[tuple[Post, str]]:
    posts = list(Post.objects.filter(active=True).order_by("code")[:2])
    return [(post, degree) for post, degree in zip(posts, ("master", "bachelor"), strict=False)]


def _open_demand(enterprise: Any, post: Post, degree: str, today: Any) -> Demand:
    return Demand.objects.create(
        enterprise=enterprise,
        post=post,
        title=post.name,
        headcount=3,
        degree=degree,
        salary_kind=SalaryKind.MONTHLY,
        salary_min=15000,
        salary_max=25000,
        annual_min=180000,
        annual_max=300000,
        chain_id=enterprise.chain_id,
        location="江宁开发区",
        deadline=today + timedelta(days=120),
        year=today.year,
        state=DemandState.OPEN,
    )


def seed_campaigns(*, seed: int) -> int:
    """Returns the applications made (none when campaigns exist already)."""
    rng = random.Random(seed + 26)
    office = User.objects.filter(username="office").first()
    if office is None or Campaign.objects.exists():
        return 0
    today = timezone.localdate()
    now = timezone.now()
    open_posts = list(
        Demand.objects.filter(state=DemandState.OPEN, deadline__gte=today)
        .select_related("enterprise")
        .order_by("created_at", "id")[:400]
    )
    if not open_posts:
        return 0
    hr = User.objects.filter(username="hr").first()
    membership = EnterpriseMember.objects.filter(user=hr).first() if hr else None
    own = [d for d in open_posts if membership and d.enterprise_id == membership.enterprise_id]
    if membership is not None and not own:  # the demo HR account's enterprise recruits too
        own = [_open_demand(membership.enterprise, post, degree, today) for post, degree in _own_posts()]
    others = [d for d in open_posts if d not in own]
    rng.shuffle(others)
    graduates = own + others[:10]
    overseas = [d for d in others[10:40] if d.degree in ("master", "doctor")][:8]
    chain_id = next((d.enterprise.chain_id for d in others if d.enterprise.chain_id), None)
    chain_posts = [d for d in others if d.enterprise.chain_id == chain_id][:8] or others[40:48]
    with transaction.atomic():
        first = _campaign(
            office,
            f"{today.year} 江宁硕博英才招贤令",
            "graduates",
            graduates,
            today - timedelta(days=30),
            today + timedelta(days=90),
            "published",
        )
        second = _campaign(
            office,
            "海外高层次人才江宁行",
            "overseas",
            overseas,
            today - timedelta(days=10),
            today + timedelta(days=120),
            "published",
        )
        third = _campaign(
            office,
            "产业链人才专项招聘（上半年）",
            "chain",
            chain_posts,
            today - timedelta(days=200),
            today - timedelta(days=20),
            "closed",
        )
        if chain_id is not None:
            Campaign.objects.filter(pk=third.pk).update(chain_id=chain_id)
        session = FairSession.objects.create(
            title="江宁大学城线上双选会",
            campaign=first,
            starts_at=now - timedelta(hours=2),
            ends_at=now + timedelta(days=7),
            created_by=office,
        )
        session.posts.set(graduates[:8])
        talent_role = Role.objects.get(code="talent")
        applicants = []
        for i in range(24):
            user = User.objects.create(
                username=f"applicant-{i + 1:02d}",
                display_name=f"{NAMES[i % len(NAMES)]}{'明华丽强静伟芳军'[i % 8]}",
                password=make_password(None),
                is_demo=False,  # seeded applicants, not demo logins: no password printed
            )
            user.roles.add(talent_role)
            applicants.append(user)
        made = 0
        channels = [("campaign", first), ("campaign", second), ("session", session), ("direct", None)]
        for i, user in enumerate(applicants):
            kind, owner = channels[i % len(channels)]
            pool = {
                "campaign": (first.posts.all() if owner is first else overseas),
                "session": graduates[:8],
            }.get(kind, graduates)
            pool = list(pool)
            if own and i % 3 == 0:
                demand = own[i % len(own)]
            elif pool:
                demand = pool[i % len(pool)]
            else:  # a small seed (the backup drill's) has no open post of this kind
                continue
            if JobApplication.objects.filter(demand=demand, applicant=user).exists():
                continue
            if kind == "session":
                SessionRegistration.objects.get_or_create(session=session, account=user)
            application = JobApplication.objects.create(
                demand=demand,
                applicant=user,
                degree=demand.degree if demand.degree != "junior_college" else "bachelor",
                statement="期待加入贵单位。",
                consent_at=now,
                channel=kind,
                channel_ref=str(owner.pk) if owner is not None else "",
                campaign=owner if kind == "campaign" else None,
                session=owner if kind == "session" else None,
            )
            _walk(rng, application, PATHS[i % len(PATHS)], now - timedelta(days=rng.randrange(20, 45)), hr)
            made += 1
        talent = User.objects.filter(username="talent").first()
        if talent is not None and own:
            invited = JobApplication.objects.create(
                demand=own[0],
                applicant=talent,
                degree="master",
                statement="期待面试机会。",
                consent_at=now,
                channel="campaign",
                channel_ref=str(first.pk),
                campaign=first,
            )
            _walk(rng, invited, ["applied", "invited"], now - timedelta(days=4), hr)
            for day, hour in ((3, 10), (3, 14), (4, 10)):
                InterviewSlot.objects.get_or_create(
                    demand=own[0],
                    starts_at=(now + timedelta(days=day)).replace(
                        hour=hour, minute=0, second=0, microsecond=0
                    ),
                    place="江宁开发区 人才大厦 5 楼",
                )
            offered_post = next((d for d in graduates if d.pk != own[0].pk), None)
            if offered_post is not None:
                offered = JobApplication.objects.create(
                    demand=offered_post,
                    applicant=talent,
                    degree="master",
                    consent_at=now,
                    channel="direct",
                )
                _walk(
                    rng,
                    offered,
                    ["applied", "invited", "scheduled", "interviewed", "offered"],
                    now - timedelta(days=20),
                    hr,
                )
                made += 2
    return made
