"""The campaign journey in Debian's chromium: a talent finds a post in a published 招贤令 with its policy
package and applies (with consent, the campaign as channel); the enterprise invites with interview times; the
talent picks one; the enterprise records the interview and offers; the talent accepts and sees every step."""

from __future__ import annotations

import datetime as dt
import os

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from talentcloud.campaigns.models import JobApplication
from talentcloud.conftest import CHROMIUM, browser_sign_in

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


def test_find_apply_invite_pick_offer_accept(browser_context, live_server, cworld, library):
    w = cworld
    url = live_server.url

    talent = fresh_page(browser_context)
    browser_sign_in(talent, url, w.talent)
    talent.goto(f"{url}/campaigns/mine/")
    talent.locator(f'a[href="/campaigns/{w.campaign.pk}/"]').click()
    post = talent.locator(f"#post-{w.post_a.pk}")
    expect(post.locator('[data-degree="master"] [data-policy="graduate-living-allowance"]')).to_contain_text(
        "1,000 元/月 × 24"
    )
    post.locator("h3 a").click()
    talent.locator("#apply").click()
    talent.locator('select[name="degree"]').select_option("master")
    talent.locator('main form button[type="submit"]').click()
    expect(talent.locator("#id_consent_error")).to_be_visible()  # no consent, no application
    talent.locator('input[name="consent"]').check()
    talent.locator('main form button[type="submit"]').click()
    expect(talent.locator("#application-state")).to_have_text("已投递")
    application = JobApplication.objects.get(applicant=w.talent)
    assert (application.channel, application.campaign_id) == ("campaign", w.campaign.pk)

    hr = fresh_page(browser_context)
    browser_sign_in(hr, url, w.r.hr_a)
    hr.goto(f"{url}/campaigns/applicants/")
    hr.locator(f'a[href="/campaigns/applications/{application.pk}/"]').click()
    day = timezone.localdate() + dt.timedelta(days=3)
    hr.locator('input[name="slot_1"]').fill(f"{day.isoformat()}T10:00")
    hr.locator('input[name="slot_2"]').fill(f"{day.isoformat()}T14:30")
    hr.locator('input[name="place"]').fill("江宁开发区 A 座 3 楼")
    hr.locator('button[name="action"][value="invite"]').click()
    expect(hr.locator("#application-state")).to_have_text("邀请面试")

    talent.reload()
    expect(talent.locator("#application-state")).to_have_text("邀请面试")
    talent.locator('input[name="slot"]').nth(1).check()
    talent.locator('button[name="action"][value="pick"]').click()
    expect(talent.locator("#chosen-slot")).to_contain_text("14:30")

    hr.reload()
    hr.locator('button[name="action"][value="interviewed"]').click()
    expect(hr.locator("#application-state")).to_have_text("已面试")
    hr.locator('button[name="action"][value="offer"]').click()
    expect(hr.locator("#application-state")).to_have_text("已发录用")

    talent.reload()
    talent.locator('button[name="action"][value="accept"]').click()
    expect(talent.locator("#application-state")).to_have_text("已接受录用")
    expect(talent.locator("#steps li")).to_have_count(6)
    application.refresh_from_db()
    assert application.state == "accepted"
