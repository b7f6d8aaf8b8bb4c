"""A visitor in Debian's chromium goes from the portal to the service guide, finds a service by searching,
opens its guide and downloads a material's example sheet."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from talentcloud.conftest import CHROMIUM
from talentcloud.policies.loader import library_install
from talentcloud.servicehall.seed import catalogue_install

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not os.path.exists(CHROMIUM), reason="Debian chromium is not installed (make browser-deps)"
    ),
]


def test_visitor_finds_a_service_in_the_guide_and_downloads_an_example(page, live_server, units):
    cache.clear()
    catalogue_install()
    library_install()
    page.goto(f"{live_server.url}/")
    expect(page.get_by_test_id("icp")).to_contain_text("苏ICP备")
    page.get_by_test_id("entry-guide").click()
    page.wait_for_url("**/hall/guide/")
    expect(page.get_by_test_id("theme-group-housing")).to_be_visible()
    page.get_by_test_id("guide-q").fill("购房")
    page.get_by_test_id("guide-q").press("Enter")
    expect(page.get_by_test_id("guide-count")).to_contain_text("共 1 项")
    expect(page.get_by_test_id("guide-item-rental-subsidy")).to_have_count(0)
    page.get_by_role("link", name="人才购房补贴").click()
    page.wait_for_url("**/hall/guide/housing-purchase-subsidy/")
    expect(page.get_by_test_id("guide-steps")).to_contain_text("受理")
    expect(page.get_by_test_id("guide-limit")).to_contain_text("20 个工作日")
    with page.expect_download() as info:
        page.get_by_test_id("material-example-purchase_contract").click()
    download = info.value
    assert download.suggested_filename == "housing-purchase-subsidy-purchase_contract.pdf"
    assert Path(download.path()).read_bytes().startswith(b"%PDF")
