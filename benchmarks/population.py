"""Benchmark populations that look like a district: 10k, 100k or 1M talents on PostgreSQL, seeded once by bulk
COPY and reused.

    python benchmarks/population.py --talents N [--processes P] [--force]

One database per size, ``tc_district_<N>`` (``BENCH_DATABASE_URL`` overrides it), created and migrated when
missing. A finished seed writes a row to the table ``bench_population``; a database without that row (a seed
cut short) is dropped and seeded again, one with it is reused (``--force`` seeds it again).

What a population holds: the demo's reference data, demo accounts, service catalogue and policy library
(``talentcloud.demo.seed``); a window staff account for every department that leads a service and has none in
the demo; N/3 enterprises (as the demo: three of four in a park) with three years of annual reports and, for
four in five, an administrator account (``EnterpriseMember.is_admin``); N talents with every fact filled as
in the demo's distribution (graduation, social insurance, home, e-mail, tags and cadence added), five
provenance records each (``FactRecord``, nine in ten verified), education, family members, titles and a few
lines of change history; accounts for one talent in ten, all sharing one precomputed password hash; and about
N/5 service-hall cases filed by those accounts, with handlers, joint parts, timelines, ratings and form data
shaped by each service's form. Personal fields are encrypted and blind-indexed with the project's own
functions (``talentcloud.common.crypto``); search tokens are ``talentcloud.talents.search``'s.

Rows are made in P worker processes (each chunk of talents from its own random stream, so the same seed
makes the same data) and written with COPY while the tables' secondary indexes are dropped and foreign-key
triggers are off; the indexes are rebuilt, sequences moved past the explicit ids, and VACUUM (ANALYZE) run at the end
(the visibility map of a live, autovacuumed table: index-only scans depend on it).
Columns the seeder does not know (added by later migrations) get their model field's default; the talent's
copies of its employer's park and street (``employer_park_id``, ``employer_street_id``) are filled when the
table has them. The run prints its duration and each phase's.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import random
import resource
import sys
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from harness import collect_static, use_database

SEED = 7
CHUNK = 5_000
PREFIX = "tc_district_"
MARKER = "bench_population"
PASSWORD = "bench-District-2026"  # noqa: S105 (the benchmark accounts share it: one hash, computed once)

# The tables the bulk phase writes: their secondary indexes are dropped while it runs and rebuilt after.
BULK_TABLES = (
    "enterprises_enterprise",
    "enterprises_annualreport",
    "enterprises_enterprisemember",
    "enterprises_keyperson",
    "accounts_user",
    "accounts_user_roles",
    "talents_talent",
    "talents_factrecord",
    "talents_education",
    "talents_familymember",
    "talents_qualification",
    "talents_talentchange",
    "talents_contributionperiod",
    "talents_childbirth",
    "policies_recordedvalue",
    "servicehall_case",
    "servicehall_casepart",
    "servicehall_caseevent",
    "servicehall_rating",
)

SCHOOLS = [
    "南京大学",
    "东南大学",
    "河海大学",
    "南京航空航天大学",
    "南京理工大学",
    "中国药科大学",
    "南京邮电大学",
    "南京工业大学",
    "南京信息工程大学",
    "南京师范大学",
    "江苏大学",
    "苏州大学",
    "浙江大学",
    "上海交通大学",
    "复旦大学",
    "清华大学",
    "北京大学",
    "中国科学技术大学",
    "武汉大学",
    "华中科技大学",
    "南京工程学院",
    "金陵科技学院",
    "南京交通职业技术学院",
    "江苏经贸职业技术学院",
]
MAJORS = [
    "计算机科学与技术",
    "软件工程",
    "电子信息工程",
    "机械工程",
    "车辆工程",
    "材料科学与工程",
    "药学",
    "生物医学工程",
    "临床医学",
    "电气工程及其自动化",
    "通信工程",
    "化学工程与工艺",
    "工商管理",
    "金融学",
    "集成电路设计与集成系统",
    "人工智能",
]
TITLES = [("title", "高级工程师", "江苏省人社厅"), ("title", "工程师", "南京市人社局")]
TITLES += [("title", "正高级工程师", "江苏省人社厅"), ("title", "副研究员", "中国科学院")]
AWARDS = [("award", "江苏省双创人才", "江苏省委组织部"), ("award", "南京市紫金山英才", "南京市委人才办")]
AWARDS += [("award", "江宁区优秀科技工作者", "江宁区科协")]
TAGS = ["海外归国", "重点企业骨干", "博士后", "高校毕业生", "返乡创业"]
CHANGE_FIELDS = ("post", "phone", "employer", "grade", "residence_street")

# What one worker process needs, set once before the pool forks (inherited, never pickled per task).
_CTX: dict[str, Any] = {}


def database_url(talents: int) -> str:
    return os.environ.get("BENCH_DATABASE_URL") or f"postgres://postgres@127.0.0.1:5432/{PREFIX}{talents}"


def _admin_url(url: str) -> str:
    return url.rsplit("/", 1)[0] + "/postgres"


def marker(url: str) -> dict[str, Any] | None:
    """The finished seed's record in the database at ``url``, or None (no database, or a seed cut short)."""
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(_admin_url(url), autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            return None
    with psycopg.connect(url, autocommit=True) as conn:
        if not conn.execute("SELECT to_regclass(%s)", [MARKER]).fetchone()[0]:
            return None
        row = conn.execute(f"SELECT details FROM {MARKER} ORDER BY finished_at DESC LIMIT 1").fetchone()
        return row[0] if row else None


def drop_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(_admin_url(url), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def ensure_population(talents: int, *, processes: int = 2, force: bool = False) -> dict[str, str]:
    """The population of ``talents`` in its own database, seeded if it is not there complete; Django is set
    up against it (production settings) and migrated. Returns the environment for the server."""
    url = database_url(talents)
    done = None if force else marker(url)
    if done is not None and done.get("talents") != talents:
        raise SystemExit(f"{url} holds a population of {done.get('talents')} talents, not {talents}")
    if done is None:
        drop_database(url)
    env = use_database(url)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    collect_static()
    if done is None:
        seed(url, talents, processes=processes)
    else:
        print(
            f"population of {talents:,} talents reused ({url.rsplit('/', 1)[1]}, seeded in "
            f"{done['seconds']:.0f} s)",
            flush=True,
        )
    return env


# ----------------------------------------------------------------------------------------------- COPY text


def _escaped(text: str) -> str:
    if "\\" in text or "\t" in text or "\n" in text or "\r" in text:
        return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    return text


def _text(value: Any) -> str:
    """A value in COPY's text format (dispatch on the exact type: this runs for every cell)."""
    if value is None:
        return "\\N"
    kind = type(value)
    if kind is str:
        return _escaped(value)
    if kind is bool:
        return "t" if value else "f"
    if kind is int or kind is uuid.UUID or kind is Decimal or kind is float:
        return str(value)
    if kind is datetime or kind is date:
        return value.isoformat()
    if kind is list or kind is dict:
        return _escaped(json.dumps(value, ensure_ascii=False))
    return _escaped(str(value))


class Table:
    """One table's COPY: the columns the database has (introspected), the rows' values by column name, and
    the model field's default for a column the seeder does not fill."""

    def __init__(self, name: str, columns: list[str], defaults: dict[str, str]):
        self.name, self.columns, self.defaults = name, columns, defaults
        self.cells = [(c, defaults.get(c, "")) for c in columns]
        self.lines: list[str] = []

    def add(self, row: dict[str, Any]) -> None:
        self.lines.append("\t".join([_text(row[c]) if c in row else d for c, d in self.cells]) + "\n")

    def statement(self) -> str:
        quoted = ", ".join('"' + c + '"' for c in self.columns)
        return f"COPY {self.name} ({quoted}) FROM STDIN"


def table_specs(conn: Any) -> dict[str, tuple[list[str], dict[str, str]]]:
    """For each bulk table: the columns to write (an identity ``id`` the seeder leaves to the database is
    left out) and the text of each column's default when a row does not name it."""
    from django.apps import apps
    from django.db import connection
    from django.db.models import JSONField

    models = {m._meta.db_table: m for m in apps.get_models(include_auto_created=True)}
    specs = {}
    for table in BULK_TABLES:
        rows = conn.execute(
            "SELECT column_name, is_nullable = 'YES', is_identity = 'YES' FROM information_schema.columns "
            "WHERE table_name = %s ORDER BY ordinal_position",
            [table],
        ).fetchall()
        fields = {f.column: f for f in models[table]._meta.concrete_fields}
        columns, defaults = [], {}
        for column, nullable, identity in rows:
            explicit = (table, column) in EXPLICIT_IDS
            if identity and not explicit:
                continue
            columns.append(column)
            field = fields.get(column)
            if isinstance(field, JSONField) and field.has_default():
                defaults[column] = _text(json.dumps(field.get_default()))
            elif field is not None and field.has_default():
                defaults[column] = _text(field.get_db_prep_save(field.get_default(), connection=connection))
            elif nullable:
                defaults[column] = "\\N"
            else:
                defaults[column] = ""  # a NOT NULL column without default: every row must name it
        specs[table] = (columns, defaults)
    return specs


# identity ids the seeder gives (no coordination needed between processes): accounts, and family members (a
# child's derived birth date names its family record, talents.ChildBirth)
EXPLICIT_IDS = {("accounts_user", "id"), ("talents_familymember", "id")}
FAMILY_PER_TALENT = 4  # a spouse, at most two children, a parent: explicit ids base + 4·i + k


# ------------------------------------------------------------------------------------------------ workers


def _aware(day: date, rng: random.Random) -> datetime:
    return datetime(day.year, day.month, day.day, rng.randrange(8, 18), rng.randrange(60), tzinfo=UTC)


def _tokens_of(text: str) -> list[str]:
    cache = _CTX.setdefault("token_cache", {})
    found = cache.get(text)
    if found is None:
        from talentcloud.talents.search import tokens

        found = cache[text] = tokens(text or "")
    return found


def _search_tokens(name: str, post: str, employer_name: str, chain_name: str) -> str:
    """``talentcloud.talents.search.talent_tokens`` of the row (name, post, employer, chain), the per-string
    tokenising cached (employers, posts and chains repeat)."""
    from talentcloud.talents.search import name_pieces, tokens

    found = tokens(name) + _tokens_of(post) + _tokens_of(employer_name) + _tokens_of(chain_name)
    found += [p.lower() for p in name_pieces(name)]
    return " ".join(dict.fromkeys(found))


def _chunk(number: int) -> dict[str, bytes]:
    """Talents ``number * CHUNK`` onwards, with everything that hangs on them: COPY text per table."""
    from talentcloud.common.crypto import blind_index, encrypt_text
    from talentcloud.demo.seed import _grade, _tier, mobile, resident_id
    from talentcloud.privacy.masking import mask_phone

    ctx = _CTX
    specs = ctx["specs"]
    out = {t: Table(t, *specs[t]) for t in BULK_TABLES}
    rng = random.Random(SEED * 1_000_003 + number)  # noqa: S311 (synthetic data, reproducible)
    ranks = random.Random(SEED * 2_000_003 + number)  # noqa: S311 (as above)
    enterprises, streets, chains = ctx["enterprises"], ctx["streets"], ctx["chains"]
    male, female = ctx["names_male"], ctx["names_female"]
    today, now = ctx["today"], ctx["now"]
    office, cadre, talent_role = ctx["office"], ctx["cadre"], ctx["talent_role"]
    categories, cat_weights = ctx["categories"], ctx["category_weights"]
    degrees, degree_weights = ctx["degrees"], ctx["degree_weights"]
    services, handlers = ctx["services"], ctx["handlers"]
    posts = ctx["posts"]
    lo, hi = number * CHUNK, min((number + 1) * CHUNK, ctx["talents"])
    aad = {
        "id": b"talents.Talent.id_number",
        "phone": b"talents.Talent.phone",
        "email": b"talents.Talent.email",
        "fname": b"talents.FamilyMember.name",
        "fid": b"talents.FamilyMember.id_number",
        "fborn": b"talents.FamilyMember.birth_date",
        "form": b"servicehall.Case.form_data",
    }
    case_seq = 0
    for i in range(lo, hi):
        employer = enterprises[rng.randrange(len(enterprises))]
        e_id, e_park, e_street, e_chain, e_name = employer
        category = rng.choices(categories, cat_weights)[0]
        gender = "M" if rng.random() < 0.5 else "F"
        name = rng.choice(male if gender == "M" else female)
        born = date(1960, 1, 1) + timedelta(days=rng.randrange(0, 365 * 42))
        high_level = category in ("top_expert", "high_end_team", "entrepreneur")
        degree = rng.choices(degrees, degree_weights)[0]
        id_number = resident_id(rng, born, gender)
        phone = mobile(rng)
        talent_id = uuid.UUID(int=rng.getrandbits(128), version=4)
        chain_id, chain_name = e_chain, chains[e_chain]
        post = rng.choice(posts)
        residence = e_street if rng.random() < 0.6 else rng.choice(streets)
        arrived = date(2015, 1, 1) + timedelta(days=rng.randrange(0, 365 * 11))
        study_years = {"junior_college": 21, "bachelor": 22, "master": 25, "doctor": 29}[degree]
        graduated = min(born + timedelta(days=365 * study_years + rng.randrange(0, 700)), today)
        insured = max(arrived, graduated) + timedelta(days=rng.randrange(0, 400))
        insured = min(insured, today - timedelta(days=rng.randrange(1, 60)))
        owns_home = rng.random() < (0.35 if born.year > 1990 else 0.7)
        email = f"u{i:07d}@example.cn" if rng.random() < 0.7 else ""
        tags = [rng.choice(TAGS)] if rng.random() < 0.15 else []
        has_account = i == 0 or rng.random() < 0.10
        account = (
            (ctx["demo_talent"] if i == 0 and ctx["demo_talent"] else ctx["user_base"] + i)
            if has_account
            else None
        )
        if has_account and account != ctx["demo_talent"]:
            joined = _aware(arrived, rng)
            out["accounts_user"].add(
                {
                    "id": account,
                    "password": ctx["password"],
                    "username": f"t{i:07d}",
                    "display_name": name,
                    "email": email,
                    "is_active": True,
                    "date_joined": joined,
                    "password_changed_at": joined,
                    "last_login": now - timedelta(days=rng.randrange(0, 200)),
                }
            )
            out["accounts_user_roles"].add({"user_id": account, "role_id": talent_role})
        created = _aware(arrived, rng)
        out["talents_talent"].add(
            {
                "id": talent_id,
                "created_at": created,
                "updated_at": now - timedelta(days=rng.randrange(0, 300)),
                "name": name,
                "gender": gender,
                "birth_date": born,
                "highest_degree": degree,
                "category": category,
                "tier": _tier(ranks, category),
                "grade": _grade(ranks, category),
                "employer_id": e_id,
                "employer_park_id": e_park,
                "employer_street_id": e_street,
                "post": post,
                "chain_id": chain_id,
                "residence_street_id": residence,
                "arrived_on": arrived,
                "id_number": encrypt_text(id_number, aad=aad["id"]),
                "id_number_index": blind_index(id_number, purpose="talents.Talent.id_number"),
                "phone": encrypt_text(phone, aad=aad["phone"]),
                "phone_index": blind_index(phone, purpose="talents.Talent.phone"),
                "email": encrypt_text(email, aad=aad["email"]) if email else "",
                "graduated_on": graduated,
                "social_insurance_since": insured,
                "owns_home_in_city": owns_home,
                "contract_term_months": rng.choice((12, 24, 36, 36, 60, None)),
                "contact_every_days": rng.choice((90, 180)) if high_level else None,
                "restricted": False,
                "search_tokens": _search_tokens(name, post, e_name, chain_name),
                "tags": tags,
                "account_id": account,
                "liaison_id": cadre if cadre and high_level and rng.random() < 0.5 else None,
                "pending_merge": False,
            }
        )
        if category == "entrepreneur":  # founders, as the demo records them
            out["enterprises_keyperson"].add(
                {
                    "enterprise_id": e_id,
                    "talent_id": talent_id,
                    "role": "创始人",
                    "share": Decimal(rng.randrange(500, 6000)) / 100,
                }
            )
        # Five provenance records, one per fact with provenance; nine in ten verified.
        facts = {
            "highest_degree": degree,
            "graduated_on": graduated.isoformat(),
            "social_insurance_since": insured.isoformat(),
            "owns_home_in_city": owns_home,
            "employer": str(e_id),
        }
        for key, value in facts.items():
            roll = rng.random()
            source = "authority" if roll < 0.35 else "staff" if roll < 0.85 else "self"
            verified = source != "self" or rng.random() < 0.4
            at = created + timedelta(days=rng.randrange(0, 400), minutes=rng.randrange(0, 600))
            at = min(at, now)
            reviewer = office if source != "authority" and verified else None
            out["talents_factrecord"].add(
                {
                    "talent_id": talent_id,
                    "key": key,
                    "value": json.dumps(value),
                    "source": source,
                    "as_of": at.date(),
                    "verified": verified,
                    "status": "accepted",
                    "recorded_by_id": office if source == "staff" else account if source == "self" else None,
                    "reviewed_by_id": reviewer,
                    "reviewed_at": at if reviewer else None,
                    "created_at": at,
                }
            )
        # Education up to the highest degree.
        stages = {
            "junior_college": ["junior_college"],
            "bachelor": ["bachelor"],
            "master": ["bachelor", "master"],
            "doctor": ["bachelor", "master", "doctor"],
        }[degree]
        back = {"junior_college": 0, "bachelor": 0, "master": 3, "doctor": 7}
        for stage in stages:
            out["talents_education"].add(
                {
                    "talent_id": talent_id,
                    "degree": stage,
                    "school": rng.choice(SCHOOLS),
                    "major": rng.choice(MAJORS),
                    "graduated_on": graduated - timedelta(days=365 * (back[degree] - back[stage])),
                    "full_time": rng.random() < 0.85,
                    "source": "staff",
                    "created_at": created,
                }
            )
        # Social insurance as runs of months (issue #19): from the first month insured, a gap for some.
        first = insured.year * 12 + insured.month - 1
        this_month = today.year * 12 + today.month - 1
        if rng.random() < 0.15 and this_month - first > 14:
            gap = rng.randrange(first + 2, this_month - 10)
            out["talents_contributionperiod"].add(
                {
                    "talent_id": talent_id,
                    "first_month": first,
                    "last_month": gap,
                    "source": "authority",
                    "created_at": created,
                }
            )
            first = gap + rng.randrange(2, 8)
        out["talents_contributionperiod"].add(
            {
                "talent_id": talent_id,
                "first_month": first,
                "last_month": None,
                "source": "authority",
                "created_at": created,
            }
        )
        # What the office recorded, and postdocs in the district's stations.
        defined = ctx["defined"]
        if "first_home_in_district" in defined and born.year > 1990 and rng.random() < 0.25:
            out["policies_recordedvalue"].add(
                {
                    "definition_id": defined["first_home_in_district"],
                    "talent_id": talent_id,
                    "value_bool": rng.random() < 0.7,
                    "valid_from": today - timedelta(days=rng.randrange(10, 300)),
                    "source": "import",
                    "provenance": "基准数据",
                    "verified": True,
                    "created_at": now,
                }
            )
        if "spouse_accompanying_unemployed" in defined and rng.random() < 0.1:
            out["policies_recordedvalue"].add(
                {
                    "definition_id": defined["spouse_accompanying_unemployed"],
                    "talent_id": talent_id,
                    "value_bool": rng.random() < 0.6,
                    "valid_from": today - timedelta(days=rng.randrange(10, 500)),
                    "source": "import",
                    "provenance": "基准数据",
                    "verified": True,
                    "created_at": now,
                }
            )
        if "postdoc_station" in defined and degree == "doctor" and rng.random() < 0.12:
            start = today - timedelta(days=rng.randrange(60, 365 * 4))
            ended = start + timedelta(days=730)
            out["policies_recordedvalue"].add(
                {
                    "definition_id": defined["postdoc_station"],
                    "talent_id": talent_id,
                    "valid_from": start,
                    "valid_until": ended if ended < today and rng.random() < 0.5 else None,
                    "source": "import",
                    "provenance": "基准数据",
                    "verified": True,
                    "created_at": now,
                }
            )
        # Family: a spouse for most, children for many (what school-place policies read), a parent for some.
        family = []
        if born.year < 1996 and rng.random() < 0.75:
            family.append(("spouse", born + timedelta(days=rng.randrange(-1500, 1500))))
        if born.year < 1994:
            for _ in range(rng.choices((0, 1, 2), (30, 50, 20))[0]):
                family.append(
                    (
                        "child",
                        date(max(born.year + 24, 2005), 1, 1) + timedelta(days=rng.randrange(0, 365 * 15)),
                    )
                )
        if rng.random() < 0.15:
            family.append(("parent", born - timedelta(days=365 * rng.randrange(22, 35))))
        for k, (relation, when) in enumerate(family[:FAMILY_PER_TALENT]):
            when = min(when, today - timedelta(days=30))
            member_id = ctx["member_base"] + FAMILY_PER_TALENT * i + k
            person_gender = "M" if rng.random() < 0.5 else "F"
            person = rng.choice(male if person_gender == "M" else female)
            if relation == "child":  # the talent's surname (the pools' names are surname + one or two)
                person = name[0] + person[1:]
            out["talents_familymember"].add(
                {
                    "id": member_id,
                    "talent_id": talent_id,
                    "relation": relation,
                    "name": encrypt_text(person, aad=aad["fname"]),
                    "id_number": encrypt_text(resident_id(rng, when, person_gender), aad=aad["fid"]),
                    "birth_date": encrypt_text(when.isoformat(), aad=aad["fborn"]),
                    "created_at": created,
                }
            )
            if relation == "child":  # the birth date rules read (ADR 0019)
                out["talents_childbirth"].add(
                    {"talent_id": talent_id, "member_id": member_id, "birth_date": when}
                )
        if rng.random() < (0.8 if high_level else 0.25):
            kind, title, level = rng.choice(AWARDS if high_level and rng.random() < 0.5 else TITLES)
            out["talents_qualification"].add(
                {
                    "talent_id": talent_id,
                    "kind": kind,
                    "name": title,
                    "level": level,
                    "year": rng.randrange(max(graduated.year, 2000), today.year + 1),
                    "created_at": created,
                }
            )
        # History: the import that created the record, then a few edits.
        out["talents_talentchange"].add(
            {
                "talent_id": talent_id,
                "actor_id": office,
                "at": created,
                "via": "import",
                "field": "name",
                "before": "",
                "after": name,
            }
        )
        for _ in range(rng.choices((0, 1, 2, 3), (20, 40, 25, 15))[0]):
            field = rng.choice(CHANGE_FIELDS)
            at = min(created + timedelta(days=rng.randrange(1, 900)), now)
            before, after = {
                "post": (rng.choice(posts), post),
                "phone": (mask_phone(mobile(rng)), mask_phone(phone)),
                "employer": (enterprises[rng.randrange(len(enterprises))][4], e_name),
                "grade": ("", rng.choice("BCDEF")),
                "residence_street": (
                    ctx["street_names"][rng.choice([s for s in streets if s != residence])],
                    ctx["street_names"][residence],
                ),
            }[field]
            self_edit = account is not None and field in ("phone", "post") and rng.random() < 0.5
            out["talents_talentchange"].add(
                {
                    "talent_id": talent_id,
                    "actor_id": account if self_edit else office,
                    "at": at,
                    "via": "self" if self_edit else "staff",
                    "field": field,
                    "before": before,
                    "after": after,
                }
            )
        # Cases: every account applies for one to three services (about N/5 cases in all).
        if has_account:
            for _ in range(rng.choices((1, 2, 3), (35, 30, 35))[0]):
                case_seq += 1
                _case(out, rng, ctx, i, case_seq, account, talent_id, name, services, handlers, aad["form"])
    return {t: "".join(table.lines).encode() for t, table in out.items() if table.lines}


CASE_STATES = (
    ("submitted", 10),
    ("in_progress", 35),
    ("paused", 5),
    ("answered", 10),
    ("rated", 20),
    ("closed", 20),
)
CASE_STEPS = {
    "submitted": ("submit",),
    "in_progress": ("submit", "accept"),
    "paused": ("submit", "accept", "return"),
    "answered": ("submit", "accept", "conclude", "answer"),
    "rated": ("submit", "accept", "conclude", "answer", "rate"),
    "closed": ("submit", "accept", "conclude", "answer", "rate", "close"),
}
STEP_STATES = {
    "submit": ("draft", "submitted"),
    "accept": ("submitted", "in_progress"),
    "return": ("in_progress", "paused"),
    "conclude": ("in_progress", "concluded"),
    "answer": ("concluded", "answered"),
    "rate": ("answered", "rated"),
    "close": ("rated", "closed"),
}


def _answers(rng: random.Random, fields: list[dict[str, Any]], name: str) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for spec in fields:
        kind = spec.get("type")
        if kind == "number":
            data[spec["key"]] = str(rng.randrange(1, 6))
        elif kind == "date":
            data[spec["key"]] = (date(2025, 1, 1) + timedelta(days=rng.randrange(0, 600))).isoformat()
        elif kind == "choice":
            data[spec["key"]] = rng.choice(spec.get("choices") or [""])
        elif kind == "yes_no":
            data[spec["key"]] = rng.choice(("yes", "no"))
        else:
            data[spec["key"]] = rng.choice((f"{name}，江宁区", "详见附件材料", "南京市江宁区秣陵街道"))
    return data


def _case(
    out: dict[str, Table],
    rng: random.Random,
    ctx: dict[str, Any],
    talent_index: int,
    seq: int,
    account: int,
    talent_id: uuid.UUID,
    name: str,
    services: list[tuple[Any, ...]],
    handlers: dict[int, int],
    aad: bytes,
) -> None:
    from talentcloud.common.crypto import encrypt_text

    today, now = ctx["today"], ctx["now"]
    service_id, department, version, fields, joint = services[rng.randrange(len(services))]
    state = rng.choices([s for s, _w in CASE_STATES], [w for _s, w in CASE_STATES])[0]
    submitted_day = today - timedelta(days=rng.randrange(0, 90))
    submitted = _aware(submitted_day, rng)
    accepted = (
        None if state == "submitted" else min(submitted_day + timedelta(days=rng.randrange(0, 4)), today)
    )
    due = accepted + timedelta(days=rng.randrange(5, 45)) if accepted else None
    handler = handlers.get(department) if accepted else None
    case_id = uuid.UUID(int=rng.getrandbits(128), version=4)
    done = state in ("answered", "rated", "closed")
    concluded = (
        _aware(min(accepted + timedelta(days=rng.randrange(1, 20)), today), rng)
        if done and accepted
        else None
    )
    steps = CASE_STEPS[state]
    out["servicehall_case"].add(
        {
            "id": case_id,
            "number": f"320115-{submitted_day:%Y%m%d}-{talent_index:07d}{seq % 10}",
            "service_id": service_id,
            "version_id": version,
            "applicant_id": account,
            "talent_id": talent_id,
            "applicant_name": name,
            "form_data": encrypt_text(json.dumps(_answers(rng, fields, name), ensure_ascii=False), aad=aad),
            "state": state,
            "revision": len(steps),
            "department_id": department,
            "handler_id": handler,
            "idempotency_key": f"bench-{talent_index}-{seq}",
            "submitted_at": submitted,
            "accepted_on": accepted,
            "due_on": due,
            "yellow_on": due - timedelta(days=2) if due else None,
            "paused_since": today - timedelta(days=rng.randrange(0, 10)) if state == "paused" else None,
            "request_note": "请补充近三个月社保缴纳证明" if state == "paused" else "",
            "decision": ("approved" if rng.random() < 0.85 else "rejected") if done else "",
            "decision_reason": "经审核，符合条件。" if done else "",
            "answer": "您的申请已办结，请留意后续通知。" if done else "",
            "concluded_at": concluded,
            "answered_at": concluded,
            "closed_at": concluded + timedelta(days=7) if state == "closed" and concluded else None,
            "created_at": submitted,
            "updated_at": concluded or submitted,
        }
    )
    for order, part_department in enumerate(joint):
        out["servicehall_casepart"].add(
            {
                "case_id": case_id,
                "department_id": part_department,
                "order": order,
                "status": "done" if done else "active" if accepted else "waiting",
                "note": "已会签" if done else "",
                "done_by_id": handlers.get(part_department) if done else None,
                "done_at": concluded if done else None,
            }
        )
    at = submitted
    for step in steps:
        source, target = STEP_STATES[step]
        actor = account if step in ("submit", "rate") else None if step == "close" else handler
        out["servicehall_caseevent"].add(
            {
                "case_id": case_id,
                "at": at,
                "actor_id": actor,
                "action": step,
                "from_state": source,
                "to_state": target,
                "note": "经审核，符合条件。" if step == "conclude" else "",
            }
        )
        at = min(at + timedelta(days=rng.randrange(1, 6), minutes=rng.randrange(0, 300)), now)
    if state in ("rated", "closed"):
        out["servicehall_rating"].add(
            {
                "case_id": case_id,
                "service_id": service_id,
                "department_id": department,
                "level": rng.choice((5, 5, 5, 4, 4, 3, 2)),
                "by_default": False,
                "excluded": False,
                "rated_by_id": account,
                "comment": "",
                "created_at": at,
            }
        )


# ---------------------------------------------------------------------------------------------- the seed


def _name_pools(count: int) -> tuple[list[str], list[str]]:
    """Names drawn by Faker (zh_CN, its surname frequencies) once; talents draw from the pools."""
    from faker import Faker

    fake = Faker("zh_CN")
    fake.seed_instance(SEED)
    return [fake.name_male() for _ in range(count)], [fake.name_female() for _ in range(count)]


def _window_staff(units: dict[str, Any]) -> dict[int, int]:
    """A window staff account for every department that leads or joins a service (the demo's where it has
    one, ``window-<code>`` otherwise): the handlers of the department's cases."""
    from talentcloud.accounts.models import Role, User
    from talentcloud.accounts.services import totp_device_create, user_create
    from talentcloud.demo.seed import generate_password
    from talentcloud.servicehall.models import Service

    role = Role.objects.get(code="service-staff")
    departments = set(Service.objects.values_list("department_id", flat=True))
    departments |= set(Service.co_departments.through.objects.values_list("orgunit_id", flat=True))
    handlers = {}
    for unit in [u for u in units.values() if u.pk in departments]:
        user = User.objects.filter(unit=unit, roles=role).order_by("pk").first()
        if user is None:
            user = user_create(
                actor=None,
                username=f"window-{unit.code.rsplit('-', 1)[1].lower()}",
                password=generate_password(),
                unit=unit,
                roles=[role],
                display_name=f"{unit.name} 窗口",
            )
            totp_device_create(user=user, name="bench", confirmed=True)
        handlers[unit.pk] = user.pk
    return handlers


ENTERPRISE_CHUNK = 5_000
CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # GB 32100's 31 characters


def _credit_code(index: int, rng: random.Random) -> str:
    """A unified social credit code registered in Jiangning, unique by construction (the enterprise's number
    in four of its characters), with a correct check character."""
    from stdnum.cn import uscc

    serial = ""
    for _ in range(4):
        index, digit = divmod(index, len(CODE_ALPHABET))
        serial += CODE_ALPHABET[digit]
    body = "91320115" + serial + "".join(rng.choice(CODE_ALPHABET) for _ in range(5))
    return body + uscc.calc_check_digit(body)


def _enterprise_chunk(number: int) -> tuple[list[tuple[Any, ...]], dict[str, bytes]]:
    """Enterprises ``number * ENTERPRISE_CHUNK`` onwards (the demo's shapes): three years of reports each, an
    administrator account for four in five. Returns what talents need of each, and COPY text per table."""
    from talentcloud.demo import reference as ref
    from talentcloud.demo.seed import enterprise_figures

    ctx = _CTX
    rng = random.Random(SEED * 3_000_017 + number)  # noqa: S311 (synthetic data, reproducible)
    out = {t: Table(t, *ctx["specs"][t]) for t in BULK_TABLES}
    chains, parks, street_of = ctx["chain_codes"], ctx["parks"], ctx["street_of"]
    roads = {c: r for c, _n, _e, r in ref.STREETS}
    street_codes = [c for c, _n, _e, _r in ref.STREETS]
    year, now = ctx["today"].year, ctx["now"]
    names: set[str] = set()
    result = []
    lo = number * ENTERPRISE_CHUNK
    for i in range(lo, min(lo + ENTERPRISE_CHUNK, ctx["enterprise_count"])):
        chain_id, chain_code = rng.choice(chains)
        park = rng.choice(parks) if rng.random() < 0.75 else None
        street_code = rng.choice(ref.PARK_STREETS[park[1]]) if park else rng.choice(street_codes)
        words = rng.choice(ref.ENTERPRISE_WORDS) + rng.choice(ref.ENTERPRISE_WORDS)
        name = f"南京{words}{rng.choice(ref.CHAIN_SUFFIX[chain_code])}有限公司"
        if name in names:
            name = f"{name[:-4]}（{i}）有限公司"
        names.add(name)
        enterprise_id = uuid.UUID(int=rng.getrandbits(128), version=4)
        street = street_of[street_code]
        park_id = park[0] if park else None
        out["enterprises_enterprise"].add(
            {
                "id": enterprise_id,
                "created_at": now - timedelta(days=rng.randrange(30, 1500)),
                "updated_at": now - timedelta(days=rng.randrange(0, 30)),
                "name": name,
                "credit_code": _credit_code(i, rng),
                "park_id": park_id,
                "street_id": street,
                "chain_id": chain_id,
                "founded_on": date(2005, 1, 1) + timedelta(days=rng.randrange(0, 7000)),
                "address": f"南京市江宁区{rng.choice(roads[street_code])}{rng.randrange(1, 999)}号",
                "tags": [],
                "pending_merge": False,
            }
        )
        for offset, figures in zip((3, 2, 1), enterprise_figures(rng), strict=True):
            out["enterprises_annualreport"].add(
                {
                    "enterprise_id": enterprise_id,
                    "year": year - offset,
                    "current": True,
                    "created_at": now,
                    **figures,
                }
            )
        if rng.random() < 0.8:
            user_id = ctx["hr_base"] + i
            out["accounts_user"].add(
                {
                    "id": user_id,
                    "password": ctx["password"],
                    "username": f"hr{i:07d}",
                    "display_name": f"{name[:12]} 人事",
                    "is_active": True,
                    "date_joined": now - timedelta(days=rng.randrange(30, 900)),
                    "password_changed_at": now - timedelta(days=rng.randrange(0, 30)),
                }
            )
            out["accounts_user_roles"].add({"user_id": user_id, "role_id": ctx["hr_role"]})
            out["enterprises_enterprisemember"].add(
                {"enterprise_id": enterprise_id, "user_id": user_id, "is_admin": True, "created_at": now}
            )
        for key, share in (
            ("hightech", 0.15),
            ("little_giant", 0.02),
            ("specialized_provincial", 0.06),
            ("gazelle", 0.05),
        ):
            if key in ctx["defined"] and rng.random() < share:
                start = ctx["today"] - timedelta(days=rng.randrange(30, 365 * 6))
                out["policies_recordedvalue"].add(
                    {
                        "definition_id": ctx["defined"][key],
                        "enterprise_id": enterprise_id,
                        "valid_from": start,
                        "valid_until": start + timedelta(days=365 * 3),
                        "source": "import",
                        "provenance": "基准数据",
                        "verified": True,
                        "created_at": now,
                    }
                )
        result.append((enterprise_id, park_id, street, chain_id, name))
    return result, {t: "".join(table.lines).encode() for t, table in out.items() if table.lines}


def _copy(conn: Any, tables: dict[str, Any]) -> int:
    """COPY each table's text; returns the rows written."""
    written = 0
    for name in BULK_TABLES:
        data = tables.get(name)
        if isinstance(data, Table):
            data = "".join(data.lines).encode()
        if not data:
            continue
        columns = _CTX["specs"][name][0]
        with conn.cursor() as cursor, cursor.copy(Table(name, columns, {}).statement()) as copy:
            copy.write(data)
        written += data.count(b"\n")
    return written


def _drop_indexes(conn: Any) -> list[str]:
    """Drop the bulk tables' secondary indexes (those that back no constraint); returns their definitions."""
    rows = conn.execute(
        "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i "
        "JOIN pg_class t ON t.oid = i.indrelid WHERE t.relname = ANY(%s) "
        "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)",
        [list(BULK_TABLES)],
    ).fetchall()
    for name, _definition in rows:
        conn.execute(f"DROP INDEX {name}")
    return [definition for _name, definition in rows]


def seed(url: str, talents: int, *, processes: int = 2) -> dict[str, Any]:
    """Seed the population of ``talents`` into the (migrated, empty) database Django is set up against."""
    import psycopg
    from django.contrib.auth.hashers import make_password
    from django.db import connection, connections, transaction
    from django.utils import timezone

    from talentcloud.accounts.models import Role, User
    from talentcloud.audit.services import audit_record
    from talentcloud.demo import reference as ref
    from talentcloud.demo.seed import seed_demo_accounts, seed_liaison, seed_reference
    from talentcloud.enterprises.models import IndustryChain
    from talentcloud.policies.loader import library_install
    from talentcloud.policies.models import FactDefinition
    from talentcloud.servicehall.models import Service
    from talentcloud.servicehall.seed import catalogue_install
    from talentcloud.talents.enums import Degree, PyramidCategory
    from talentcloud.talents.models import FamilyMember

    started = time.perf_counter()
    phases: dict[str, float] = {}

    def phase(name: str, since: float) -> float:
        phases[name] = time.perf_counter() - since
        print(f"  {name}: {phases[name]:.1f} s", flush=True)
        return time.perf_counter()

    print(f"seeding {talents:,} talents into {url.rsplit('/', 1)[1]} ({processes} processes) …", flush=True)
    mark = time.perf_counter()
    with transaction.atomic():
        units = seed_reference()
        seed_demo_accounts(units)
        catalogue_install()
        library_install()
        handlers = _window_staff(units)
    services = [
        (
            s.pk,
            s.department_id,
            s.current_id,
            list(s.current.form_fields if s.current else []),
            [u.pk for u in s.co_departments.all()],
        )
        for s in Service.objects.select_related("current").prefetch_related("co_departments").order_by("pk")
        if s.current_id and not s.for_enterprises
    ]
    users = {u.username: u.pk for u in User.objects.filter(username__in=["office", "cadre", "talent"])}
    roles = dict(Role.objects.values_list("code", "pk"))
    top = (User.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1000
    hr_base, talent_base = top, top + talents  # explicit account ids: no coordination between processes
    member_base = (FamilyMember.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1000
    defined = dict(FactDefinition.objects.values_list("key", "pk"))
    password = make_password(PASSWORD)
    street_units = [units[c] for c, _n, _e, _r in ref.STREETS]
    mark = phase("reference data, demo accounts, catalogue, policies", mark)

    conn = psycopg.connect(url)
    conn.execute("SET session_replication_role = replica")  # no foreign-key triggers: the rows are consistent
    conn.execute("SET synchronous_commit = off")
    conn.execute("SET maintenance_work_mem = '512MB'")
    specs = table_specs(conn)
    indexes = _drop_indexes(conn)
    conn.commit()
    male, female = _name_pools(20_000)
    _CTX.update(
        specs=specs,
        talents=talents,
        enterprise_count=max(10, talents // 3),
        chain_codes=list(IndustryChain.objects.order_by("sort_order").values_list("pk", "code")),
        parks=[(units[c].pk, c) for c, _n, _e in ref.PARKS],
        street_of={c: units[c].pk for c, _n, _e, _r in ref.STREETS},
        streets=[u.pk for u in street_units],
        street_names={u.pk: u.name for u in street_units},
        chains=dict(IndustryChain.objects.values_list("pk", "name")),
        names_male=male,
        names_female=female,
        today=timezone.localdate(),
        now=timezone.now(),
        office=users.get("office"),
        cadre=users.get("cadre"),
        demo_talent=users.get("talent"),
        talent_role=roles["talent"],
        hr_role=roles["enterprise-hr"],
        hr_base=hr_base,
        user_base=talent_base,
        member_base=member_base,
        defined=defined,
        password=password,
        categories=[
            PyramidCategory.TOP_EXPERT.value,
            PyramidCategory.HIGH_END_TEAM.value,
            PyramidCategory.ENTREPRENEUR.value,
            PyramidCategory.HIGH_LEVEL.value,
            PyramidCategory.YOUNG.value,
        ],
        category_weights=[2, 3, 10, 25, 60],
        degrees=[
            Degree.DOCTOR.value,
            Degree.MASTER.value,
            Degree.BACHELOR.value,
            Degree.JUNIOR_COLLEGE.value,
        ],
        degree_weights=[15, 35, 40, 10],
        services=services,
        handlers=handlers,
        posts=list(ref.POSTS),
    )
    connections.close_all()  # the workers fork: they must not share Django's connection
    enterprises: list[tuple[Any, ...]] = []
    rows = 0
    chunks = range((_CTX["enterprise_count"] + ENTERPRISE_CHUNK - 1) // ENTERPRISE_CHUNK)
    with multiprocessing.get_context("fork").Pool(processes) as pool:
        for made, tables in pool.imap(_enterprise_chunk, chunks):
            enterprises += made
            rows += _copy(conn, tables)
    conn.commit()
    _CTX["enterprises"] = enterprises  # before the talents' pool forks: every worker inherits the list
    mark = phase(f"{len(enterprises):,} enterprises, reports, administrators ({rows:,} rows)", mark)

    chunks = range((talents + CHUNK - 1) // CHUNK)
    rows = 0
    with multiprocessing.get_context("fork").Pool(processes) as pool:
        for n, tables in enumerate(pool.imap(_chunk, chunks), 1):
            rows += _copy(conn, tables)
            if n % max(1, len(chunks) // 10) == 0 or n == len(chunks):
                conn.commit()
                print(f"  … {min(n * CHUNK, talents):,} talents ({rows:,} rows)", flush=True)
    conn.commit()
    mark = phase(f"talents, facts, education, family, history, accounts, cases ({rows:,} rows)", mark)

    for definition in indexes:
        conn.execute(definition)
    conn.commit()
    mark = phase(f"{len(indexes)} indexes rebuilt", mark)
    conn.execute("SET session_replication_role = DEFAULT")
    for table in ("accounts_user", "talents_familymember"):
        conn.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
    conn.execute(
        "INSERT INTO servicehall_casecounter (day, last) SELECT left(right(number, 17), 8)::date, 99999 "
        "FROM servicehall_case WHERE number LIKE '320115-%%' GROUP BY 1 ON CONFLICT (day) DO UPDATE SET last = 99999"
    )
    conn.commit()
    conn.close()

    with transaction.atomic():
        seed_liaison(seed=SEED, units=units)
        audit_record(
            actor=None,
            actor_username="console",
            action="seed.run",
            details={"seed": SEED, "talents": talents, "enterprises": len(enterprises), "benchmark": True},
        )
    from talentcloud.talents.changes import verified_rebuild

    verified_rebuild()  # the facts were written by COPY: their verified bits from them at once
    with connection.cursor() as cursor:
        # VACUUM as well: a live table's visibility map (autovacuum keeps it), without which PostgreSQL
        # never chooses the index-only scans the capped counts and the list's scope filters are built for.
        cursor.execute("VACUUM (ANALYZE)")
    mark = phase("verified facts, liaison, audit, VACUUM (ANALYZE)", mark)
    seconds = time.perf_counter() - started
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    phases["cpu_main_s"] = own.ru_utime + own.ru_stime
    phases["cpu_workers_s"] = children.ru_utime + children.ru_stime
    print(
        f"  CPU: this process {phases['cpu_main_s']:.0f} s, row makers {phases['cpu_workers_s']:.0f} s "
        f"(PostgreSQL's not counted)",
        flush=True,
    )
    counts = {}
    with connection.cursor() as cursor:
        for table in ("talents_talent", "talents_factrecord", "accounts_user", "servicehall_case"):
            cursor.execute(f"SELECT count(*) FROM {table}")
            counts[table] = cursor.fetchone()[0]
        details = {
            "talents": talents,
            "seconds": seconds,
            "processes": processes,
            "counts": counts,
            "phases": phases,
        }
        cursor.execute(f"CREATE TABLE IF NOT EXISTS {MARKER} (finished_at timestamptz, details jsonb)")
        cursor.execute(f"INSERT INTO {MARKER} VALUES (now(), %s)", [json.dumps(details)])
    print(f"seeded {talents:,} talents in {seconds:.0f} s ({seconds / 60:.1f} min): {counts}", flush=True)
    return details


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--talents", type=int, default=100_000)
    parser.add_argument("--processes", type=int, default=2, help="worker processes making the rows")
    parser.add_argument("--force", action="store_true", help="seed again even when a complete one is there")
    args = parser.parse_args()
    ensure_population(args.talents, processes=args.processes, force=args.force)


if __name__ == "__main__":
    sys.exit(main())
