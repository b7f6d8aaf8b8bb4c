"""A generated population with planted true matches, for recall@10 (the test on PostgreSQL) and for
``benchmarks/matching.py``. The generator and its seed were fixed before the ranker's weights were looked at
against it; nothing here reads the ranker.

For each query demand (4 skills of the dictionary, 1–2 majors, a post, a minimum degree) ``PLANTED`` profiles
are its true matches: the same post, one of its majors, the degree or above, three or four of its four skills,
a summary in their own words. Around them: background profiles (random posts, majors, skills, summaries) and,
per query, ``STUFFED`` profiles that pass its hard filters and repeat its title and one of its skills many
times in their summary while holding none of its skills: what a keyword count rewards and a matcher should
not. Every profile consents, except one in ten (they are never matched).

Written with PostgreSQL's COPY in batches, no model instance or signal per row (a million profiles in
minutes); the random draws are made in the same order as when each batch was a ``bulk_create``, so a seed
gives the same population at every size it was measured at."""

from __future__ import annotations

import datetime as dt
import functools
import random
import uuid
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import connection, models, transaction

from talentcloud.accounts.models import User
from talentcloud.matching.consent_purposes import PURPOSE
from talentcloud.matching.facts import DEGREE_RANK, DemandFacts, profile_tokens
from talentcloud.matching.models import MatchDetails
from talentcloud.recruitment.models import JobSeekerProfile, Major, Post, Skill
from talentcloud.talents.models import Consent, Talent
from talentcloud.talents.search import tokens, user_tokenizer

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


class _Rows:
    """One model's rows for ``COPY``, written as ``bulk_create`` would write them: the columns a row names,
    each other column as the model saves it for the fixed values given here (its default, ``auto_now``),
    and the columns the model computes on every save (a blind index, search tokens) computed per row. No
    model instance per row: at a million profiles that is most of the time a bulk insert takes."""

    def __init__(self, model: type[models.Model], *, named_ids: bool = False, **fixed: Any) -> None:
        self.model = model
        self.template = model(**fixed)
        self.fields = [
            f
            for f in model._meta.concrete_fields
            # an identity the rows do not name is left to the database
            if named_ids or not (f.primary_key and isinstance(f, models.AutoField))
        ]
        self.computed = {  # a field of ours whose pre_save computes the column (Django's only stamp times)
            f.attname for f in self.fields if not type(f).pre_save.__module__.startswith("django.")
        }
        self.saved = {
            f.attname: f.get_db_prep_save(f.pre_save(self.template, add=True), connection=connection)
            for f in self.fields
        }

    def copy(self, cursor: Any, rows: list[dict[str, Any]]) -> None:
        columns = ", ".join(connection.ops.quote_name(f.column) for f in self.fields)
        sql = f"COPY {self.model._meta.db_table} ({columns}) FROM STDIN"
        names = [f.attname for f in self.fields]
        for values in rows:  # before the COPY starts: a computed column may read the database
            if self.computed:
                for name, value in values.items():
                    setattr(self.template, name, value)
                for f in self.fields:
                    if f.attname in self.computed:
                        values[f.attname] = f.get_db_prep_save(
                            f.pre_save(self.template, add=True), connection=connection
                        )
        with cursor.cursor.copy(sql) as copy:
            for values in rows:
                copy.write_row([values[c] if c in values else self.saved[c] for c in names])


def _ids(cursor: Any, model: type[models.Model], size: int) -> list[int]:
    """``size`` ids from the table's own sequence (so later inserts by the application go on from them)."""
    cursor.execute(
        "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s) ORDER BY 1",
        [model._meta.db_table, size],
    )
    return [pk for (pk,) in cursor.fetchall()]


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
    ones for ``queries`` query demands among them (PostgreSQL: written by COPY); returns the queries with
    their planted profile ids."""
    rng = random.Random(seed)
    skills, majors, posts = _vocabulary()
    # the words were written without the dictionary's version bump: have the tokenizer read them now, not
    # after its check interval (a test run just before this one may have checked less than a second ago)
    user_tokenizer(fresh=True)
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

    remembered = functools.lru_cache(maxsize=4096)(lambda text: tuple(tokens(text)))

    def cut(text: str) -> list[str]:
        """``search.tokens``, remembered for this run's few repeated terms (posts, skills, majors)."""
        return list(remembered(text))

    users = _Rows(User, named_ids=True, password=password)
    talents = _Rows(
        Talent, gender="F", birth_date=dt.date(1990, 1, 1), highest_degree="master", category="young"
    )
    seekers = _Rows(JobSeekerProfile, named_ids=True, open=True)
    details = _Rows(MatchDetails)
    held = _Rows(MatchDetails.skills.through)
    consents = _Rows(Consent, purpose=PURPOSE, channel="web")
    done = 0
    while done < n:
        size = min(batch, n - done)
        # the random draws in the order the generator has always made them (rows, years, consents)
        rows = [row(done + i) for i in range(size)]
        years = [rng.randint(0, 10) for _i in range(size)]
        granted = [(done + i) < special or rng.random() >= 0.1 for i in range(size)]
        with transaction.atomic(), connection.cursor() as cursor:
            user_ids = _ids(cursor, User, size)
            profile_ids = _ids(cursor, JobSeekerProfile, size)
            talent_ids = [uuid.uuid4() for _i in range(size)]
            users.copy(
                cursor,
                [{"id": u, "username": f"mbench-{seed}-{first + done + i}"} for i, u in enumerate(user_ids)],
            )
            talents.copy(
                cursor,
                [
                    {"id": t, "name": f"人才{u}", "account_id": u}
                    for t, u in zip(talent_ids, user_ids, strict=True)
                ],
            )
            seekers.copy(
                cursor,
                [
                    {
                        "id": p,
                        "account_id": u,
                        "post_id": r[0].pk,
                        "degree": r[1],
                        "major_id": r[2].pk,
                        "experience_years": y,
                    }
                    for p, u, r, y in zip(profile_ids, user_ids, rows, years, strict=True)
                ],
            )
            details.copy(
                cursor,
                [
                    {
                        "profile_id": p,
                        "summary": r[4],
                        "tokens": profile_tokens(
                            post_name=r[0].name,
                            skills=[s.term for s in r[3]],
                            major_name=r[2].name,
                            chain_name="",
                            summary=r[4],
                            cut=cut,
                        ),
                    }
                    for p, r in zip(profile_ids, rows, strict=True)
                ],
            )
            held.copy(
                cursor,
                [
                    {"matchdetails_id": p, "skill_id": s.pk}
                    for p, r in zip(profile_ids, rows, strict=True)
                    for s in dict.fromkeys(r[3])
                ],
            )
            consents.copy(
                cursor, [{"talent_id": t, "granted": g} for t, g in zip(talent_ids, granted, strict=True)]
            )
        for p, r in zip(profile_ids, rows, strict=True):
            if r[5] is not None:
                planted[r[5]].add(p)
        done += size
        if log:
            log(done)
    return [Query(demand=q[0], planted=planted[i]) for i, q in enumerate(qs)]
