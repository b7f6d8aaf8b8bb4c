"""The station part of the 引才 journey in Debian's chromium (#26): a guest registers for a 逸才堂 salon and
gets the QR's code; the office checks them in on the check-in page (typed, as a USB scanner types it), turns
the attendees into the station's leads, records the cross-border consent, verifies the contact, links the
lead to the archive record the mobile number finds, and moves it to signed; the archive record arrives; the
office lands the lead and makes the reward; the station's partner, signed in abroad, sees the lead and the
landing on the station's scorecard, and never another station's."""

from __future__ import annotations

import datetime as dt
import os

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from talentcloud.conftest import CHROMIUM, browser_sign_in
from talentcloud.payouts.models import Award
from talentcloud.stations import services
from talentcloud.stations.models import Lead
from talentcloud.talents.models import Talent

from .conftest import PHONE, lead_of

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not os.path.exists(CHROMIUM), reason="Debian chromium is not installed (make browser-deps)"
    ),
]


def test_attendee_to_landing_seen_on_the_partners_scorecard(browser_context, live_server, world):
    event = services.event_save(
        actor=world.office,
        data=services.EventInput(
            title="逸才堂·海归博士沙龙",
            kind="salon",
            venue="江宁逸才堂",
            starts_at=timezone.now() + dt.timedelta(days=3),
            station=world.station_a,
        ),
    )
    lead_of(world.partner_b, phone="13800007777", field="伦敦站的秘密领域")  # another station's lead
    guest = browser_context.new_context(locale="zh-CN", viewport={"width": 390, "height": 844}).new_page()
    office = browser_context.new_context(locale="zh-CN").new_page()
    partner = browser_context.new_context(locale="zh-CN").new_page()

    guest.goto(f"{live_server.url}/stations/open/{event.pk}/")
    guest.get_by_label("姓名").fill("陈海归")
    guest.get_by_label("手机号码").fill(PHONE)
    guest.get_by_role("button", name="报名").click()
    expect(guest.get_by_text("报名成功")).to_be_visible()
    code = guest.locator("#check-in-code").inner_text()
    assert code

    browser_sign_in(office, live_server.url, world.office)
    office.get_by_role("link", name="人才活动").first.click()
    office.get_by_role("link", name=event.title).click()
    office.get_by_role("link", name="参会者签到").click()
    office.get_by_label("报名码").fill(code)
    office.get_by_role("button", name="签到").click()
    expect(office.locator("#checked-in")).to_contain_text("签到")
    office.get_by_role("button", name="签到").click()  # an empty scan says what is missing
    expect(office.locator("body")).to_contain_text("请扫描或输入报名码")
    office.get_by_label("报名码").fill(code)
    office.get_by_role("button", name="签到").click()  # the same code twice: refused, saying when
    expect(office.locator("body")).to_contain_text("签到过")
    office.get_by_role("link", name="返回活动").click()
    office.get_by_role("button", name="将参会者转为线索").click()
    expect(office.locator("body")).to_contain_text("1名参会者已转为线索")
    office.get_by_role("link", name="引才线索").first.click()

    lead = Lead.objects.get(station=world.station_a)
    expect(office.locator("#credit")).to_contain_text("否")
    office.get_by_label("同意书存档（表单编号或文件）").fill("CB-2026-123")
    office.get_by_role("button", name="记录出境同意").click()
    office.get_by_role("button", name="核实联系").click()
    expect(office.locator("#credit")).to_contain_text("是，计入本站")
    office.get_by_role("button", name="关联人才档案").click()
    for stage in ("有意向", "已来区考察", "已签约"):
        office.get_by_role("button", name=stage).click()
    office.get_by_role("button", name="已落地").click()
    expect(office.locator("body")).to_contain_text("人才档案尚未记录来区时间")
    Talent.objects.filter(pk=world.talent.pk).update(arrived_on=timezone.localdate())  # the archive's arrival
    office.get_by_role("button", name="已落地").click()
    expect(office.locator("h1")).to_contain_text("已落地")
    office.get_by_role("button", name="发放落地奖励").click()
    expect(office.locator("body")).to_contain_text("奖励已记入兑现台账")
    assert Award.objects.filter(talent=world.talent).count() == 1

    browser_sign_in(partner, live_server.url, world.partner_a)
    partner.get_by_role("link", name="工作站线索").first.click()
    expect(partner.locator("#leads")).to_contain_text("陈**")
    expect(partner.locator("body")).not_to_contain_text("伦敦站的秘密领域")
    partner.get_by_role("link", name="本工作站绩效").click()
    expect(partner.locator("#landed")).to_contain_text("1")
    expect(partner.locator("body")).to_contain_text("B: 1")
    partner.goto(f"{live_server.url}/stations/leads/{Lead.objects.get(station=world.station_b).pk}/")
    expect(partner.locator("body")).not_to_contain_text("伦敦站的秘密领域")
    assert lead.pk
