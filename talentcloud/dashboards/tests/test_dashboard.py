from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from django.utils import translation

from talentcloud.dashboards.metrics import metrics, snapshot_refresh
from talentcloud.dashboards.models import MetricSnapshot
from talentcloud.enterprises.models import Enterprise, IndustryChain
from talentcloud.talents.models import Talent

pytestmark = pytest.mark.django_db


@pytest.fixture
def population(units):
    ent = Enterprise.objects.create(
        name="甲", credit_code="91320115MA1X2Y3W4T", park=units["320115-P-KFQ"], street=units["320115-S-ML"]
    )
    common = {"gender": "M", "birth_date": dt.date(1985, 1, 1), "employer": ent}
    Talent.objects.create(name="a", highest_degree="doctor", category="top_expert", **common)
    Talent.objects.create(name="b", highest_degree="doctor", category="young", **common)
    Talent.objects.create(name="c", highest_degree="master", category="young", restricted=True, **common)


def test_refresh_computes_every_metric_from_the_archive(population):
    assert snapshot_refresh() == len(metrics())
    by_category = MetricSnapshot.objects.get(metric="talents_by_category").data
    counts = dict(zip(by_category["labels"], by_category["series"]["talents"], strict=True))
    assert counts["顶尖专家"] == 1
    assert counts["青年人才"] == 1  # the restricted record is not counted
    by_area = MetricSnapshot.objects.get(metric="talents_by_area").data
    assert dict(zip(by_area["labels"], by_area["series"]["talents"], strict=True))["江宁经济技术开发区"] == 2


def test_page_reads_snapshots_only(population, make_user, login, django_assert_max_num_queries):
    client = login(make_user("talent-office", "320115-ZZB"))
    empty = client.get("/dashboard/").content.decode()
    assert "Recompute" in empty or "立即重新计算" in empty
    snapshot_refresh()
    snapshot_refresh()
    with django_assert_max_num_queries(12):  # session, user, roles, the two snapshot queries: no aggregates
        page = client.get("/dashboard/")
    body = page.content.decode()
    assert 'id="data-talents_by_category"' in body
    assert "echarts.min.js" in body
    assert MetricSnapshot.objects.filter(metric="talents_by_category").count() == 2


def test_refresh_button_and_permission(population, make_user, login):
    office = login(make_user("talent-office", "320115-ZZB"))
    assert office.post("/dashboard/").status_code == 302
    assert MetricSnapshot.objects.exists()  # the test settings run tasks at once
    assert login(make_user("park-staff", "320115-P-KFQ")).get("/dashboard/").status_code == 403


def test_snapshots_keep_codes_and_the_page_labels_them_in_the_readers_language(population, make_user, login):

    with translation.override("zh-hans"):  # computed by a Chinese process
        snapshot_refresh()
    by_category = MetricSnapshot.objects.get(metric="talents_by_category").data
    assert "top_expert" in by_category["keys"]
    assert MetricSnapshot.objects.get(metric="talents_by_area").data["keys"][0].startswith("320115-")
    client = login(make_user("talent-office", "320115-ZZB"))
    client.cookies["tc_language"] = "en"
    english = client.get("/dashboard/").content.decode()
    assert "Top expert" in english
    assert "顶尖专家" not in english
    assert "Jiangning Economic and Technological Development Zone" in english
    assert "江宁经济技术开发区" not in english
    client.cookies["tc_language"] = "zh-hans"
    chinese = client.get("/dashboard/").content.decode()
    assert "顶尖专家" in chinese
    assert "Top expert" not in chinese


def test_a_snapshot_from_before_codes_keeps_its_stored_labels(make_user, login, units):
    for metric in metrics():
        data = {"labels": ["旧标签"], "series": {"talents": [7]}}
        MetricSnapshot.objects.create(metric=metric.key, data=data)
    client = login(make_user("talent-office", "320115-ZZB"))
    client.cookies["tc_language"] = "en"
    page = client.get("/dashboard/").content.decode()
    assert "旧标签" in page


def _embedded_options(body: str, metric: str) -> dict:

    match = re.search(rf'<script id="data-{metric}" type="application/json">(.*?)</script>', body, re.S)
    assert match, metric
    return json.loads(match.group(1))


def test_every_bar_is_labelled_and_no_count_is_a_smoothed_line(population, make_user, login, units):

    snapshot_refresh()
    client = login(make_user("talent-office", "320115-ZZB"))
    client.cookies["tc_language"] = "en"
    body = client.get("/dashboard/").content.decode()
    chains = _embedded_options(body, "talents_by_chain")
    # Every industry chain is a category, and the category axis draws every label (interval 0).
    axis = chains["yAxis"] if chains["yAxis"]["type"] == "category" else chains["xAxis"]
    assert len(axis["data"]) == IndustryChain.objects.count() >= 8
    assert axis["axisLabel"]["interval"] == 0
    assert all(label and not label.startswith("320115") for label in axis["data"])
    for metric in ("talents_by_chain", "talents_by_area", "enterprises_by_chain", "needs_by_department"):
        options = _embedded_options(body, metric)
        category = [a for a in (options["xAxis"], options["yAxis"]) if a["type"] == "category"]
        assert len(category) == 1, metric
        assert category[0]["axisLabel"]["interval"] == 0, metric
        # a long list of names is drawn as horizontal bars, so each name reads across
        if len(category[0]["data"]) >= 6:
            assert options["yAxis"]["type"] == "category", metric
        assert all(s["type"] == "bar" and s["label"]["show"] for s in options["series"]), metric
    arrivals = _embedded_options(body, "arrivals_by_month")
    assert arrivals["xAxis"]["axisLabel"]["interval"] == 0
    assert arrivals["series"]
    assert all(s["smooth"] is False for s in arrivals["series"])
    for metric in ("talents_by_category", "talents_by_degree"):
        pie = _embedded_options(body, metric)
        assert pie["series"][0]["type"] == "pie"
        assert "Top expert" in body  # labels in the reader's language, rendered at read time
    assert '"smooth": true' not in body


DASHBOARD_ORDER = [
    "talents_by_category",
    "talents_by_degree",
    "talents_by_chain",
    "talents_by_area",
    "arrivals_by_month",
    "enterprises_by_chain",
    "needs_by_department",
    "demand_by_state",
    "open_headcount_by_post",
    "payouts_by_policy",
    "talentcode_verifications_by_scene",
    "talentcode_verifications_by_result",
    "talentcode_codes_by_status",
]


def test_the_page_shows_every_metric_in_its_order(population, make_user, login):

    assert [metric.key for metric in metrics()] == DASHBOARD_ORDER
    snapshot_refresh()
    client = login(make_user("talent-office", "320115-ZZB"))
    body = client.get("/dashboard/").content.decode()
    assert re.findall(r'<script id="data-([a-z_]+)"', body) == DASHBOARD_ORDER
