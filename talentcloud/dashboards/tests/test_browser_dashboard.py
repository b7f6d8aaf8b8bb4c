"""The office reads the dashboard in Debian's chromium: every industry chain's bar carries its name."""

from __future__ import annotations

import datetime as dt
import os

import pytest

from talentcloud.conftest import CHROMIUM, browser_sign_in
from talentcloud.dashboards.metrics import snapshot_refresh
from talentcloud.enterprises.models import IndustryChain
from talentcloud.talents.models import Talent

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not os.path.exists(CHROMIUM), reason="Debian chromium is not installed (make browser-deps)"
    ),
]


def test_every_chain_bar_is_labelled_on_the_drawn_chart(page, live_server, units, make_user, kfq_firm):

    Talent.objects.create(
        name="周博士", gender="F", birth_date=dt.date(1990, 1, 1), highest_degree="doctor", employer=kfq_firm
    )
    snapshot_refresh()
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.set_viewport_size({"width": 1366, "height": 900})
    browser_sign_in(page, live_server.url, make_user("talent-office"))
    page.goto(f"{live_server.url}/dashboard/")
    chart = page.locator('.chart[data-source="data-talents_by_chain"] svg')
    chart.wait_for()
    drawn = chart.evaluate("svg => Array.from(svg.querySelectorAll('text')).map(t => t.textContent)")
    names = list(IndustryChain.objects.values_list("name", flat=True))
    assert len(names) >= 8
    missing = [name for name in names if not any(name in text for text in drawn)]
    assert not missing, f"bars without their name on the chart: {missing}; drawn: {drawn}"
    assert not errors
