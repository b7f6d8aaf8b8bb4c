"""The stations' test world: the office, two overseas stations (their partner units and one partner account
each), a certified talent in the archive with a mobile number, and a reward rate on a budgeted policy."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest

from talentcloud.accounts.enums import UnitKind
from talentcloud.accounts.models import OrgUnit, Role, User
from talentcloud.accounts.services import orgunit_create, user_create
from talentcloud.accounts.tests.factories import PASSWORD
from talentcloud.certification.enums import Basis
from talentcloud.certification.services import Decision, certify
from talentcloud.payouts.services import budget_line_set
from talentcloud.policies.tests.factories import PolicyFactory
from talentcloud.stations import services
from talentcloud.stations.models import Station
from talentcloud.talents.models import Talent

PHONE = "13912345678"


def partner_account(unit: OrgUnit, username: str) -> User:
    return user_create(
        actor=None,
        username=username,
        password=PASSWORD,
        unit=unit,
        roles=[Role.objects.get(code="station-partner")],
    )


@dataclass
class World:
    office: User
    station_a: Station
    station_b: Station
    partner_a: User
    partner_b: User
    talent: Talent


def make_station(office: User, units: dict[str, OrgUnit], code: str, name: str, city: str) -> Station:
    unit = orgunit_create(
        actor=None,
        code=code,
        name=f"{name}合作方",
        name_en="",
        kind=UnitKind.EXTERNAL,
        parent=units["320115"],
    )
    return services.station_save(
        actor=office,
        data=services.StationInput(
            name=name,
            kind="overseas",
            country="德国" if city == "慕尼黑" else "英国",
            city=city,
            partner=f"{name}合作方",
            partner_unit=unit,
            transfer_agreement=f"标准合同备案 {code}",
            payee_account="622200001111222233",
        ),
    )


@pytest.fixture
def world(units: dict[str, OrgUnit], make_user: Any, kfq_firm: Any) -> World:
    office = make_user("talent-office", "320115-ZZB")
    station_a = make_station(office, units, "EXT-ST-MUC", "慕尼黑工作站", "慕尼黑")
    station_b = make_station(office, units, "EXT-ST-LON", "伦敦工作站", "伦敦")
    talent = Talent.objects.create(
        name="陈海归",
        gender="M",
        birth_date=dt.date(1986, 4, 1),
        highest_degree="doctor",
        category="high_level",
        employer=kfq_firm,
        phone=PHONE,
    )
    certify(
        actor=office,
        talent=talent,
        decision=Decision(
            grade="B",
            tier="",
            basis=Basis.DECISION,
            document_number="宁人才2号",
            effective_to=dt.date.today() + dt.timedelta(days=400),
            reason="test",
        ),
    )
    talent.refresh_from_db()
    policy = PolicyFactory.create(code="station-landing-reward")
    budget_line_set(
        actor=office,
        policy_code=policy.code,
        fiscal_year=dt.date.today().year,
        department=units["320115-ZZB"],
        amount=Decimal("1000000"),
    )
    services.rate_set(actor=office, for_grade="B", amount=Decimal("50000"), policy_code=policy.code)
    return World(
        office=office,
        station_a=station_a,
        station_b=station_b,
        partner_a=partner_account(station_a.partner_unit, "partner-muc"),
        partner_b=partner_account(station_b.partner_unit, "partner-lon"),
        talent=talent,
    )


def lead_of(actor: User, *, station: Station | None = None, phone: str = PHONE, **kw: Any) -> Any:
    data = services.LeadInput(
        name=kw.pop("name", "陈海归"),
        phone=phone,
        email=kw.pop("email", ""),
        country=kw.pop("country", "德国"),
        field=kw.pop("field", "集成电路"),
        contacted_on=kw.pop("contacted_on", dt.date.today()),
        consent=kw.pop("consent", True),
        consent_ref=kw.pop("consent_ref", "CB-2026-001"),
    )
    return services.lead_create(actor=actor, data=data, station=station)
