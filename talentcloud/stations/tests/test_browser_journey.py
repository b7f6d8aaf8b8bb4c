"""The issue's journey in Debian's chromium (#26): a station's consented lead gets a post's address from the
station (a post a 招贤令 campaign lists, with its policy package), applies with their consent (the
application counts for the station); the enterprise invites with interview times, the talent picks one,
the enterprise offers, the talent accepts; the talent's archive record arrives in the district; the office
lands the lead; the station's partner sees the landing on the station's scorecard."""

from __future__ import annotations

import datetime as dt
import os

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from talentcloud.campaigns.models import JobApplication
from talentcloud.campaigns.tests.conftest import cworld, library  # noqa: F401 (fixtures shared)
from talentcloud.conftest import CHROMIUM, browser_sign_in
from talentcloud.recruitment.tests.conftest import rworld  # noqa: F401 (a fixture shared)
from talentcloud.stations import services
from talentcloud.stations.workflow import lead_transition
from talentcloud.talents.models import Talent

from .conftest import lead_of

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not os.path.exists(CHROMIUM), reason="Debian chromium is not installed (make browser-deps)"
    ),
]


def fresh_page(browser_context):
    page = browser_context.new_context(locale="zh-CN").new_page()
    page.set_default_timeout(20_000)
    return page


def test_lead_applies_through_the_station_is_hired_lands_and_the_station_sees_it(
    browser_context,
    live_server,
    world,
    cworld,  # noqa: F811
    library,  # noqa: F811
):
    url = live_server.url
    Talent.objects.filter(pk=world.talent.pk).update(account=cworld.talent)
    lead = lead_of(world.partner_a)  # recorded abroad with the person's cross-border consent
    lead = services.lead_verify(actor=world.office, lead=lead)
    lead = services.lead_link(actor=world.office, lead=lead, talent=world.talent)

    partner = fresh_page(browser_context)
    browser_sign_in(partner, url, world.partner_a)
    partner.goto(f"{url}/stations/leads/{lead.pk}/")
    link = partner.locator(f'#campaign-posts a[href^="/campaigns/posts/{cworld.post_a.pk}/"]')
    href = link.get_attribute("href")
    assert href is not None
    assert f"via=station%3A{world.station_a.pk}" in href

    talent = fresh_page(browser_context)
    browser_sign_in(talent, url, cworld.talent)
    talent.goto(f"{url}{href}")
    expect(
        talent.locator('[data-degree="master"] [data-policy="graduate-living-allowance"]')
    ).to_contain_text("1,000 元/月 × 24")
    expect(talent.locator("main")).to_contain_text(cworld.campaign.title)
    talent.locator("#apply").click()
    talent.locator('select[name="degree"]').select_option("master")
    talent.locator('input[name="consent"]').check()
    talent.locator('main form button[type="submit"]').click()
    expect(talent.locator("#application-state")).to_have_text("已投递")
    application = JobApplication.objects.get(applicant=cworld.talent)
    assert (application.channel, application.channel_ref) == ("station", str(world.station_a.pk))

    hr = fresh_page(browser_context)
    browser_sign_in(hr, url, cworld.r.hr_a)
    hr.goto(f"{url}/campaigns/applications/{application.pk}/")
    day = timezone.localdate() + dt.timedelta(days=3)
    hr.locator('input[name="slot_1"]').fill(f"{day.isoformat()}T10:00")
    hr.locator('input[name="place"]').fill("江宁开发区 A 座 3 楼")
    hr.locator('button[name="action"][value="invite"]').click()
    expect(hr.locator("#application-state")).to_have_text("邀请面试")
    talent.reload()
    talent.locator('input[name="slot"]').first.check()
    talent.locator('button[name="action"][value="pick"]').click()
    expect(talent.locator("#chosen-slot")).to_contain_text("10:00")
    hr.reload()
    hr.locator('button[name="action"][value="interviewed"]').click()
    hr.locator('button[name="action"][value="offer"]').click()
    expect(hr.locator("#application-state")).to_have_text("已发录用")
    talent.reload()
    talent.locator('button[name="action"][value="accept"]').click()
    expect(talent.locator("#application-state")).to_have_text("已接受录用")

    for action in ("interest", "visit", "sign"):  # the station worked the lead meanwhile
        lead = lead_transition(actor=world.partner_a, lead=lead, action=action)
    Talent.objects.filter(pk=world.talent.pk).update(arrived_on=timezone.localdate())  # the archive's arrival
    office = fresh_page(browser_context)
    browser_sign_in(office, url, world.office)
    office.goto(f"{url}/stations/leads/{lead.pk}/")
    office.get_by_role("button", name="已落地").click()
    expect(office.locator("h1")).to_contain_text("已落地")

    partner.goto(f"{url}/stations/s/{world.station_a.pk}/")
    expect(partner.locator("#landed")).to_contain_text("1")
    expect(partner.locator("body")).to_contain_text("B: 1")
