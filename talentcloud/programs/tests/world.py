"""A small world for the programmes' tests: a call, a talent of a park-A firm with an account, the firm's HR
account, park-A and park-B staff, the office, and a pool of experts of field F03."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import timezone

from talentcloud.accounts.models import User
from talentcloud.enterprises.models import Enterprise, EnterpriseMember
from talentcloud.enterprises.tests.factories import EnterpriseFactory
from talentcloud.payouts.services import budget_line_set
from talentcloud.programs import services
from talentcloud.programs.models import Application, Call, Criterion, Expert, Seat
from talentcloud.talents.models import Talent, TalentProgramme

_n = itertools.count(1)


@dataclass
class World:
    call: Call
    office: Any
    hr: Any
    park: Any
    other_park: Any
    firm: Enterprise
    make_user: Any

    def talent(
        self, name: str = "", *, firm: Enterprise | None = None, born: dt.date | None = None
    ) -> Talent:
        account = self.make_user("talent", None)
        return Talent.objects.create(
            name=name or f"申请人{next(_n)}",
            gender="F",
            birth_date=born or dt.date(1988, 5, 1),
            highest_degree="doctor",
            category="high_level",
            employer=firm or self.firm,
            account=account,
        )

    def application(self, talent: Talent | None = None, *, state: str = "draft", **kw: Any) -> Application:
        talent = talent or self.talent()
        assert talent.account is not None
        application = services.application_create(
            actor=talent.account,
            call=kw.pop("call", self.call),
            title=kw.pop("title", "高性能存储芯片"),
            field=kw.pop("field", "F03"),
            members=kw.pop("members", None),
            payee_account=kw.pop("payee_account", "6222020000123456789"),
        )
        steps = ["submit", "nominate", "recommend", "accept"]
        target = {"draft": 0, "submitted": 1, "nominated": 2, "recommended": 3, "accepted": 4}[state]
        for action in steps[:target]:
            actor = {
                "submit": talent.account,
                "nominate": self.hr_of(application.employer),
                "recommend": self.park,
                "accept": self.office,
            }[action]
            application = services.move(actor=actor, application=application, action=action, pledge=True)
        return application

    def hr_of(self, firm: Enterprise) -> Any:
        member = EnterpriseMember.objects.filter(enterprise=firm).first()
        if member is not None:
            return member.user
        user = self.make_user("enterprise-hr", None)
        EnterpriseMember.objects.create(enterprise=firm, user=user, is_admin=True)
        return user

    def experts(self, n: int, field: str = "F03", start: int = 1) -> list[Expert]:
        out = []
        for i in range(start, start + n):
            user = self.make_user("expert", "320115")
            out.append(
                services.expert_save(
                    actor=self.office,
                    code=f"E{i:04d}",
                    name=f"专家{i}",
                    fields=[field],
                    user=user,
                    affiliations=[(f"东南大学{i}系", dt.date(2010, 1, 1), None)],
                )
            )
        return out


def reviewer(seat: Seat) -> User:
    """The expert's account of a panel seat."""
    user = seat.expert.user
    assert user is not None
    return user


def make_call(code: str = "zjs-2026", **kw: Any) -> Call:
    programme, _created = TalentProgramme.objects.get_or_create(
        code="zijinshan-talents",
        defaults={"name": "紫金山英才计划", "name_en": "Zijinshan Talents", "level": "district"},
    )
    today = timezone.localdate()
    call = Call.objects.create(
        programme=programme,
        code=code,
        title=kw.pop("title", "2026 年紫金山英才计划（第一批）"),
        opens_on=today - dt.timedelta(days=10),
        closes_on=today + dt.timedelta(days=20),
        rule=kw.pop("rule", {"all": [{"fact": "age", "op": "<=", "value": 45}]}),
        places=kw.pop("places", 3),
        budget=kw.pop("budget", Decimal("3000000")),
        award_amount=kw.pop("award_amount", Decimal("1000000")),
        instalments=kw.pop(
            "instalments",
            [
                {"share": 50, "milestone": "立项"},
                {"share": 30, "milestone": "中期"},
                {"share": 20, "milestone": "结项"},
            ],
        ),
        grade="B",
        tier="pioneer",
        panel_size=kw.pop("panel_size", 3),
        **kw,
    )
    Criterion.objects.create(call=call, name="创新性", weight=40, order=1)
    Criterion.objects.create(call=call, name="团队", weight=30, order=2)
    Criterion.objects.create(call=call, name="产业前景", weight=30, order=3)
    return call


def make_world(make_user: Any, **call_kw: Any) -> World:
    firm = EnterpriseFactory.create(name="南京紫峰芯片有限公司")
    world = World(
        call=make_call(**call_kw),
        office=make_user("talent-office", "320115-ZZB"),
        hr=None,
        park=make_user("park-staff", "320115-P-KFQ"),
        other_park=make_user("park-staff", "320115-P-GXQ"),
        firm=firm,
        make_user=make_user,
    )
    world.hr = world.hr_of(firm)
    fund(world.call, world.office)
    return world


def fund(call: Call, office: Any, amount: Decimal | None = None) -> None:
    """The ledger's budget line of the call for this year (ADR 0030), given the call's budget."""
    budget_line_set(
        actor=office,
        policy_code=call.budget_line_code,
        fiscal_year=timezone.localdate().year,
        department=office.unit,
        amount=call.budget if amount is None else amount,
    )
