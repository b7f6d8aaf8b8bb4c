"""P10's second half (博士后出站后留区工作并签订 3 年以上劳动合同的，一次性奖励 20 万元) built entirely on the
pages in Debian's chromium: the office defines a recognition list and a yes/no fact, records one and imports
the other from Excel, builds the rule in the editor; a second person publishes; a sweep finds the talent; the
talent's calculator shows the amount."""

from __future__ import annotations

import datetime as dt
import os

import pytest
from django.core.cache import cache
from openpyxl import Workbook
from playwright.sync_api import expect

from talentcloud.conftest import CHROMIUM, browser_sign_in
from talentcloud.policies.loader import library_install
from talentcloud.policies.models import Policy, RecordedValue
from talentcloud.servicehall.seed import catalogue_install
from talentcloud.talents.models import Talent

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not os.path.exists(CHROMIUM), reason="Debian chromium is not installed (make browser-deps)"
    ),
]
ID = "320115199004021235"


def _define(page, base: str, **fields: str) -> None:
    page.goto(f"{base}/policies/manage/facts/")
    form = page.get_by_test_id("define-fact")
    for name in ("label", "label_en", "key", "unit"):
        if name in fields:
            form.locator(f'[name="{name}"]').fill(fields[name])
    for name in ("kind", "target", "recorders"):
        form.locator(f'[name="{name}"]').select_option(fields[name])
    form.get_by_role("button").click()
    expect(page.get_by_text("现在即可在规则中使用")).to_be_visible()


def _condition(page, row: str, fact: str, op: str, value: str, *, select: bool) -> None:
    page.locator(f'[name="{row}.fact"]').select_option(fact)
    page.locator(f'[name="{row}.op"]').select_option(op)
    if select:
        page.locator(f'[name="{row}.value"]').select_option(value)
    else:
        page.locator(f'[name="{row}.value"]').fill(value)
        page.locator(f'[name="{row}.value"]').press("Tab")


def test_a_text_built_on_the_pages_with_new_facts_is_published_swept_and_shown(
    page, live_server, units, make_user, kfq_firm, tmp_path
):
    cache.clear()
    catalogue_install()
    library_install()
    account = make_user("talent", None)
    Talent.objects.create(
        name="钱博士",
        gender="F",
        birth_date=dt.date(1990, 4, 2),
        highest_degree="doctor",
        category="young",
        employer=kfq_firm,
        id_number=ID,
        contract_term_months=36,
        account=account,
    )
    base = live_server.url
    browser_sign_in(page, base, make_user("talent-office", display_name="赵科员"))
    # A recognition list and a yes/no fact, defined by the office: no code, no restart.
    _define(
        page,
        base,
        label="博士后工作站在站（区认定）",
        key="station_postdoc",
        kind="recognition",
        target="talent",
        recorders="office",
    )
    page.locator('[name="who"]').fill(ID)
    page.locator('[name="valid_from"]').fill("2023-01-01")
    page.locator('[name="valid_until"]').fill("2025-12-31")  # left the station at the end of 2025
    page.get_by_test_id("record-value").get_by_role("button").click()
    expect(page.get_by_test_id("values")).to_contain_text("钱博士")
    _define(
        page,
        base,
        label="出站后留区工作",
        label_en="stays in the district after the station",
        key="stays_after_station",
        kind="bool",
        target="talent",
        recorders="archive",
    )
    book = Workbook()
    book.active.append(["证件号码", "值", "生效日期"])
    book.active.append([ID, "是", "2026-01-05"])
    sheet = tmp_path / "留区名单.xlsx"
    book.save(sheet)
    page.get_by_test_id("import-values").locator('[name="file"]').set_input_files(str(sheet))
    page.get_by_test_id("import-values").get_by_role("button", name="导入").click()
    expect(page.get_by_test_id("values")).to_contain_text("留区名单.xlsx")
    assert RecordedValue.objects.count() == 2

    # The rule, built row by row in the editor.
    page.goto(f"{base}/policies/manage/")
    page.get_by_role("button", name="新建政策").click()
    page.get_by_label("编码").fill("postdoc-stay-page")
    page.get_by_label("标题", exact=True).fill("博士后出站留区奖励（页面版）")
    page.get_by_label("发文单位").fill("江宁区人社局")
    page.get_by_label("生效日期").fill("2026-01-01")
    _condition(page, "r.0", "station_postdoc", "==", "false", select=True)
    for row, fact, op, value, select in (
        ("r.1", "station_postdoc_ever", "==", "true", True),
        ("r.2", "stays_after_station", "==", "true", True),
        ("r.3", "contract_term_months", ">=", "36", False),
    ):
        page.get_by_test_id("row-r").get_by_role("button", name="+ 条件", exact=True).click()
        _condition(page, row, fact, op, value, select=select)
    expect(page.get_by_test_id("rule-ok")).to_be_visible()
    page.locator('[name="benefit-amount"]').fill("200000")
    page.locator('[name="benefit-period"]').select_option("once")
    page.get_by_test_id("save").click()
    expect(page.get_by_test_id("version-status")).to_contain_text("草稿")

    # A second person publishes.
    page.context.clear_cookies()
    browser_sign_in(page, base, make_user("talent-office-head"))
    page.goto(f"{base}/policies/manage/postdoc-stay-page/")
    page.get_by_test_id("publish").click()
    page.get_by_test_id("confirm-publish").click()
    expect(page.get_by_test_id("version-status")).to_contain_text("已发布")
    assert Policy.objects.get(code="postdoc-stay-page", status="published").rule["all"][2] == {
        "fact": "stays_after_station",
        "op": "==",
        "value": True,
    }

    # The sweep finds her; her calculator shows the amount.
    page.goto(f"{base}/policies/manage/sweeps/")
    page.get_by_test_id("sweep-start").click()
    expect(page.get_by_test_id("sweep-results")).to_contain_text("博士后出站留区奖励（页面版）")
    page.context.clear_cookies()
    browser_sign_in(page, base, account)
    page.goto(f"{base}/policies/calculator/")
    expect(page.get_by_test_id("entitlement-postdoc-stay-page")).to_be_visible()
    expect(page.get_by_test_id("verdict-postdoc-stay-page")).to_contain_text("200,000.00 元")
