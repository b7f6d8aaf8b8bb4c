"""The talent code's main journey in Debian's chromium at 390×844 (#23): the talent opens the code on a
phone; a hospital's verifier, in a second browser context, opens the verify page with the code (typed, as a
USB scanner types it) and sees the green channel; the vendored decoder (jsQR) reads the QR the talent's page
draws; the office revokes; the verifier's next online check of the same code is refused as revoked.
(Verification is online only, ADR 0025: there is no offline verifier and no cached status list.)"""

from __future__ import annotations

import os

import pytest
from playwright.sync_api import expect

from talentcloud.audit.models import AuditEvent
from talentcloud.conftest import CHROMIUM, browser_sign_in
from talentcloud.talentcode import services
from talentcloud.talentcode.models import Verification

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not os.path.exists(CHROMIUM), reason="Debian chromium is not installed (make browser-deps)"
    ),
]

PHONE = {"width": 390, "height": 844}

DECODE = """async (src) => {
  const img = new Image();
  img.src = src;
  await img.decode();
  const canvas = document.createElement("canvas");
  canvas.width = img.naturalWidth * 2; canvas.height = img.naturalHeight * 2;
  const ctx = canvas.getContext("2d");
  ctx.fillStyle = "#fff"; ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
  const data = ctx.getImageData(0, 0, canvas.width, canvas.height);
  const found = window.jsQR(data.data, data.width, data.height);
  return found ? found.data : null;
}"""


def test_talent_shows_verifier_checks_office_revokes_verifier_refused(browser_context, live_server, world):
    talent_page = browser_context.new_context(locale="zh-CN", viewport=PHONE).new_page()
    verifier_page = browser_context.new_context(locale="zh-CN", viewport=PHONE).new_page()
    office_page = browser_context.new_context(locale="zh-CN").new_page()

    # Everyone signs in first: the token the talent shows lives 60 seconds, and the journey below must not
    # outlast it on a slow machine (the refusal after the revocation must say "revoked", not "expired").
    browser_sign_in(talent_page, live_server.url, world.account)
    browser_sign_in(verifier_page, live_server.url, world.verifiers["medical"])
    browser_sign_in(office_page, live_server.url, world.office)
    office_page.goto(f"{live_server.url}/talentcode/talents/{world.talent.pk}/")
    talent_page.get_by_role("link", name="我的人才码").first.click()
    qr = talent_page.get_by_test_id("talent-qr")
    expect(qr).to_be_visible()
    box = qr.bounding_box()
    assert box is not None
    assert box["width"] >= 300
    assert box["x"] >= 0
    assert box["x"] + box["width"] <= 390
    token = qr.get_attribute("data-token")
    src = qr.get_attribute("src")
    assert token
    assert token.startswith("TC1.")
    assert src
    assert src.startswith("data:image/svg+xml")
    expect(talent_page.get_by_test_id("entitlements")).to_contain_text("就医绿色通道")

    verifier_page.get_by_role("link", name="核验人才码").first.click()
    verifier_page.wait_for_url("**/talentcode/verify/")
    assert verifier_page.evaluate(DECODE, src) == token  # the vendored decoder reads the talent's QR
    verifier_page.get_by_label("人才码").fill(token)
    verifier_page.get_by_test_id("verify-submit").click()
    answer = verifier_page.get_by_test_id("verify-answer")
    expect(answer).to_have_attribute("data-result", "valid")
    expect(answer).to_contain_text("有效：就医绿色通道")
    expect(verifier_page.get_by_test_id("masked-name")).to_have_text("冯**")
    expect(verifier_page.locator("body")).not_to_contain_text("子女入学")
    expect(verifier_page.locator("body")).not_to_contain_text("冯甲园")

    talent_page.reload()
    expect(talent_page.get_by_test_id("history")).to_contain_text("就医绿色通道单位")

    office_page.get_by_test_id("revoke-form").get_by_label("吊销原因").fill("人才反映手机遗失")
    office_page.get_by_test_id("revoke-form").get_by_role("button", name="吊销此码").click()
    expect(office_page.get_by_test_id("code-revoked")).to_be_visible()

    verifier_page.get_by_label("人才码").fill(token)
    verifier_page.get_by_test_id("verify-submit").click()
    expect(answer).to_have_attribute("data-result", "revoked")
    expect(answer).to_contain_text("已吊销")
    expect(verifier_page.get_by_test_id("masked-name")).to_have_count(0)

    talent_page.reload()
    expect(talent_page.get_by_test_id("no-code")).to_be_visible()
    assert [v.result for v in Verification.objects.order_by("at")] == ["valid", "revoked"]
    services.verifications_audit()
    assert AuditEvent.objects.filter(action="talentcode.verify").count() == 2
