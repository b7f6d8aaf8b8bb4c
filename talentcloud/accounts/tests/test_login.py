from __future__ import annotations

import pytest
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from talentcloud.audit.models import AuditEvent
from talentcloud.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def current_code(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():06d}"


def post_login(client: Client, username: str, password: str):
    return client.post("/accounts/login/", {"username": username, "password": password})


def test_five_wrong_passwords_lock_the_account_and_are_audited(make_user, login):
    user = make_user("talent", None, username="li.lei")
    client = Client()
    for _ in range(4):
        assert post_login(client, "li.lei", "Wrong-Password-1").status_code == 400
    fifth = post_login(client, "li.lei", "Wrong-Password-1")
    assert fifth.status_code == 429
    # Locked: even the right password is refused now.
    locked = post_login(client, "li.lei", PASSWORD)
    assert locked.status_code == 429
    assert "locked" in locked.content.decode() or "锁定" in locked.content.decode()
    assert "_auth_user_id" not in client.session
    failures = AuditEvent.objects.filter(action="auth.login", outcome="failure", actor_username="li.lei")
    assert failures.count() >= 5
    assert AuditEvent.objects.filter(action="account.lockout", actor_username="li.lei").exists()

    # The security administrator unlocks it; the unlock is recorded; the user signs in again.
    secadmin = make_user("security-admin", "320115-ZZB")
    admin_client = login(secadmin)
    page = admin_client.get("/accounts/lockouts/")
    assert "li.lei" in page.content.decode()
    admin_client.post("/accounts/lockouts/", {"username": "li.lei"})
    unlock = AuditEvent.objects.get(action="account.unlock")
    assert unlock.actor_username == secadmin.username
    assert unlock.object_id == str(user.pk)
    assert post_login(Client(), "li.lei", PASSWORD).status_code == 302


def test_unknown_user_failures_are_recorded_too():
    client = Client()
    post_login(client, "nobody", "Wrong-Password-1")
    assert AuditEvent.objects.filter(action="auth.login", outcome="failure", actor_username="nobody").exists()


def test_staff_need_a_second_factor(make_user):
    office = make_user("talent-office", "320115-ZZB", username="wang")
    device = TOTPDevice.objects.create(user=office, name="phone", confirmed=True)
    client = Client()
    response = post_login(client, "wang", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/"
    # Password alone opens no page.
    assert client.get("/talents/")["Location"] == "/accounts/2fa/"
    assert client.get("/api/v1/talents").status_code == 401
    wrong = client.post(
        "/accounts/2fa/", {"code": "000000" if current_code(device) != "000000" else "111111"}
    )
    assert wrong.status_code == 400
    assert "not right" in wrong.content.decode() or "不正确" in wrong.content.decode()
    device.refresh_from_db()
    assert device.throttling_failure_count == 1  # django-otp slows down guessing after each failure
    device.throttle_reset()
    ok = client.post("/accounts/2fa/", {"code": current_code(device)})
    assert ok.status_code == 302
    assert client.get("/talents/").status_code == 200
    assert AuditEvent.objects.filter(action="auth.otp", outcome="success", actor_id=office.pk).exists()


def test_staff_without_device_enrol_first(make_user):
    make_user("park-staff", "320115-P-KFQ", username="zhang")
    client = Client()
    assert post_login(client, "zhang", PASSWORD)["Location"] == "/accounts/2fa/setup/"
    page = client.get("/accounts/2fa/setup/")
    assert page.status_code == 200
    assert "data:image/svg+xml" in page.content.decode()
    device = TOTPDevice.objects.get(user__username="zhang", confirmed=False)
    assert client.post("/accounts/2fa/setup/", {"code": "12345"}).status_code == 400
    assert client.post("/accounts/2fa/setup/", {"code": current_code(device)}).status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/talents/").status_code == 200


def test_enrolment_cannot_bypass_an_existing_device(make_user):
    office = make_user("talent-office", "320115-ZZB", username="zhao")
    TOTPDevice.objects.create(user=office, name="phone", confirmed=True)
    client = Client()
    post_login(client, "zhao", PASSWORD)
    assert client.get("/accounts/2fa/setup/")["Location"] == "/accounts/2fa/"
    assert TOTPDevice.objects.filter(user=office).count() == 1


def test_talents_sign_in_with_password_only(make_user):
    make_user("talent", None, username="han.mei")
    client = Client()
    assert post_login(client, "han.mei", PASSWORD)["Location"] == "/"
    assert client.get("/").status_code == 200


def test_login_rotates_the_session_id_and_logout_kills_it(make_user):
    make_user("talent", None, username="rotating")
    client = Client()
    client.get("/accounts/login/")
    before = client.cookies.get("tc_session")
    post_login(client, "rotating", PASSWORD)
    after = client.cookies["tc_session"].value
    assert before is None or before.value != after
    client.post("/accounts/logout/")

    assert not Session.objects.filter(session_key=after).exists()
    assert client.get("/hall/cases/")["Location"].startswith("/accounts/login/")
    assert b'data-testid="entry-login"' in client.get("/").content  # / is the public portal again


def test_open_redirect_is_refused(make_user):
    make_user("talent", None, username="redir")
    client = Client()
    response = client.post(
        "/accounts/login/?next=https://evil.example/", {"username": "redir", "password": PASSWORD}
    )
    assert response["Location"] == "/"


def test_login_form_is_rate_limited_per_address(settings):

    cache.clear()
    settings.RATELIMIT_LOGIN = "3/d"  # a day: a window boundary never falls between the requests
    client = Client()
    statuses = [post_login(client, f"someone{i}", "Wrong-Password-1").status_code for i in range(4)]
    assert statuses == [400, 400, 400, 429]
    assert (
        "Too many" in post_login(client, "x", "y").content.decode()
        or "过于频繁" in post_login(client, "x", "y").content.decode()
    )
    cache.clear()
