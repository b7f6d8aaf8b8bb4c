"""Browser journeys of the archive in Debian's chromium: staff filter and open a talent; a cadre logs a visit
with a need and the department replies; a talent corrects their details on a phone-sized window."""

from __future__ import annotations

import datetime as dt
import os

import pytest
from playwright.sync_api import expect

from talentcloud.accounts.models import OrgUnit
from talentcloud.conftest import CHROMIUM, browser_sign_in
from talentcloud.enterprises.tests.factories import EnterpriseFactory
from talentcloud.talents.models import Need, Talent

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not os.path.exists(CHROMIUM), reason="Debian chromium is not installed (make browser-deps)"
    ),
]


def nav(page):
    return page.get_by_role("navigation", name="主导航")


COMMON = {"gender": "F", "birth_date": dt.date(1990, 5, 1), "highest_degree": "doctor"}


@pytest.fixture
def park(units):
    return EnterpriseFactory.create(name="南京紫峰软件有限公司", credit_code="91320115MA1X2Y3W4T")


def test_staff_filter_the_list_and_open_a_talent(page, live_server, make_user, park):
    Talent.objects.create(name="赵青年", category="young", employer=park, **COMMON)
    Talent.objects.create(
        name="钱专家", category="top_expert", employer=park, id_number="32011519850317123X", **COMMON
    )
    staff = make_user("park-staff", "320115-P-KFQ", username="park.browser")
    browser_sign_in(page, live_server.url, staff)
    nav(page).get_by_role("link", name="人才", exact=True).click()
    page.wait_for_url("**/talents/")
    assert page.get_by_role("link", name="赵青年").is_visible()
    page.get_by_test_id("talent-category").select_option("top_expert")
    expect(page.get_by_role("link", name="赵青年")).to_be_hidden()
    assert page.get_by_role("link", name="钱专家").is_visible()
    assert "category=top_expert" in page.url
    page.get_by_role("link", name="钱专家").click()
    page.wait_for_url("**/talents/*/")
    assert page.get_by_role("heading", name="钱专家").is_visible()
    assert page.get_by_test_id("pii-masked-id_number").inner_text() == "3201**********123X"
    # Education and titles load when opened, and so does their small "add" form.
    page.get_by_test_id("education-section").locator("summary").first.click()
    page.locator("summary", has_text="添加教育经历").click()
    expect(page.get_by_label("学校")).to_be_visible()


def test_cadre_logs_a_visit_with_a_need_and_the_department_replies(
    browser_context, live_server, make_user, park
):
    cadre = make_user("liaison-cadre", "320115-ZZB", username="cadre.browser")
    talent = Talent.objects.create(
        name="孙教授", category="top_expert", employer=park, liaison=cadre, **COMMON
    )
    housing = OrgUnit.objects.get(code="320115-ZJJ")
    page = browser_context.new_context(locale="zh-CN").new_page()
    browser_sign_in(page, live_server.url, cadre)
    nav(page).get_by_role("link", name="我联系的人才").click()
    page.get_by_role("link", name="登记联系").click()
    page.get_by_label("类型").select_option("visit")
    page.get_by_label("记录").fill("走访孙教授，了解住房需求")
    page.locator("#id_needs-0-title").fill("人才公寓申请")
    page.locator("#id_needs-0-owner_department").select_option(str(housing.pk))
    page.get_by_role("button", name="保存", exact=True).click()
    page.wait_for_url(f"**/talents/{talent.pk}/")
    assert page.get_by_role("link", name="人才公寓申请").is_visible()
    need = Need.objects.get()

    staff = make_user("service-staff", "320115-ZJJ", username="zjj.browser")
    staff_page = browser_context.new_context(locale="zh-CN").new_page()
    browser_sign_in(staff_page, live_server.url, staff)
    nav(staff_page).get_by_role("link", name="诉求办理").click()
    staff_page.get_by_role("link", name="人才公寓申请").click()
    staff_page.get_by_label("给人才的答复").fill("已安排东山人才公寓，下周可入住")
    staff_page.get_by_role("button", name="发送答复").click()
    staff_page.wait_for_selector("[data-testid=need-reply]")
    assert staff_page.get_by_test_id("need-status").inner_text() == "已答复"

    page.goto(f"{live_server.url}/talents/needs/{need.pk}/")
    assert "已安排东山人才公寓" in page.get_by_test_id("need-reply").inner_text()


def test_a_talent_corrects_their_details_on_a_phone(browser_context, live_server, make_user, park):
    account = make_user("talent", None, username="talent.browser")
    talent = Talent.objects.create(
        name="周博士", category="young", employer=park, account=account, phone="13812345678", **COMMON
    )
    phone = browser_context.new_context(
        locale="zh-CN", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    page = phone.new_page()
    browser_sign_in(page, live_server.url, account)
    page.get_by_role("link", name="我的档案").click()
    page.get_by_role("button", name="更正我的信息").click()
    page.get_by_label("手机号码").fill("1391234")
    page.get_by_role("button", name="保存", exact=True).click()
    assert page.get_by_role("alert").first.is_visible()
    page.get_by_label("手机号码").fill("13912345678")
    page.get_by_label("岗位", exact=True).fill("首席科学家")
    page.get_by_role("button", name="保存", exact=True).click()
    page.wait_for_url("**/talents/me/")
    talent.refresh_from_db()
    assert talent.phone == "13912345678"
    assert talent.post == "首席科学家"
    # Nothing overflows the phone's width.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
