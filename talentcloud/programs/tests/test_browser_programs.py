"""The main journey in Debian's chromium (#24): a talent reads the call's conditions and applies with the
integrity pledge → the employer nominates → the park recommends → the office's formal check → the office
records the ceremony and draws the panel → the experts score (blind) → the office publishes the list (公示) →
a verified person objects on the portal page and the office answers → the window passes → the office approves
from the ranking → the talent reads the approval, its instalments, their new grade, and the first instalment
in "my payments" (the ledger's award, ADR 0030)."""

from __future__ import annotations

import datetime as dt
import os
from typing import Any

import pytest
from playwright.sync_api import expect

from talentcloud.conftest import CHROMIUM, browser_sign_in
from talentcloud.programs.enums import SeatStatus
from talentcloud.programs.models import Application, Objection, PublicityEntry

from .world import make_world, reviewer

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not os.path.exists(CHROMIUM), reason="Debian chromium is not installed (make browser-deps)"
    ),
]


def _as(browser_context: Any, base: str, user: Any, width: int = 1366, height: int = 900) -> Any:
    page = browser_context.new_context(locale="zh-CN").new_page()
    page.set_default_timeout(20_000)
    page.set_viewport_size({"width": width, "height": height})
    browser_sign_in(page, base, user)
    return page


def _act(page: Any, base: str, application: Application, action: str, note: str = "") -> None:
    page.goto(f"{base}/programs/applications/{application.pk}/")
    form = page.locator(f'form:has(button[data-action="{action}"])')
    if note:
        form.locator("textarea").fill(note)
    if action == "submit":
        form.locator('input[name="pledge"]').check()
    with page.expect_navigation():
        form.locator(f'button[data-action="{action}"]').click()


def test_apply_nominate_recommend_check_draw_score_approve(browser_context, live_server, make_user):
    base = live_server.url
    world = make_world(make_user, blind=True)
    world.experts(3)
    talent = world.talent("林可欣")
    me = _as(browser_context, base, talent.account, 390, 844)
    me.goto(f"{base}/programs/")
    card = me.locator(f'[data-testid="call-{world.call.code}"]')
    assert "您可以申报" in card.locator('[data-testid="eligibility"]').inner_text()
    card.get_by_label("项目名称").fill("面向车规级芯片的高可靠封装")
    card.get_by_label("学科领域").fill("F03")
    card.get_by_label("资助收款银行账户").fill("6222 0200 0012 3456 789")
    card.get_by_role("button", name="开始申报").click()
    me.wait_for_url("**/programs/applications/*/")
    application = Application.objects.get()
    _act(me, base, application, "submit")
    assert Application.objects.get().state == "submitted"

    _act(_as(browser_context, base, world.hr), base, application, "nominate")
    _act(_as(browser_context, base, world.park), base, application, "recommend")
    office = _as(browser_context, base, world.office)
    _act(office, base, application, "accept")
    assert Application.objects.get().state == "accepted"

    office.goto(f"{base}/programs/calls/{world.call.pk}/")
    office.get_by_label("数字").fill("20261130")
    office.get_by_label("见证人").fill("公证员 王律师")
    with office.expect_navigation():
        office.get_by_role("button", name="记录抽签仪式数字").click()
    office.goto(f"{base}/programs/applications/{application.pk}/")
    office.get_by_label("抽签仪式").select_option(index=0)
    office.get_by_role("button", name="抽取评审专家").click()
    office.locator('[data-testid="seats"]').wait_for()

    row = application.draws.get()
    for seat in row.seats.filter(status=SeatStatus.SEATED):
        expert = _as(browser_context, base, reviewer(seat))
        expert.goto(f"{base}/programs/reviews/")
        expert.get_by_role("link", name="面向车规级芯片的高可靠封装").click()
        # the sheet itself, not the list still shown while the click navigates: .all() does not wait
        expert.wait_for_url(f"**/programs/reviews/{application.pk}/")
        boxes = expert.locator('input[type="number"]')
        expect(boxes).to_have_count(world.call.criteria.count())
        body = expert.content()
        assert "林可欣" not in body
        assert world.firm.name not in body
        for box in boxes.all():
            box.fill("86")
        with expert.expect_navigation():
            expert.get_by_role("button", name="提交评分").click()
        assert "您的评分已提交" in expert.content()

    office.goto(f"{base}/programs/calls/{world.call.pk}/")
    assert "86.00" in office.locator('[data-testid="ranking"]').inner_text()
    office.get_by_label("公示工作日数").fill("5")
    with office.expect_navigation():
        office.get_by_role("button", name="发布拟入选名单公示").click()
    entry = PublicityEntry.objects.get()

    objector = _as(browser_context, base, world.talent("周明").account)
    objector.goto(f"{base}/programs/calls/{world.call.pk}/publicity/")
    line = objector.locator('[data-testid="publicity"]').inner_text()
    assert "林" in line
    assert "林可欣" not in line
    objector.get_by_label("异议").fill("申请人工作单位信息需核实")
    with objector.expect_navigation():
        objector.get_by_role("button", name="提交异议").click()
    assert Objection.objects.get().status == "pending"

    office.goto(f"{base}/programs/calls/{world.call.pk}/")
    assert "申请人工作单位信息需核实" in office.locator('[data-testid="objections"]').inner_text()
    office.get_by_label("答复").fill("经核实，劳动合同与社保缴纳单位一致，异议不成立。")
    with office.expect_navigation():
        office.get_by_role("button", name="驳回").click()
    assert Objection.objects.get().status == "dismissed"
    # the five working days pass (the window's counting is test_publicity's): the line's window is over
    PublicityEntry.objects.filter(pk=entry.pk).update(
        starts_on=entry.starts_on - dt.timedelta(days=14), ends_on=entry.ends_on - dt.timedelta(days=14)
    )

    office.goto(f"{base}/programs/calls/{world.call.pk}/")
    with office.expect_navigation():
        office.get_by_role("button", name="批准").click()
    assert Application.objects.get().state == "approved"

    me.goto(f"{base}/programs/applications/{application.pk}/")
    award = me.locator('[data-testid="award"]').inner_text()
    assert "500000.00 · 立项" in award
    steps = me.locator('[data-testid="steps"]').inner_text()
    assert "单位推荐" in steps
    assert "属地推荐" in steps
    me.goto(f"{base}/certification/me/")
    assert "B" in me.locator('[data-testid="current-certification"]').inner_text()
    me.goto(f"{base}/payouts/me/")
    paid = me.locator('[data-testid="award"]').inner_text()
    assert world.call.title in paid
    first = me.locator('[data-testid="line"][data-status="due"]')
    assert first.count() == 1
    assert "500000.00" in first.inner_text()
    assert "立项" in first.inner_text()
    assert me.locator('[data-testid="line"][data-status="awaiting"]').count() == 2
