"""The talent code's test world: the four scenes (migration 0002), a certified talent with an account, a
hospital and a school as verifier units with one account each, an outsider unit that is no verifier."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest

from talentcloud.accounts.enums import UnitKind
from talentcloud.accounts.models import OrgUnit, Role, User
from talentcloud.accounts.services import orgunit_create, user_create
from talentcloud.accounts.tests.factories import PASSWORD
from talentcloud.certification.enums import Basis
from talentcloud.certification.services import Decision, certify
from talentcloud.talentcode import services
from talentcloud.talentcode.models import Scene, TalentCode, Verifier
from talentcloud.talentcode.scenes import scenes_install
from talentcloud.talents.models import Talent


def external(code: str, name: str, units: dict[str, OrgUnit]) -> OrgUnit:
    return orgunit_create(
        actor=None, code=code, name=name, name_en="", kind=UnitKind.EXTERNAL, parent=units["320115"]
    )


def member(unit: OrgUnit, username: str) -> User:
    return user_create(
        actor=None,
        username=username,
        password=PASSWORD,
        unit=unit,
        roles=[Role.objects.get(code="code-verifier")],
    )


@dataclass
class World:
    office: User
    account: User
    talent: Talent
    code: TalentCode
    verifiers: dict[str, User]  # scene code → an account of a unit verifying that scene only
    outsider: User


def certified(office: User, talent: Talent, grade: str) -> None:
    certify(
        actor=office,
        talent=talent,
        decision=Decision(
            grade=grade,
            tier="",
            basis=Basis.DECISION,
            document_number="宁人才1号",
            effective_to=dt.date.today() + dt.timedelta(days=400),
            reason="test",
        ),
    )


@pytest.fixture
def world(units: dict[str, OrgUnit], make_user: Any, kfq_firm: Any) -> World:
    scenes_install()  # gone after a transactional test's flush
    office = make_user("talent-office", "320115-ZZB")
    account = make_user("talent", None)
    talent = Talent.objects.create(
        name="冯甲园",
        gender="F",
        birth_date=dt.date(1987, 3, 1),
        highest_degree="doctor",
        category="high_level",
        employer=kfq_firm,
        account=account,
    )
    certified(office, talent, "C")
    code = services.issue(actor=office, talent=talent, basis="office")
    verifiers = {}
    for scene in Scene.objects.all():
        unit = external(f"EXT-{scene.code.upper()}", f"{scene.name}单位", units)
        verifier = Verifier.objects.create(unit=unit)
        verifier.scenes.set([scene])
        verifiers[scene.code] = member(unit, f"verifier-{scene.code}")
    outsider = member(external("EXT-NONE", "无关单位", units), "outsider")
    return World(office, account, talent, code, verifiers, outsider)
