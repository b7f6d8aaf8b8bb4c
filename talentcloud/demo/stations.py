"""Workstations and events for the demo (#26): five stations (four overseas, one domestic landing carrier),
each with a partner unit and a demo partner account (``station-muc`` … printed among the logins), leads at
every stage — some verified, one person claimed by two stations, landed leads linked to archive records that
have arrived — and two events (a 逸才堂 salon and an international talent event) with registrations,
check-ins and attendees turned into leads."""

from __future__ import annotations

import random
from datetime import timedelta

from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from talentcloud.accounts.enums import UnitKind
from talentcloud.accounts.models import OrgUnit, Role, User
from talentcloud.accounts.services import orgunit_create, totp_device_create, user_create
from talentcloud.stations import services
from talentcloud.stations.models import Event, Lead, Station
from talentcloud.stations.workflow import lead_transition
from talentcloud.talents.models import Talent

# (account, unit code, name, English name, kind, country, city, partner)
STATIONS = [
    (
        "station-muc",
        "EXT-ST-MUC",
        "江宁区驻慕尼黑海外引才工作站",
        "Munich workstation",
        "overseas",
        "德国",
        "慕尼黑",
        "中德创新协会",
    ),
    (
        "station-lon",
        "EXT-ST-LON",
        "江宁区驻伦敦海外引才工作站",
        "London workstation",
        "overseas",
        "英国",
        "伦敦",
        "英中科技交流会",
    ),
    (
        "station-bos",
        "EXT-ST-BOS",
        "江宁区驻波士顿海外引才工作站",
        "Boston workstation",
        "overseas",
        "美国",
        "波士顿",
        "新英格兰华人学者协会",
    ),
    (
        "station-sin",
        "EXT-ST-SIN",
        "江宁区驻新加坡海外引才工作站",
        "Singapore workstation",
        "overseas",
        "新加坡",
        "新加坡",
        "狮城创业联盟",
    ),
    (
        "station-lcy",
        "EXT-ST-LCY",
        "江宁留学人员创业园落地载体",
        "Returnee park carrier",
        "domestic",
        "中国",
        "南京",
        "江宁留学人员创业园",
    ),
]
FIELDS = ["集成电路设计", "人工智能", "生物医药", "新能源汽车", "智能制造", "新材料"]
SURNAMES = "赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨"
GIVEN = "伟芳娜敏静磊洋勇艳杰娟涛明超秀霞"


def _partner(unit: OrgUnit, username: str, name: str, role: Role, generate_password: object) -> User:
    user = User.objects.filter(username=username).first() or user_create(
        actor=None,
        username=username,
        password=generate_password(username),  # type: ignore[operator]
        unit=unit,
        roles=[role],
        display_name=f"{name}合作人员",
        is_demo=True,
    )
    if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        totp_device_create(user=user, name="demo", confirmed=True)
    return user


def seed_stations(*, seed: int, units: dict[str, OrgUnit], generate_password: object) -> int:
    """Returns the number of leads."""
    if Station.objects.exists():
        return Lead.objects.count()
    rng = random.Random(seed + 26)
    office = User.objects.get(username="office")
    role = Role.objects.get(code="station-partner")
    stations: list[tuple[Station, User]] = []
    for username, code, name, name_en, kind, country, city, partner in STATIONS:
        unit = OrgUnit.objects.filter(code=code).first() or orgunit_create(
            actor=None, code=code, name=partner, name_en="", kind=UnitKind.EXTERNAL, parent=units["320115"]
        )
        station = services.station_save(
            actor=office,
            data=services.StationInput(
                name=name,
                name_en=name_en,
                kind=kind,
                country=country,
                city=city,
                partner=partner,
                partner_unit=unit,
                manager=office,
                transfer_agreement=f"个人信息出境标准合同备案 苏网信备〔2026〕{rng.randrange(100, 999)}号"
                if kind == "overseas"
                else "",
                payee_account=f"6222{rng.randrange(10**15, 10**16)}",
            ),
        )
        stations.append((station, _partner(unit, username, partner, role, generate_password)))

    arrived = list(
        Talent.objects.exclude(grade="")
        .exclude(phone_index="")
        .filter(arrived_on__isnull=False)
        .order_by("pk")[:6]
    )
    today = timezone.localdate()
    made = 0
    for index, (station, partner_user) in enumerate(stations):
        for n in range(6):
            name = rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN)
            lead = services.lead_create(
                actor=partner_user,
                data=services.LeadInput(
                    name=name,
                    phone=f"+49{rng.randrange(10**9, 10**10)}"
                    if index == 0
                    else f"139{rng.randrange(10**7, 10**8)}",
                    email=f"lead{index}{n}@example.org",
                    country=station.country,
                    field=rng.choice(FIELDS),
                    contacted_on=today - timedelta(days=rng.randrange(20, 200)),
                    consent=True,
                    consent_ref=f"CB-{station.partner_unit.code}-{n + 1:03d}",
                ),
            )
            made += 1
            if n >= 1:
                lead = services.lead_verify(actor=office, lead=lead)
            steps = ("interest", "visit", "sign")[: min(n, 3)]
            for action in steps:
                lead = lead_transition(actor=partner_user, lead=lead, action=action)
            services.activity_add(
                actor=partner_user, lead=lead, kind="call", note="视频沟通，介绍江宁人才政策"
            )
            if n == 5 and index < len(arrived):  # a landing: the archive record has arrived
                talent = arrived[index]
                lead = services.lead_link(actor=office, lead=lead, talent=talent)
                lead_transition(actor=office, lead=lead, action="land")
        if (
            index == 1 and arrived
        ):  # London also claims Munich's landed talent: Munich's contact was verified first
            claimed = services.lead_create(
                actor=partner_user,
                data=services.LeadInput(
                    name=arrived[0].name,
                    phone=arrived[0].phone,
                    country=station.country,
                    field=rng.choice(FIELDS),
                    contacted_on=today - timedelta(days=15),
                    consent=True,
                    consent_ref="CB-EXT-ST-LON-099",
                ),
            )
            claimed = services.lead_verify(actor=office, lead=claimed)
            services.lead_link(actor=office, lead=claimed, talent=arrived[0])  # one person: Munich keeps it
            made += 1

    starts = timezone.now().replace(hour=14, minute=0, second=0, microsecond=0)
    salon = services.event_save(
        actor=office,
        data=services.EventInput(
            title="逸才堂·海归博士创新创业沙龙",
            kind="salon",
            venue="江宁逸才堂（秣陵街道）",
            starts_at=starts + timedelta(days=6),
            capacity=60,
            station=stations[4][0],
            summary="围绕集成电路与人工智能方向，邀请海归博士分享在江宁创业的经历，介绍人才政策与落地服务。",
        ),
    )
    congress = services.event_save(
        actor=office,
        data=services.EventInput(
            title="江宁国际人才交流大会（慕尼黑专场）",
            kind="international",
            venue="慕尼黑国际会议中心",
            starts_at=starts + timedelta(days=20),
            capacity=200,
            station=stations[0][0],
            summary="面向在德华人学者和青年科学家，介绍江宁产业布局、人才政策和海外引才工作站服务。",
        ),
    )
    for event, count in ((salon, 8), (congress, 5)):
        registrations = [
            services.register(
                actor=None,
                event=event,
                name=rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN),
                phone=f"137{rng.randrange(10**7, 10**8)}",
            )
            for _ in range(count)
        ]
        if event is salon:
            for registration in registrations[:5]:
                services.check_in(actor=office, event=event, code=registration.code)
            made += services.event_leads(actor=office, event=event)
    assert Event.objects.count() == 2
    return made
