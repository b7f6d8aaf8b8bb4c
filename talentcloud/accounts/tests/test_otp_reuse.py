"""A TOTP code is accepted once per time step: a second sign-in inside the same 30 seconds is told to wait for
the next code, not that the code is wrong."""

from __future__ import annotations

import time
from unittest import mock

import pytest
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from talentcloud.accounts.selectors import totp_code_spent
from talentcloud.conftest import PASSWORD

pytestmark = pytest.mark.django_db

NOW = 1_790_000_005.0  # a fixed instant, 5 s into a 30 s step: the test never straddles a step by chance


def code_at(device: TOTPDevice, at: float) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = at
    return f"{totp.token():06d}"


def signed_in_to_second_factor(username: str) -> Client:
    client = Client()
    assert client.post("/accounts/login/", {"username": username, "password": PASSWORD})["Location"] == (
        "/accounts/2fa/"
    )
    return client


def test_a_code_used_once_asks_for_the_next_one(make_user):
    office = make_user("talent-office", "320115-ZZB", username="zhao")
    device = TOTPDevice.objects.create(user=office, name="phone", confirmed=True)
    code = code_at(device, NOW)
    with mock.patch.object(time, "time", return_value=NOW):
        first = signed_in_to_second_factor("zhao")
        assert first.post("/accounts/2fa/", {"code": code}).status_code == 302
        second = signed_in_to_second_factor("zhao")  # another browser, the same half-minute
        again = second.post("/accounts/2fa/", {"code": code}, HTTP_ACCEPT_LANGUAGE="zh-hans")
        assert again.status_code == 400
        page = again.content.decode()
        assert "下一个验证码" in page
        assert "不正确" not in page
        device.refresh_from_db()
        assert totp_code_spent(device, code)
        assert not totp_code_spent(device, "000000" if code != "000000" else "111111")  # wrong, not spent
        assert not totp_code_spent(device, "abc")
    # The next step's code signs the second browser in.
    later = NOW + device.step
    device.throttle_reset()
    with mock.patch.object(time, "time", return_value=later):
        assert second.post("/accounts/2fa/", {"code": code_at(device, later)}).status_code == 302
        assert second.get("/talents/").status_code == 200


def test_a_wrong_code_is_still_called_wrong(make_user):
    office = make_user("talent-office", "320115-ZZB", username="qian")
    device = TOTPDevice.objects.create(user=office, name="phone", confirmed=True)
    with mock.patch.object(time, "time", return_value=NOW):
        wrong = "000000" if code_at(device, NOW) != "000000" else "111111"
        page = signed_in_to_second_factor("qian").post("/accounts/2fa/", {"code": wrong}).content.decode()
    assert "下一个验证码" not in page
    assert "不正确" in page or "not right" in page
