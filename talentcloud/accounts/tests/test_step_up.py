"""POST /api/v1/auth/step-up: a fresh password or authenticator check, recorded on the token (or session)."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from talentcloud.accounts.models import ApiToken
from talentcloud.accounts.reauth import REAUTH_SESSION_KEY
from talentcloud.accounts.services import token_create
from talentcloud.audit.models import AuditEvent
from talentcloud.conftest import PASSWORD, totp_code

pytestmark = pytest.mark.django_db


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def step_up(client: Client, token: str | None = None, **body: str):
    headers = bearer(token) if token else {}
    return client.post("/api/v1/auth/step-up", body, content_type="application/json", headers=headers)


def test_staff_step_up_with_their_authenticator_code(make_user):
    staff = make_user("talent-office", "320115-ZZB")
    device = TOTPDevice.objects.create(user=staff, name="phone", confirmed=True)
    token, clear = token_create(actor=staff, name="etl", days=30, console=True)
    client = Client()
    # A password alone is not enough for staff: the code is asked for, and nothing is counted as a failure.
    password_only = step_up(client, clear, password=PASSWORD)
    assert password_only.status_code == 422
    assert set(password_only.json()["fields"]) == {"otp"}
    wrong_code = "000000" if totp_code(device) != "000000" else "111111"
    wrong = step_up(client, clear, otp=wrong_code)
    assert wrong.status_code == 422
    assert set(wrong.json()["fields"]) == {"otp"}
    failure = AuditEvent.objects.get(action="auth.step_up", outcome="failure")
    assert failure.details == {"factor": "otp", "via": "token"}
    token.refresh_from_db()
    assert token.stepped_up_at is None
    device.refresh_from_db()
    device.throttle_reset()
    with time_machine.travel(timezone.now() + timedelta(seconds=60)):
        ok = step_up(client, clear, otp=totp_code(device))
        assert ok.status_code == 200, ok.content
    token.refresh_from_db()
    assert token.stepped_up_at is not None
    body = ok.json()
    assert set(body) == {"confirmed_at", "valid_until"}
    success = AuditEvent.objects.get(action="auth.step_up", outcome="success")
    assert success.details == {"via": "token", "factor": "otp", "token": token.prefix}


def test_staff_with_a_wrong_password_beside_the_right_code_are_refused(make_user):
    staff = make_user("talent-office", "320115-ZZB")
    device = TOTPDevice.objects.create(user=staff, name="phone", confirmed=True)
    _t, clear = token_create(actor=staff, name="etl", days=30, console=True)
    refused = step_up(Client(), clear, password="Not-The-Password-1", otp=totp_code(device))
    assert refused.status_code == 422
    assert set(refused.json()["fields"]) == {"password"}
    assert ApiToken.objects.get().stepped_up_at is None


def test_staff_without_an_authenticator_cannot_step_up(make_user):
    staff = make_user("talent-office", "320115-ZZB")
    _t, clear = token_create(actor=staff, name="console", days=30, console=True)
    refused = step_up(Client(), clear, otp="123456")
    assert refused.status_code == 403
    assert refused.json()["code"] == "forbidden"


def test_a_talent_needs_their_password(make_user):
    talent = make_user("talent", None)
    _t, clear = token_create(actor=talent, name="app", days=30, console=True)
    empty = step_up(Client(), clear)
    assert empty.status_code == 422
    assert set(empty.json()["fields"]) == {"password"}
    assert not AuditEvent.objects.filter(action="auth.step_up").exists()  # nothing tried, nothing counted
    assert step_up(Client(), clear, password=PASSWORD).status_code == 200


def test_step_up_in_a_session_marks_the_session(make_user, login):
    talent = make_user("talent", None)
    client = login(talent)
    assert step_up(client, password=PASSWORD).status_code == 200
    assert client.session[REAUTH_SESSION_KEY]
    assert AuditEvent.objects.get(action="auth.step_up").details == {"via": "session", "factor": "password"}


def test_step_up_needs_a_signed_in_caller():
    assert step_up(Client(), password=PASSWORD).status_code == 401
