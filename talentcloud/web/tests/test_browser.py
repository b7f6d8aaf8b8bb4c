"""Browser smoke test in Debian's chromium: sign in with a second factor, switch language, sign out."""

from __future__ import annotations

import os
import shutil

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from talentcloud.conftest import PASSWORD

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not os.path.exists(CHROMIUM), reason="Debian chromium is not installed (make browser-deps)"
    ),
]


def code_of(device: TOTPDevice) -> str:
    return f"{TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token():06d}"


def test_sign_in_with_second_factor_switch_language_sign_out(page, live_server, make_user):
    user = make_user("talent-office", "320115-ZZB", username="browser.office", display_name="王主任")
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)

    page.goto(f"{live_server.url}/")  # a visitor's / is the public portal, which leads to the sign-in
    page.get_by_test_id("entry-login").click()
    page.wait_for_url("**/accounts/login/")
    page.get_by_label("用户名").fill("browser.office")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/accounts/2fa/")
    page.get_by_label("六位验证码").fill(code_of(device))
    page.get_by_role("button", name="验证").click()
    page.wait_for_url(f"{live_server.url}/")
    assert page.get_by_role("heading", name="欢迎，王主任").is_visible()

    with page.expect_navigation():
        page.get_by_test_id("lang-en").click()
    assert page.get_by_role("heading", name="Welcome, 王主任").is_visible()
    assert page.locator("html").get_attribute("lang") == "en"
    # The session poll loaded in the background through htmx.
    page.locator("summary", has_text="王主任").click()
    page.wait_for_selector("#session-status small")
    assert "Session ends in" in page.inner_text("#session-status")

    page.get_by_test_id("logout").click()
    page.wait_for_url("**/accounts/login/")
    assert page.get_by_role("heading", name="Sign in").is_visible()
    assert not [e for e in errors if "Content Security Policy" in e], errors
