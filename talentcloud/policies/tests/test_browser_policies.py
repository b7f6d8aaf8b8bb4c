"""A visitor uses the anonymous calculator in Debian's chromium, answering one question at a time."""

from __future__ import annotations

import os

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


def test_visitor_answers_questions_and_sees_what_fits(page, live_server, units):
    cache.clear()
    catalogue_install()
    library_install()
    page.goto(f"{live_server.url}/policies/")
    page.get_by_test_id("quick-link").click()
    page.get_by_test_id("question").select_option("B")  # certification grade
    page.get_by_test_id("answer").click()
    expect(page.get_by_test_id("quick-school-place")).to_be_visible()
    expect(page.get_by_test_id("quick-medical-green-channel")).to_be_visible()
    before = page.get_by_test_id("undecided").inner_text()
    page.get_by_test_id("answer").click()  # the next question, answered with its first choice
    expect(page.get_by_test_id("undecided")).not_to_have_text(before)
