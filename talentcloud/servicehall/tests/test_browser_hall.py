"""The hall's main journey in Debian's chromium: a talent applies with an upload, staff ask for more
materials (补正), the talent resubmits, staff conclude and answer, the talent reads the answer and rates it;
the same on a phone (390×844), with a 补正 on a service that declares no material slots and the 受理通知书.
"""

from __future__ import annotations

import os

import pytest
from playwright.sync_api import expect

from talentcloud.audit.models import AuditEvent
from talentcloud.conftest import CHROMIUM, browser_sign_in
from talentcloud.servicehall import cases
from talentcloud.servicehall.models import Case
from talentcloud.servicehall.workflow import case_transition

from .conftest import FORM, PDF

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not os.path.exists(CHROMIUM), reason="Debian chromium is not installed (make browser-deps)"
    ),
]


def upload(page, key: str, name: str) -> None:
    page.get_by_test_id(f"upload-{key}").set_input_files(
        files=[{"name": name, "mimeType": "application/pdf", "buffer": PDF}]
    )
    page.get_by_test_id(f"upload-button-{key}").click()
    expect(page.get_by_role("link", name=name.removesuffix(".pdf") + ".pdf").first).to_be_visible()


def act(page, action: str, fill: dict[str, str] | None = None, choose: str | None = None) -> None:
    form = page.get_by_test_id(f"action-{action}")
    if fill is None and choose is None:
        form.get_by_role("button").click()
        return
    form.locator("summary").click()
    if choose:
        form.get_by_label(choose).check()
    for label, text in (fill or {}).items():
        form.get_by_label(label).fill(text)
    form.get_by_role("button").click()


def test_apply_return_resubmit_conclude_answer_rate(
    browser_context, live_server, catalogue, make_applicant, make_user
):
    applicant = make_applicant(name="郑晓雯")
    staff = make_user("service-staff", "320115-RSJ", username="rsj.browser")
    talent_page = browser_context.new_context(locale="zh-CN").new_page()
    staff_page = browser_context.new_context(locale="zh-CN").new_page()

    browser_sign_in(talent_page, live_server.url, applicant)
    talent_page.get_by_role("navigation", name="主导航").get_by_role("link", name="一站式服务大厅").click()
    talent_page.get_by_role("link", name="人才配偶就业").click()
    talent_page.get_by_test_id("apply").click()
    talent_page.get_by_label("配偶姓名").fill("李明")
    talent_page.get_by_label("配偶学历").fill("硕士")
    talent_page.get_by_label("意向岗位").fill("软件工程师")
    talent_page.get_by_test_id("save-draft").click()
    talent_page.wait_for_url("**/hall/cases/*/")
    upload(talent_page, "marriage_certificate", "结婚证.pdf")
    talent_page.get_by_test_id("submit-case").click()
    expect(talent_page.get_by_test_id("case-state")).to_have_text("待受理")
    case = Case.objects.get(applicant=applicant)

    browser_sign_in(staff_page, live_server.url, staff)
    staff_page.get_by_role("navigation", name="主导航").get_by_role("link", name="待办工作台").click()
    staff_page.get_by_role("link", name=case.number).click()
    act(staff_page, "accept")
    expect(staff_page.get_by_test_id("case-state")).to_contain_text("办理中")
    act(staff_page, "return", fill={"备注": "请补充配偶学历证书"})
    expect(staff_page.get_by_test_id("case-state")).to_contain_text("补正中")

    talent_page.reload()
    expect(talent_page.get_by_test_id("request-note")).to_have_text("请补充配偶学历证书")
    upload(talent_page, "req1_1", "学历证书.pdf")  # the request's one item (the note) takes a file
    talent_page.get_by_test_id("submit-case").click()
    expect(talent_page.get_by_test_id("case-state")).to_contain_text("办理中")

    staff_page.reload()
    act(staff_page, "conclude", fill={"理由": "材料齐全，推荐至合适岗位"}, choose="准予")
    expect(staff_page.get_by_test_id("case-state")).to_have_text("已办结")
    act(staff_page, "answer", fill={"备注": "已为您的配偶推荐三家园区企业岗位，请留意电话。"})
    expect(staff_page.get_by_test_id("case-state")).to_have_text("已答复")

    talent_page.reload()
    expect(talent_page.get_by_test_id("answer")).to_have_text(
        "已为您的配偶推荐三家园区企业岗位，请留意电话。"
    )
    talent_page.get_by_label("非常满意").check()
    talent_page.get_by_label("意见").fill("办理很快")
    talent_page.get_by_test_id("rate").click()
    expect(talent_page.get_by_test_id("rating")).to_contain_text("非常满意")
    case.refresh_from_db()
    assert case.state == "rated"
    actions = list(case.events.values_list("action", flat=True))
    assert actions[-6:] == ["return", "material", "resubmit", "conclude", "answer", "rate"]


def test_office_shows_a_masked_bank_account_with_a_reason(
    browser_context, live_server, catalogue, make_applicant, make_user, private_media
):

    applicant = make_applicant(name="钱多多")
    service = catalogue["housing-purchase-subsidy"]
    draft = cases.case_draft_save(actor=applicant, service=service, data=FORM, idempotency_key="b1")
    for material in service.current.materials:
        cases.material_add(actor=applicant, case=draft, key=material["key"], upload=PDF, name="m.pdf")
    case = cases.case_submit(actor=applicant, service=service, data={}, idempotency_key="b1", case=draft)
    office = make_user("talent-office", "320115-ZZB", username="office.browser")
    page = browser_context.new_context(locale="zh-CN").new_page()
    browser_sign_in(page, live_server.url, office)
    page.goto(f"{live_server.url}/hall/cases/{case.pk}/")
    expect(page.get_by_test_id("answer-masked-bank_account")).to_have_text("6222 **** **** 0000")
    answer = page.locator("#answer-bank_account")
    answer.locator("summary").click()
    answer.get_by_role("button").click()  # no reason yet: refused at the field, nothing shown
    expect(page.locator("#answer-bank_account [role=alert]")).to_be_visible()
    page.locator("#answer-bank_account").get_by_label("查看理由").fill("核对发放账户")
    page.locator("#answer-bank_account").get_by_role("button").click()
    expect(page.get_by_test_id("answer-clear-bank_account")).to_have_text(FORM["bank_account"])
    assert AuditEvent.objects.filter(action="pii.unmask", object_id=str(case.pk)).count() == 1


def no_horizontal_overflow(page) -> None:
    """No page wider than the phone, and the header (the phone shell's one bar) under 15 % of its height."""
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), page.url
    header = page.locator("header.site-header").bounding_box()
    assert header is not None, page.url
    assert header["y"] + header["height"] < 0.15 * page.viewport_size["height"], (page.url, header)


def test_on_a_phone_apply_answer_a_correction_read_the_notice_and_rate(
    browser_context, live_server, catalogue, make_applicant, make_user, private_media
):

    applicant = make_applicant(name="郑晓雯")
    staff = make_user("service-staff", "320115-RSJ", username="rsj.phone")
    page = browser_context.new_context(locale="zh-CN", viewport={"width": 390, "height": 844}).new_page()
    browser_sign_in(page, live_server.url, applicant)

    # Apply with an upload.
    page.goto(f"{live_server.url}/hall/services/spouse-employment/")
    no_horizontal_overflow(page)
    page.get_by_test_id("apply").click()
    page.get_by_label("配偶姓名").fill("李明")
    page.get_by_label("配偶学历").fill("硕士")
    page.get_by_label("意向岗位").fill("软件工程师")
    no_horizontal_overflow(page)
    page.get_by_test_id("save-draft").click()
    page.wait_for_url("**/hall/cases/*/")
    upload(page, "marriage_certificate", "结婚证.pdf")
    no_horizontal_overflow(page)
    page.get_by_test_id("submit-case").click()
    expect(page.get_by_test_id("case-state")).to_have_text("待受理")
    spouse = Case.objects.get(applicant=applicant, service__code="spouse-employment")
    case_transition(actor=staff, case=spouse, action="accept")

    # The stepper marks 办理; the 受理通知书 answers a PDF.
    page.reload()
    expect(page.locator('.stepper [aria-current="step"]')).to_have_text("办理")
    expect(page.get_by_test_id("days-left")).to_contain_text("个工作日")
    no_horizontal_overflow(page)
    link = page.get_by_test_id("notice-acceptance")
    expect(link).to_contain_text("受理通知书")
    pdf = page.request.get(live_server.url + link.get_attribute("href"))
    assert pdf.status == 200
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF-")

    # A service without material slots: staff ask for two documents; the talent uploads each, resubmits.
    page.goto(f"{live_server.url}/hall/services/supplementary-medical/")
    page.get_by_test_id("apply").click()
    page.get_by_label("参保家属人数").fill("2")
    page.get_by_test_id("save-draft").click()
    page.wait_for_url("**/hall/cases/*/")
    expect(page.get_by_text("该服务事项无需材料。")).to_be_visible()
    page.get_by_test_id("submit-case").click()
    expect(page.get_by_test_id("case-state")).to_have_text("待受理")
    medical = Case.objects.get(applicant=applicant, service__code="supplementary-medical")
    case_transition(actor=staff, case=medical, action="return", items=["户口簿复印件", "参保证明"])
    page.reload()
    expect(page.get_by_text("户口簿复印件").first).to_be_visible()
    no_horizontal_overflow(page)
    page.get_by_test_id("submit-case").click()  # nothing provided yet: each item is named
    expect(page.get_by_test_id("problems")).to_contain_text("户口簿复印件")
    expect(page.get_by_test_id("problems")).to_contain_text("参保证明")
    no_horizontal_overflow(page)
    upload(page, "req1_1", "户口簿.pdf")
    upload(page, "req1_2", "参保证明.pdf")
    page.get_by_test_id("submit-case").click()
    expect(page.get_by_test_id("case-state")).to_have_text("待受理")
    medical.refresh_from_db()
    assert medical.state == "submitted"
    case_transition(actor=staff, case=medical, action="accept")

    # The first case is concluded and answered; the talent rates it.
    spouse.refresh_from_db()
    spouse = case_transition(
        actor=staff, case=spouse, action="conclude", decision="approved", note="符合条件"
    )
    case_transition(actor=staff, case=spouse, action="answer", note="已推荐岗位。")
    page.goto(f"{live_server.url}/hall/cases/{spouse.pk}/")
    no_horizontal_overflow(page)
    page.get_by_label("非常满意").check()
    page.get_by_test_id("rate").click()
    expect(page.get_by_test_id("rating")).to_contain_text("非常满意")
    expect(page.locator('.stepper [aria-current="step"]')).to_contain_text("评价")
    no_horizontal_overflow(page)
    spouse.refresh_from_db()
    assert spouse.state == "rated"
