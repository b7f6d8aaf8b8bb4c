"""A generated population with planted true matches, for recall@10 (the test on PostgreSQL) and for
``benchmarks/matching.py``. The generator and its seed were fixed before the ranker's weights were looked at
against it; nothing here reads the ranker.

For each query demand (4 skills of the dictionary, 1–2 majors, a post, a minimum degree) ``PLANTED`` profiles
are its true matches: the same post, one of its majors, the degree or above, three or four of its four skills,
a summary in their own words. Around them: background profiles (random posts, majors, skills, summaries) and,
per query, ``STUFFED`` profiles that pass its hard filters and repeat its title and one of its skills many
times in their summary while holding none of its skills: what a keyword count rewards and a matcher should
not. Every profile consents, except one in ten (they are never matched)."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from talentcloud.accounts.models import User
from talentcloud.matching.consent_purposes import PURPOSE
from talentcloud.matching.facts import DEGREE_RANK, DemandFacts, profile_tokens
from talentcloud.matching.models import MatchDetails
from talentcloud.recruitment.models import JobSeekerProfile, Major, Post, Skill
from talentcloud.talents.models import Consent, Talent

SEED = 2026
PLANTED = 5
STUFFED = 20
STEMS = [
    "芯片",
    "算法",
    "射频",
    "版图",
    "嵌入式",
    "光学",
    "电池",
    "材料",
    "软件",
    "封装",
    "模拟",
    "数字",
    "工艺",
    "设备",
    "图像",
    "语音",
]
ENDS = ["设计", "开发", "研究", "测试", "分析"]
FILLER = [
    "负责",
    "项目",
    "团队",
    "沟通",
    "经验",
    "熟悉",
    "参与",
    "优化",
    "系统",
    "平台",
    "产品",
    "技术",
    "研发",
    "工作",
    "能力",
    "良好",
    "主导",
    "完成",
    "多个",
    "方案",
]
DEGREES = list(DEGREE_RANK)


@dataclass
class Query:
    demand: DemandFacts
    planted: set[int]


def _vocabulary() -> tuple[list[Skill], list[Major], list[Post]]:
    skills = [Skill.objects.get_or_create(term=f"{a}{b}")[0] for a in STEMS for b in ENDS]
    majors = [
        Major.objects.get_or_create(code=f"M{i:03d}", defaults={"name": f"{s}工程"})[0]
        for i, s in enumerate(STEMS[:12])
    ]
    posts = [
        Post.objects.get_or_create(code=f"P{i:02d}", defaults={"name": f"{s}工程师"})[0]
        for i, s in enumerate(STEMS[:10])
    ]
    return skills, majors, posts


def generate(
    n: int, queries: int = 20, *, seed: int = SEED, batch: int = 5000, log: Any = None
) -> list[Query]:
    """``n`` profiles (accounts, archive records, consents, details and tokens), the planted and stuffed
    ones for ``queries`` query demands among them; returns the queries with their planted profile ids."""
    rng = random.Random(seed)
    skills, majors, posts = _vocabulary()
    qs: list[tuple[DemandFacts, list[Skill], list[Major], Post]] = []
    for i in range(queries):
        d_skills = rng.sample(skills, 4)
        d_majors = rng.sample(majors, rng.randint(1, 2))
        post = rng.choice(posts)
        degree = rng.choice(["bachelor", "master"])
        title = f"{d_skills[0].term}方向{rng.choice(FILLER)}"
        qs.append(
            (
                DemandFacts(
                    pk=f"q{i}",
                    enterprise="",
                    post_id=post.pk,
                    post_name=post.name,
                    title=title,
                    degree=degree,
                    majors={m.pk: m.name for m in d_majors},
                    skills={s.pk: s.term for s in d_skills},
                    experience_years=2,
                    annual_min=None,
                    annual_max=None,
                    location="",
                    chain_id=None,
                    chain_name="",
                ),
                d_skills,
                d_majors,
                post,
            )
        )
    password = make_password("bench-not-a-login")
    first = (User.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    planted: dict[int, set[int]] = {i: set() for i in range(queries)}
    special = queries * (PLANTED + STUFFED)

    def row(k: int) -> tuple[Post, str, Major, list[Skill], str, int | None]:
        if k < special:
            q, j = divmod(k, PLANTED + STUFFED)
            facts, d_skills, d_majors, post = qs[q]
            degree = DEGREES[rng.randint(DEGREE_RANK[facts.degree], 3)]
            major = rng.choice(d_majors)
            if j < PLANTED:
                own = rng.sample(d_skills, rng.randint(3, 4)) + rng.sample(skills, rng.randint(0, 2))
                words = [facts.post_name[:2], *rng.sample(FILLER, 6), own[0].term]
                return post, degree, major, own, " ".join(words), q
            own = rng.sample([s for s in skills if s not in d_skills], rng.randint(1, 3))
            stuffing = " ".join([facts.title, d_skills[1].term] * rng.randint(3, 6))
            return (
                rng.choice(posts),
                degree,
                major,
                own,
                f"{stuffing} {' '.join(rng.sample(FILLER, 4))}",
                None,
            )
        own = rng.sample(skills, rng.randint(0, 6))
        words = rng.sample(FILLER, rng.randint(3, 10)) + [s.term[:2] for s in rng.sample(skills, 2)]
        return rng.choice(posts), rng.choice(DEGREES), rng.choice(majors), own, " ".join(words), None

    now = timezone.now()
    done = 0
    while done < n:
        size = min(batch, n - done)
        with transaction.atomic():
            users = User.objects.bulk_create(
                [User(username=f"mbench-{seed}-{first + done + i}", password=password) for i in range(size)]
            )
            talents = Talent.objects.bulk_create(
                [
                    Talent(
                        name=f"人才{u.pk}",
                        gender="F",
                        birth_date=dt.date(1990, 1, 1),
                        highest_degree="master",
                        category="young",
                        account=u,
                    )
                    for u in users
                ]
            )
            rows = [row(done + i) for i in range(size)]
            profiles = JobSeekerProfile.objects.bulk_create(
                [
                    JobSeekerProfile(
                        account=u,
                        post=r[0],
                        degree=r[1],
                        major=r[2],
                        experience_years=rng.randint(0, 10),
                        open=True,
                    )
                    for u, r in zip(users, rows, strict=True)
                ]
            )
            MatchDetails.objects.bulk_create(
                [
                    MatchDetails(
                        profile=p,
                        summary=r[4],
                        tokens=profile_tokens(
                            post_name=r[0].name,
                            skills=[s.term for s in r[3]],
                            major_name=r[2].name,
                            chain_name="",
                            summary=r[4],
                        ),
                    )
                    for p, r in zip(profiles, rows, strict=True)
                ]
            )
            through = MatchDetails.skills.through
            through.objects.bulk_create(
                [
                    through(matchdetails_id=p.pk, skill_id=s.pk)
                    for p, r in zip(profiles, rows, strict=True)
                    for s in dict.fromkeys(r[3])
                ]
            )
            Consent.objects.bulk_create(
                [
                    Consent(
                        talent=t,
                        purpose=PURPOSE,
                        granted=(done + i) < special or rng.random() >= 0.1,
                        channel="web",
                        at=now,
                    )
                    for i, t in enumerate(talents)
                ]
            )
            for p, r in zip(profiles, rows, strict=True):
                if r[5] is not None:
                    planted[r[5]].add(p.pk)
        done += size
        if log:
            log(done)
    return [Query(demand=q[0], planted=planted[i]) for i, q in enumerate(qs)]
