"""Deterministic synthetic Jiangning data: units, chains, roles, demo accounts, talents, enterprises.

The same ``seed`` gives the same data. Rows are bulk-inserted; the whole seed writes one audit event
with its counts.
"""

from __future__ import annotations

import math
import random
import secrets
import string
import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.contrib.auth.password_validation import UserAttributeSimilarityValidator
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from faker import Faker
from stdnum.cn import uscc
from stdnum.iso7064 import mod_11_2

from talentcloud.accounts.enums import UnitKind
from talentcloud.accounts.models import OrgUnit, Role, User
from talentcloud.accounts.roles import roles_install
from talentcloud.accounts.services import (
    orgunit_create,
    password_reset_by_operator,
    totp_device_create,
    user_create,
)
from talentcloud.audit.services import audit_record
from talentcloud.enterprises.models import (
    AnnualReport,
    Enterprise,
    EnterpriseMember,
    IndustryChain,
    KeyPerson,
)
from talentcloud.policies.loader import library_install
from talentcloud.policies.sweep import sweep
from talentcloud.servicehall.seed import catalogue_install
from talentcloud.talents.enums import Degree, Gender, PyramidCategory
from talentcloud.talents.models import Contact, Need, Talent

from . import reference as ref
from .campaigns import seed_campaigns
from .certification import seed_certifications
from .hall import demo_cases
from .matching import seed_matching
from .payouts import seed_payouts
from .programs import seed_programmes
from .recruitment import seed_recruitment
from .stations import seed_stations
from .talentcode import seed_talent_codes
from .vocabulary import seed_vocabulary

# username, display name, role code, unit code
DEMO_ACCOUNTS: list[tuple[str, str, str, str | None]] = [
    ("office", "人才办 王主任", "talent-office", "320115-ZZB"),
    ("office-head", "人才办负责人 赵主任", "talent-office-head", "320115-ZZB"),  # publishes policy drafts
    ("rsj", "人社局窗口 李敏", "service-staff", "320115-RSJ"),
    ("zjj", "住建局窗口 孙倩", "service-staff", "320115-ZJJ"),
    ("zjj-head", "住建局 负责人 钱立", "department-head", "320115-ZJJ"),
    ("wjw", "卫健委窗口 何静", "service-staff", "320115-WJW"),
    ("park-kfq", "开发区 张园", "park-staff", "320115-P-KFQ"),
    ("park-gxq", "高新区 陈辉", "park-staff", "320115-P-GXQ"),
    ("street-ds", "东山街道 刘婷", "street-staff", "320115-S-DS"),
    ("cadre", "联系领导 周建国", "liaison-cadre", "320115-ZZB"),
    ("expert", "评审专家 吴教授", "expert", "320115-KJJ"),
    ("thinktank", "智库 郑研究员", "think-tank", "320115-ZZB"),
    ("sysadmin", "系统管理员", "system-admin", "320115-ZZB"),
    ("secadmin", "安全管理员", "security-admin", "320115-ZZB"),
    ("auditor", "审计管理员", "audit-admin", "320115-ZZB"),
    ("czj", "财政局 林会计", "finance-bureau", "320115-CZJ"),  # approves payment batches (#22)
    ("talent", "人才 演示账号", "talent", None),
    ("hr", "企业人事 演示账号", "enterprise-hr", None),
]


@dataclass
class SeedResult:
    units: int = 0
    chains: int = 0
    enterprises: int = 0
    talents: int = 0
    accounts: list[str] = field(default_factory=list)


def _uuid(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def generate_password(username: str = "", rng: random.Random | None = None) -> str:
    """A password that meets the policy: three groups of letters and digits joined by dashes.

    Given the account's username, the password is also never "too similar" to it: Django's similarity check
    compares character multisets, so a dashed username such as ``prog-talent-9`` shares the dashes and enough
    letters with one random draw in a few hundred.
    """
    rng = rng or secrets.SystemRandom()
    alphabet = string.ascii_letters + string.digits
    similarity = UserAttributeSimilarityValidator()
    candidate = User(username=username)
    while True:
        groups = ["".join(rng.choice(alphabet) for _ in range(5)) for _ in range(3)]
        password = "-".join(groups)
        if not (
            any(c.islower() for c in password)
            and any(c.isupper() for c in password)
            and any(c.isdigit() for c in password)
        ):
            continue
        try:
            similarity.validate(password, candidate)
        except ValidationError:
            continue
        return password


def credit_code(rng: random.Random) -> str:
    """A unified social credit code with a correct GB 32100 check character (registered in Jiangning)."""
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    body = "91320115" + "".join(rng.choice(alphabet) for _ in range(9))
    return body + uscc.calc_check_digit(body)


def resident_id(rng: random.Random, born: date, gender: str) -> str:
    """A synthetic resident ID number with a correct check digit (GB 11643)."""
    area = rng.choices([a for a, _w in ref.ID_AREA_CODES], weights=[w for _a, w in ref.ID_AREA_CODES])[0]
    sequence = rng.randrange(0, 500) * 2 + (1 if gender == Gender.MALE else 0)
    first17 = f"{area}{born:%Y%m%d}{sequence:03d}"
    return first17 + mod_11_2.calc_check_digit(first17)


def mobile(rng: random.Random) -> str:
    return rng.choice(ref.MOBILE_PREFIXES) + f"{rng.randrange(0, 10**8):08d}"


def seed_reference() -> dict[str, OrgUnit]:
    units: dict[str, OrgUnit] = {}
    if OrgUnit.objects.exists():
        return {u.code: u for u in OrgUnit.objects.all()}
    code, name, name_en = ref.DISTRICT
    district = orgunit_create(
        actor=None, code=code, name=name, name_en=name_en, kind=UnitKind.DISTRICT, parent=None
    )
    units[code] = district
    order = 0
    for group, kind in ((ref.DEPARTMENTS, UnitKind.DEPARTMENT), (ref.PARKS, UnitKind.PARK)):
        for code, name, name_en in group:
            order += 1
            units[code] = orgunit_create(
                actor=None,
                code=code,
                name=name,
                name_en=name_en,
                kind=kind,
                parent=district,
                sort_order=order,
            )
    for code, name, name_en, _roads in ref.STREETS:
        order += 1
        units[code] = orgunit_create(
            actor=None,
            code=code,
            name=name,
            name_en=name_en,
            kind=UnitKind.STREET,
            parent=district,
            sort_order=order,
        )
    for order, (code, name, name_en) in enumerate(ref.CHAINS):
        IndustryChain.objects.get_or_create(
            code=code, defaults={"name": name, "name_en": name_en, "sort_order": order}
        )
    roles_install()
    return units


def seed_demo_accounts(units: dict[str, OrgUnit]) -> list[User]:
    roles = {r.code: r for r in Role.objects.all()}
    accounts = []
    for username, display, role_code, unit_code in DEMO_ACCOUNTS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = user_create(
                actor=None,
                username=username,
                password=generate_password(username),
                unit=units[unit_code] if unit_code else None,
                roles=[roles[role_code]],
                display_name=display,
                is_demo=True,
            )
        if user.requires_second_factor and not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
            totp_device_create(user=user, name="demo", confirmed=True)
        accounts.append(user)
    return accounts


def demo_passwords_reset() -> dict[str, str]:
    """New passwords for every demo account (printed by `talentcloud demo`)."""
    passwords = {}
    for user in User.objects.filter(is_demo=True).order_by("pk"):
        password = generate_password(user.username)
        password_reset_by_operator(user=user, new_password=password, validate=False)
        passwords[user.username] = password
    return passwords


def seed_population(
    *, talents: int, seed: int, units: dict[str, OrgUnit], batch_size: int = 5000
) -> SeedResult:
    rng = random.Random(seed)
    fake = Faker("zh_CN")
    fake.seed_instance(seed)
    chains = list(IndustryChain.objects.order_by("sort_order"))
    parks = [units[c] for c, _n, _e in ref.PARKS]
    streets = {c: units[c] for c, _n, _e, _r in ref.STREETS}
    roads = {c: r for c, _n, _e, r in ref.STREETS}
    result = SeedResult()

    n_enterprises = max(10, talents // 3)
    enterprises: list[Enterprise] = []
    names: set[str] = set()
    for i in range(n_enterprises):
        chain = rng.choice(chains)
        in_park = rng.random() < 0.75
        park = rng.choice(parks) if in_park else None
        street_code = rng.choice(ref.PARK_STREETS[park.code]) if park else rng.choice(list(streets))
        words = rng.choice(ref.ENTERPRISE_WORDS) + rng.choice(ref.ENTERPRISE_WORDS)
        name = f"南京{words}{rng.choice(ref.CHAIN_SUFFIX[chain.code])}有限公司"
        if name in names:
            name = f"{name[:-4]}（{i}）有限公司"
        names.add(name)
        enterprises.append(
            Enterprise(
                id=_uuid(rng),
                name=name,
                credit_code=credit_code(rng),
                park=park,
                street=streets[street_code],
                chain=chain,
                founded_on=date(2005, 1, 1) + timedelta(days=rng.randrange(0, 7000)),
                address=f"南京市江宁区{rng.choice(roads[street_code])}{rng.randrange(1, 999)}号",
            )
        )
    seen_codes: set[str] = set()
    unique_enterprises = []
    for e in enterprises:
        if e.credit_code not in seen_codes:
            seen_codes.add(e.credit_code)
            unique_enterprises.append(e)
    Enterprise.objects.bulk_create(unique_enterprises, batch_size=batch_size)
    result.enterprises = len(unique_enterprises)

    cadre = User.objects.filter(username="cadre").first()
    talent_user = User.objects.filter(username="talent").first()
    if talent_user is not None and Talent.objects.filter(account=talent_user).exists():
        talent_user = None
    categories = [
        (PyramidCategory.TOP_EXPERT, 2),
        (PyramidCategory.HIGH_END_TEAM, 3),
        (PyramidCategory.ENTREPRENEUR, 10),
        (PyramidCategory.HIGH_LEVEL, 25),
        (PyramidCategory.YOUNG, 60),
    ]
    degrees = [(Degree.DOCTOR, 15), (Degree.MASTER, 35), (Degree.BACHELOR, 40), (Degree.JUNIOR_COLLEGE, 10)]
    batch: list[Talent] = []
    ranks = random.Random(seed + 7)  # tiers and grades from their own stream: the other fields stay as before
    for i in range(talents):
        employer = rng.choice(unique_enterprises)
        category = rng.choices([c for c, _w in categories], weights=[w for _c, w in categories])[0]
        gender = rng.choice([Gender.MALE, Gender.FEMALE])
        name = fake.name_male() if gender == Gender.MALE else fake.name_female()
        born = date(1960, 1, 1) + timedelta(days=rng.randrange(0, 365 * 42))
        high_level = category in (
            PyramidCategory.TOP_EXPERT,
            PyramidCategory.HIGH_END_TEAM,
            PyramidCategory.ENTREPRENEUR,
        )
        batch.append(
            Talent(
                id=_uuid(rng),
                name=name,
                gender=gender,
                birth_date=born,
                id_number=resident_id(rng, born, gender),
                phone=mobile(rng),
                highest_degree=rng.choices([d for d, _w in degrees], weights=[w for _d, w in degrees])[0],
                category=category,
                tier=_tier(ranks, category),
                grade=_grade(ranks, category),
                employer=employer,
                post=rng.choice(ref.POSTS),
                chain=employer.chain,
                residence_street=employer.street
                if rng.random() < 0.6
                else rng.choice(list(streets.values())),
                arrived_on=date(2015, 1, 1) + timedelta(days=rng.randrange(0, 365 * 11)),
                liaison=cadre if cadre is not None and high_level and rng.random() < 0.5 else None,
                account=talent_user if i == 0 else None,
            )
        )
        if len(batch) >= batch_size:
            Talent.objects.bulk_create(batch, batch_size=batch_size)
            batch = []
    Talent.objects.bulk_create(batch, batch_size=batch_size)
    result.talents = talents
    return result


GRADES_BY_CATEGORY = {
    PyramidCategory.TOP_EXPERT: "AB",
    PyramidCategory.HIGH_END_TEAM: "BC",
    PyramidCategory.ENTREPRENEUR: "CD",
    PyramidCategory.HIGH_LEVEL: "DE",
    PyramidCategory.YOUNG: "EF",
}


def _grade(rng: random.Random, category: str) -> str:
    """Most top experts are certified; about a third of young talents are."""
    share = 0.35 if category == PyramidCategory.YOUNG else 0.8
    return rng.choice(GRADES_BY_CATEGORY[PyramidCategory(category)]) if rng.random() < share else ""


def _tier(rng: random.Random, category: str) -> str:
    if category in (PyramidCategory.TOP_EXPERT, PyramidCategory.HIGH_END_TEAM):
        return "peak" if rng.random() < 0.5 else ""
    if category in (PyramidCategory.ENTREPRENEUR, PyramidCategory.HIGH_LEVEL):
        return "pioneer" if rng.random() < 0.3 else ""
    return rng.choice(["gathering", "elite", "", "", ""])


def seed_liaison(*, seed: int, units: dict[str, OrgUnit]) -> int:
    """Contacts and needs for the demo cadre's talents: some answered, some open, some overdue."""
    rng = random.Random(seed + 1)
    cadre = User.objects.filter(username="cadre").first()
    if cadre is None:
        return 0
    departments = [units[c] for c in ("320115-ZJJ", "320115-JYJ", "320115-WJW", "320115-RSJ")]
    topics = ["人才公寓申请", "子女入学", "配偶就业", "就医绿色通道", "项目用地", "融资对接"]
    today = timezone.localdate()
    contacts, needs = [], []
    for talent in Talent.objects.filter(liaison=cadre).order_by("pk")[:40]:
        happened = today - timedelta(days=rng.randrange(5, 200))
        contact = Contact(
            talent=talent,
            cadre=cadre,
            kind=rng.choice(["visit", "call", "meeting"]),
            happened_on=happened,
            summary="走访了解近况",
        )
        contacts.append(contact)
        if rng.random() < 0.6:
            raised = happened
            answered = rng.random() < 0.5
            needs.append(
                Need(
                    talent=talent,
                    contact=contact,
                    raised_by=cadre,
                    title=rng.choice(topics),
                    owner_department=rng.choice(departments),
                    raised_on=raised,
                    due_on=raised + timedelta(days=14),
                    status="answered" if answered else "open",
                    reply="已协调办理" if answered else "",
                )
            )
    Contact.objects.bulk_create(contacts)
    Need.objects.bulk_create(needs)
    return len(needs)


# Jiangning's enterprises are mostly small technology firms. Sizes follow the national SME classes by staff
# (工信部联企业〔2011〕300号, software and information services: micro < 10 … medium < 300, large
# beyond), most firms micro or small; revenue is staff × revenue per head (about 60 万元 a year, rarely
# below 15 or above 250); R&D 1–12 % of revenue; patents granted in a year a few per dozen staff. Figures
# are in 万元.
FIRM_SIZES = ((0.50, 3, 10), (0.33, 10, 100), (0.14, 100, 300), (0.03, 300, 2000))  # share, staff from, to


def enterprise_figures(rng: random.Random) -> list[dict[str, Any]]:
    """Three consecutive years of one enterprise's report figures, oldest first."""
    [(low, high)] = rng.choices(
        [(low, high) for _s, low, high in FIRM_SIZES], [s for s, _l, _h in FIRM_SIZES]
    )
    staff = round(math.exp(rng.uniform(math.log(low), math.log(high))))
    per_head = min(250.0, max(15.0, rng.lognormvariate(math.log(60), 0.45)))
    revenue = staff * per_head
    intensity = rng.uniform(0.01, 0.12)
    years = []
    for _year in range(3):
        years.append(
            {
                "revenue": Decimal(str(round(revenue, 2))),
                "rd_spend": Decimal(str(round(revenue * intensity, 2))),
                "staff": staff,
                "patents": rng.randrange(0, staff // 12 + 2),
                "funding_raised": Decimal(str(round(revenue * rng.uniform(0.2, 1.0))))
                if rng.random() < 0.12
                else Decimal(0),
            }
        )
        roll = rng.random()  # next year: most grow a little, some fast (gazelles), some shrink
        growth = (
            rng.uniform(1.2, 1.6)
            if roll < 0.2
            else rng.uniform(0.7, 0.95)
            if roll > 0.9
            else rng.uniform(0.95, 1.2)
        )
        revenue *= growth
        staff = max(3, round(staff * (1 + (growth - 1) * 0.6)))
        intensity = min(0.12, max(0.01, intensity * rng.uniform(0.85, 1.15)))
    return years


def seed_enterprise_figures(*, seed: int, batch_size: int = 5000) -> int:
    """Three years of figures per enterprise (``enterprise_figures``); founders among the talents."""
    rng = random.Random(seed + 2)
    year = timezone.localdate().year
    reports = []
    for enterprise in Enterprise.objects.order_by("pk").only("pk").iterator():
        for offset, figures in zip((3, 2, 1), enterprise_figures(rng), strict=True):
            reports.append(AnnualReport(enterprise_id=enterprise.pk, year=year - offset, **figures))
    AnnualReport.objects.bulk_create(reports, batch_size=batch_size)
    founders = Talent.objects.filter(
        category=PyramidCategory.ENTREPRENEUR, employer__isnull=False
    ).values_list("pk", "employer_id")
    KeyPerson.objects.bulk_create(
        [KeyPerson(enterprise_id=e, talent_id=t, role="创始人") for t, e in founders],
        batch_size=batch_size,
        ignore_conflicts=True,
    )
    return len(reports)


def seed_enterprise_accounts() -> None:
    """The demo HR account administers the first enterprise of the development zone (and so confirms its
    HR staff); other enterprises have no accounts yet."""
    hr = User.objects.filter(username="hr").first()
    firm = Enterprise.objects.filter(park__code="320115-P-KFQ").order_by("name", "id").first()
    if hr is not None and firm is not None and not EnterpriseMember.objects.filter(user=hr).exists():
        EnterpriseMember.objects.create(enterprise=firm, user=hr, is_admin=True)


def seed_all(*, talents: int, seed: int) -> SeedResult:
    with transaction.atomic():
        units = seed_reference()
        accounts = seed_demo_accounts(units)
        result = seed_population(talents=talents, seed=seed, units=units)
        seed_certifications(seed=seed)  # the history the seeded grades and tiers rest on (#21)
        seed_liaison(seed=seed, units=units)
        seed_enterprise_figures(seed=seed)
        seed_enterprise_accounts()
        catalogue_install()
        library_install()
        seed_vocabulary(seed=seed)  # what the ten demo texts P1–P10 read (issue #19)
        seed_talent_codes(seed=seed, units=units, generate_password=generate_password)  # 人才码 (#23)
        if talents <= 10_000:  # the demo; benchmark populations get their cases from bulk_cases
            demo_cases(seed=seed)
            seed_recruitment(seed=seed)  # demand, graduates, last year's published catalogue (#25)
            seed_programmes(seed=seed)  # two calls, experts with ties, panels, scores, approvals (#24)
            seed_matching(seed=seed)  # job-seeker profiles with consent shaped after the demo HR's post (#26)
            seed_campaigns(seed=seed)  # three 招贤令, a 双选会 open now, applications in every stage (#26)

            sweep()  # 免申即享 has run once: the demo shows what it found (the scheduler runs it nightly)
            seed_payouts(seed=seed)  # a year of 政策兑现: batches, a re-issued line, a suspension, a clawback
            seed_stations(seed=seed, units=units, generate_password=generate_password)  # workstations, events
        result.units = OrgUnit.objects.count()
        result.chains = IndustryChain.objects.count()
        result.accounts = [a.username for a in accounts]
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")  # fresh planner statistics after a bulk load
        audit_record(
            actor=None,
            actor_username="console",
            action="seed.run",
            details={
                "seed": seed,
                "talents": result.talents,
                "enterprises": result.enterprises,
                "units": result.units,
            },
        )
    return result
