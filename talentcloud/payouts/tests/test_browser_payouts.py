"""In Debian's chromium: the office confirms a grant as an award, drafts the batch and re-checks it; a second
person checks it; the finance bureau approves, exports, downloads the bank file after re-authenticating and
imports the bank's return with one failed line; the talent sees the payment and the failed line."""

from __future__ import annotations

import datetime as dt
import os
from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import expect

from talentcloud.accounts.tests.factories import PASSWORD
from talentcloud.conftest import CHROMIUM, browser_sign_in
from talentcloud.payouts.models import Batch, PayoutLine

from .world import award, return_text, talent, world

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not os.path.exists(CHROMIUM), reason="Debian chromium is not installed (make browser-deps)"
    ),
]


def sign_out(page) -> None:
    page.context.clear_cookies()


def test_a_grant_is_awarded_batched_checked_approved_exported_and_returned(
    page, live_server, make_user, kfq_firm, tmp_path: Path
):
    today = dt.date.today()
    # Two months ago and last month: both due by the end of this month.
    start = ((today.replace(day=1) - dt.timedelta(days=1)).replace(day=1) - dt.timedelta(days=1)).replace(
        day=1
    )
    w = world(make_user, kfq_firm, year=start.year)
    person = talent(
        kfq_firm, account=make_user("talent", None), graduated_on=dt.date.today() - dt.timedelta(days=400)
    )
    other = talent(kfq_firm)
    base = live_server.url

    browser_sign_in(page, base, w.maker)
    page.goto(f"{base}/payouts/talents/{person.pk}/award/?policy=graduate-rental-subsidy")
    expect(page.get_by_test_id("proposed")).to_contain_text("800")  # a master: 800 a month
    form = page.get_by_test_id("award-form")
    # Two months ago and last month: both due by the end of this month.
    start = (
        (dt.date.today().replace(day=1) - dt.timedelta(days=1)).replace(day=1) - dt.timedelta(days=1)
    ).replace(day=1)
    form.get_by_label("首期（月份）").fill(start.isoformat())
    form.get_by_label("期数").fill("2")
    form.get_by_label("收款账户（社保卡金融账户）").fill("12")
    form.get_by_role("button", name="确认兑现").click()
    expect(page.get_by_text("银行账号为 12 至 30 位数字。")).to_be_visible()  # at the field, nothing saved
    page.get_by_test_id("award-form").get_by_label("收款账户（社保卡金融账户）").fill("6217000011112222333")
    page.get_by_test_id("award-form").get_by_role("button", name="确认兑现").click()
    expect(page.get_by_text("已作出兑现")).to_be_visible()  # on the award's page
    expect(page.get_by_test_id("award-status")).to_have_text("发放中")
    award(w, other, months=1, starts=start, amount=Decimal("600"))

    page.goto(f"{base}/payouts/batches/")
    due = (dt.date.today().replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
    page.get_by_label("到期截止日").fill(due.isoformat())
    page.get_by_role("button", name="生成批次").click()
    expect(page.get_by_test_id("batch-state")).to_have_text("草稿")
    page.get_by_test_id("action-recheck").get_by_role("button").click()
    expect(page.get_by_test_id("batch-state")).to_have_text("已完成发放前复核")
    expect(page.get_by_test_id("action-check")).to_have_count(0)  # the maker cannot check
    batch = Batch.objects.get()
    sign_out(page)

    browser_sign_in(page, base, w.checker)
    page.goto(f"{base}/payouts/batches/{batch.pk}/")
    page.get_by_test_id("action-check").get_by_role("button").click()
    expect(page.get_by_test_id("batch-state")).to_have_text("已双人复核")
    sign_out(page)

    browser_sign_in(page, base, w.finance)
    page.goto(f"{base}/payouts/batches/{batch.pk}/")
    page.get_by_test_id("action-approve").get_by_role("button").click()
    expect(page.get_by_test_id("batch-state")).to_have_text("财政已审批")
    page.get_by_test_id("action-export").get_by_role("button").click()
    expect(page.get_by_test_id("batch-state")).to_have_text("已导出代发文件")
    page.get_by_test_id("file-bank").click()
    page.get_by_label("密码").fill(PASSWORD)
    with page.expect_download() as download:
        page.get_by_role("button", name="继续").click()
    assert "key,payee,account" in Path(download.value.path()).read_text(encoding="utf-8-sig")
    failed = PayoutLine.objects.filter(award__talent=person).order_by("period")[0].key
    answer = tmp_path / "return.csv"
    answer.write_text(return_text(batch, {failed}), encoding="utf-8")
    page.goto(f"{base}/payouts/batches/{batch.pk}/")
    page.get_by_test_id("action-import_return").get_by_label(
        "银行回盘文件（CSV：key、status、note）"
    ).set_input_files(str(answer))
    page.get_by_test_id("action-import_return").get_by_role("button", name="导入银行回盘").click()
    expect(page.get_by_test_id("batch-state")).to_have_text("已导入回盘")
    sign_out(page)

    assert person.account is not None
    browser_sign_in(page, base, person.account)
    page.goto(f"{base}/payouts/me/")
    expect(page.locator('[data-testid="line"][data-status="failed"]')).to_contain_text("账户已销户")
    expect(page.locator('[data-testid="line"][data-status="paid"]')).to_contain_text("800.00")
    assert PayoutLine.objects.get(award__talent=other).status == "paid"
