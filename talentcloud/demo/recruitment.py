"""引才 for the demo (#25): the office's posts, majors and skills dictionary, expected graduates of the
district's universities, demand of a few hundred enterprises (last year's reviewed, this year's some awaiting
their park), and last year's catalogue frozen and published, so this year's draft compares with it."""

from __future__ import annotations

import random
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from talentcloud.accounts.models import User
from talentcloud.enterprises.models import Enterprise
from talentcloud.recruitment import services
from talentcloud.recruitment.enums import DemandState, SalaryKind
from talentcloud.recruitment.models import Catalogue, Demand, GraduateSupply, Major, Post, Skill

MAJORS = [
    ("080701", "电子信息工程", "工学"),
    ("080702", "电子科学与技术", "工学"),
    ("080714T", "电子信息科学与技术", "工学"),
    ("080901", "计算机科学与技术", "工学"),
    ("080902", "软件工程", "工学"),
    ("080910T", "数据科学与大数据技术", "工学"),
    ("080717T", "人工智能", "工学"),
    ("080601", "电气工程及其自动化", "工学"),
    ("080202", "机械设计制造及其自动化", "工学"),
    ("080207", "车辆工程", "工学"),
    ("080407", "高分子材料与工程", "工学"),
    ("081301", "化学工程与工艺", "工学"),
    ("083001", "生物工程", "工学"),
    ("100701", "药学", "医学"),
    ("071001", "生物科学", "理学"),
    ("120201K", "工商管理", "管理学"),
    ("020301K", "金融学", "经济学"),
    ("080801", "自动化", "工学"),
]
POSTS = [
    ("2-02-09-01", "集成电路工程技术人员", ["080702", "080701"]),
    ("2-02-10-09", "人工智能工程技术人员", ["080717T", "080901"]),
    ("2-02-10-03", "软件开发工程技术人员", ["080902", "080901"]),
    ("2-02-10-11", "大数据工程技术人员", ["080910T"]),
    ("2-02-07-09", "新能源汽车工程技术人员", ["080207", "080601"]),
    ("2-02-11-01", "电气工程技术人员", ["080601"]),
    ("2-02-07-01", "机械设计工程技术人员", ["080202"]),
    ("2-02-14-02", "高分子材料工程技术人员", ["080407"]),
    ("2-02-13-01", "化工工程技术人员", ["081301"]),
    ("2-02-16-01", "生物工程技术人员", ["083001", "071001"]),
    ("2-05-06-01", "药物研发人员", ["100701"]),
    ("2-02-07-07", "自动控制工程技术人员", ["080801"]),
    ("2-02-10-06", "网络与信息安全工程技术人员", ["080901"]),
    ("2-06-07-02", "金融分析师", ["020301K"]),
    ("2-02-09-03", "电子元器件工程技术人员", ["080714T"]),
    ("6-25-04-00", "电子器件制造人员", ["080702"]),
    ("4-04-05-01", "人力资源管理专业人员", ["120201K"]),
    ("2-02-30-07", "智能制造工程技术人员", ["080202", "080801"]),
]
SKILLS = [
    "集成电路设计",
    "Verilog",
    "版图设计",
    "射频电路",
    "嵌入式开发",
    "机器学习",
    "深度学习",
    "计算机视觉",
    "自然语言处理",
    "Python",
    "Java",
    "C++",
    "数据库",
    "云计算",
    "大数据分析",
    "动力电池",
    "电机控制",
    "自动驾驶",
    "PLC编程",
    "工业机器人",
    "机械制图",
    "有限元分析",
    "高分子合成",
    "工艺放大",
    "细胞培养",
    "药物分析",
    "临床研究",
    "网络安全",
    "渗透测试",
    "财务分析",
    "风险控制",
    "项目管理",
]
UNIVERSITIES = [
    "东南大学江宁校区",
    "河海大学江宁校区",
    "南京航空航天大学将军路校区",
    "中国药科大学",
    "南京工程学院",
]
DEGREES = ["junior_college", "bachelor", "bachelor", "master", "master", "doctor"]


def seed_recruitment(*, seed: int, enterprises: int = 300) -> int:
    """The taxonomies, graduates, demand and last year's published catalogue. Returns the demand rows made."""
    rng = random.Random(seed + 25)
    office = User.objects.filter(username="office").first()
    today = timezone.localdate()
    this_year, last_year = today.year, today.year - 1
    with transaction.atomic():
        majors = {
            code: Major.objects.get_or_create(code=code, defaults={"name": n, "discipline": d})[0]
            for code, n, d in MAJORS
        }
        posts = []
        for code, name, related in POSTS:
            post, _created = Post.objects.get_or_create(
                code=code, defaults={"name": name, "category": "专业技术人员"}
            )
            post.majors.set([majors[m] for m in related])
            posts.append(post)
        skills = [Skill.objects.get_or_create(term=term)[0] for term in SKILLS]
        for year in (last_year, this_year):
            for university in UNIVERSITIES:
                for major in rng.sample(list(majors.values()), 8):
                    GraduateSupply.objects.get_or_create(
                        year=year,
                        university=university,
                        major=major,
                        degree=rng.choice(["bachelor", "master"]),
                        defaults={"count": rng.randrange(20, 400)},
                    )
        if Demand.objects.exists():
            return 0
        firms = list(Enterprise.objects.filter(pending_merge=False).order_by("name", "id")[:enterprises])
        weight = {p.code: rng.random() ** 2 for p in posts}  # some posts much sought after
        made: list[Demand] = []
        links: list[tuple[Demand, list[Major], list[Skill]]] = []
        for firm in firms:
            for year in (last_year, this_year):
                for _n in range(rng.randrange(1, 3)):
                    post = rng.choices(posts, weights=[weight[p.code] + 0.05 for p in posts])[0]
                    kind = rng.choice(
                        [SalaryKind.MONTHLY, SalaryKind.MONTHLY, SalaryKind.ANNUAL, SalaryKind.NEGOTIABLE]
                    )
                    low = (
                        rng.randrange(8, 40) * 1000
                        if kind == SalaryKind.MONTHLY
                        else rng.randrange(10, 80) * 10000
                    )
                    high = low + rng.randrange(0, 4) * (1000 if kind == SalaryKind.MONTHLY else 50000)
                    annual = services.annual_band(kind, low, high)
                    if year == last_year:
                        state = rng.choice([DemandState.FILLED, DemandState.EXPIRED, DemandState.FILLED])
                        deadline = today - timedelta(days=rng.randrange(30, 300))
                    else:
                        state = rng.choice([DemandState.OPEN, DemandState.OPEN, DemandState.SUBMITTED])
                        deadline = today + timedelta(days=rng.randrange(20, 200))
                    demand = Demand(
                        enterprise=firm,
                        park_id=firm.park_id,
                        street_id=firm.street_id,
                        post=post,
                        headcount=rng.randrange(1, 8),
                        degree=rng.choice(DEGREES),
                        experience_years=rng.choice([0, 0, 1, 3, 5, 8]),
                        salary_kind=kind,
                        salary_min=None if kind == SalaryKind.NEGOTIABLE else low,
                        salary_max=None if kind == SalaryKind.NEGOTIABLE else high,
                        annual_min=annual[0],
                        annual_max=annual[1],
                        chain_id=firm.chain_id,
                        location=firm.address[:100],
                        deadline=deadline,
                        year=year,
                        state=state,
                    )
                    made.append(demand)
                    links.append(
                        (
                            demand,
                            rng.sample(list(post.majors.all()), 1),
                            rng.sample(skills, rng.randrange(0, 5)),
                        )
                    )
        Demand.objects.bulk_create(made, batch_size=2000)
        Demand.majors.through.objects.bulk_create(
            [Demand.majors.through(demand_id=d.pk, major_id=m.pk) for d, ms, _s in links for m in ms]
        )
        Demand.skills.through.objects.bulk_create(
            [Demand.skills.through(demand_id=d.pk, skill_id=s.pk) for d, _m, ss in links for s in ss]
        )
    if office is not None and not Catalogue.objects.filter(year=last_year).exists():
        last = services.catalogue_open(actor=office, year=last_year)
        services.catalogue_freeze(actor=office, catalogue=last)
        services.catalogue_publish(actor=office, catalogue=last)
        services.catalogue_open(actor=office, year=this_year)
    return len(made)
