"""The 引才 journey in Debian's chromium: an enterprise posts demand; its park approves it; the office
previews a weight change, freezes and publishes the catalogue; a visitor downloads it from the portal."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from talentcloud.common.crypto import sm3_hex
from talentcloud.conftest import CHROMIUM, browser_sign_in
from talentcloud.recruitment.models import Catalogue, Demand

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not os.path.exists(CHROMIUM), reason="Debian chromium is not installed (make browser-deps)"
    ),
]


def fresh_page(browser_context):
    page = browser_context.new_context(locale="zh-CN", accept_downloads=True).new_page()
    page.set_default_timeout(20_000)
    page.on("dialog", lambda dialog: dialog.accept())  # the confirmations of freeze and publish
    return page


def test_demand_to_published_catalogue(browser_context, live_server, rworld, tmp_path):
    w = rworld
    url = live_server.url
    year = timezone.localdate().year

    hr = fresh_page(browser_context)
    browser_sign_in(hr, url, w.hr_a)
    hr.goto(f"{url}/recruitment/demand/")
    hr.locator('a[href="/recruitment/demand/new/"]').click()
    hr.locator('select[name="post"]').select_option(str(w.posts["A1"].pk))
    hr.locator('input[name="headcount"]').fill("3")
    hr.locator('select[name="degree"]').select_option("master")
    hr.locator('select[name="salary_kind"]').select_option("monthly")
    hr.locator('input[name="deadline"]').fill((timezone.localdate() + dt.timedelta(days=40)).isoformat())
    hr.locator('main form button[type="submit"]').click()
    expect(hr.locator("#id_salary_min_error")).to_be_visible()  # a monthly salary needs its figure
    hr.locator('input[name="salary_min"]').fill("25000")
    hr.locator('main form button[type="submit"]').click()
    expect(hr.locator("#demand-state")).to_be_visible()
    demand = Demand.objects.get()
    assert demand.annual_min == 300000

    park = fresh_page(browser_context)
    browser_sign_in(park, url, w.park_a)
    park.goto(f"{url}/recruitment/demand/")
    park.locator(f'a[href="/recruitment/demand/{demand.pk}/"]').click()
    park.locator('button[name="action"][value="approve"]').click()
    expect(park.locator('button[name="action"][value="approve"]')).to_have_count(0)
    demand.refresh_from_db()
    assert demand.state == "open"

    office = fresh_page(browser_context)
    browser_sign_in(office, url, w.office)
    office.goto(f"{url}/recruitment/manage/")
    office.locator('input[name="year"]').fill(str(year))
    office.locator('main form button[type="submit"]').click()
    office.wait_for_url(f"**/recruitment/manage/{year}/")
    office.locator('input[name="weight_salary"]').fill("60")
    office.locator('#settings-form button[value="preview"]').click()
    expect(office.locator("#preview")).to_be_visible()
    assert Catalogue.objects.get(year=year).weights["salary"] == 20  # a preview saves nothing
    office.locator('input[name="step"][value="freeze"] + button').click()
    expect(office.locator('input[name="step"][value="publish"]')).to_have_count(1)
    office.locator('input[name="step"][value="publish"] + button').click()
    expect(office.locator(f'a[href="/recruitment/catalogues/{year}/"]')).to_be_visible()
    published = Catalogue.objects.get(year=year)
    assert published.state == "published"

    visitor = fresh_page(browser_context)
    visitor.goto(f"{url}/recruitment/catalogues/")
    visitor.locator(f'a[href="/recruitment/catalogues/{year}/"]').click()
    expect(visitor.locator('tr[data-code="A1"]')).to_be_visible()
    with visitor.expect_download() as download:
        visitor.locator("#download-xlsx").click()
    saved = Path(tmp_path) / "catalogue.xlsx"
    download.value.save_as(saved)
    assert sm3_hex(saved.read_bytes()) == published.xlsx_sm3
