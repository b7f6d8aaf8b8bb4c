"""A person's full data copy through the API: released only against an open request for a copy and a fresh
step-up through the API (5 minutes), rate-limited per user, every refusal with the JSON error body."""

from __future__ import annotations

import datetime as dt
from datetime import timedelta

import pytest
import time_machine
from django.core.cache import cache
from django.test import Client
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from talentcloud.accounts.models import Role
from talentcloud.accounts.services import token_create
from talentcloud.audit.models import AuditEvent
from talentcloud.conftest import PASSWORD, totp_code
from talentcloud.talents.models import Talent
from talentcloud.talents.services import rights_request_create, rights_request_refuse

pytestmark = pytest.mark.django_db
ID = "32011519850317123X"
PHONE = "13812345678"


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def person(make_user):
    account = make_user("talent", None, username="wang.wu")
    talent = Talent.objects.create(
        name="王五",
        gender="M",
        birth_date=dt.date(1985, 3, 17),
        highest_degree="doctor",
        category="young",
        id_number=ID,
        phone=PHONE,
        account=account,
    )
    return account, talent


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def step_up(client: Client, token: str, **body: str):
    return client.post("/api/v1/auth/step-up", body, content_type="application/json", headers=bearer(token))


def test_copy_needs_a_step_up_and_an_open_copy_request_and_expires_after_five_minutes(person, make_user):
    account, talent = person
    office = make_user("talent-office", "320115-ZZB")
    _t, token = token_create(actor=account, name="app", days=365, console=True)
    client = Client()
    url = f"/api/v1/talents/{talent.pk}/data"

    refused = client.get(url, headers=bearer(token))
    assert refused.status_code == 403
    body = refused.json()
    assert set(body) == {"code", "message", "fields"}
    assert body["code"] == "step_up_required"
    assert ID not in refused.content.decode()
    assert PHONE not in refused.content.decode()

    confirmed = step_up(client, token, password=PASSWORD)
    assert confirmed.status_code == 200, confirmed.content
    no_request = client.get(url, headers=bearer(token))
    assert no_request.status_code == 403
    assert no_request.json()["code"] == "copy_request_required"
    assert ID not in no_request.content.decode()

    copy_request = rights_request_create(actor=account, talent=talent, kind="copy")
    released = client.get(url, headers=bearer(token))
    assert released.status_code == 200, released.content
    assert released.json()["id_number"] == ID
    assert released.json()["phone"] == PHONE
    assert AuditEvent.objects.filter(action="pipl.copy", object_id=str(talent.pk)).count() == 1

    with time_machine.travel(timezone.now() + timedelta(seconds=301)):
        stale = client.get(url, headers=bearer(token))
        assert stale.status_code == 403
        assert stale.json()["code"] == "step_up_required"
        assert step_up(client, token, password=PASSWORD).status_code == 200
        assert client.get(url, headers=bearer(token)).status_code == 200

        # Once the request is answered, the copy is not released again.
        rights_request_refuse(actor=office, request=copy_request, answer="已提供副本")
        answered = client.get(url, headers=bearer(token))
        assert answered.status_code == 403
        assert answered.json()["code"] == "copy_request_required"


def test_a_step_up_holds_for_its_own_token_only(person):
    account, talent = person
    rights_request_create(actor=account, talent=talent, kind="copy")
    _a, first = token_create(actor=account, name="one", days=30, console=True)
    _b, second = token_create(actor=account, name="two", days=30, console=True)
    client = Client()
    assert step_up(client, first, password=PASSWORD).status_code == 200
    assert client.get(f"/api/v1/talents/{talent.pk}/data", headers=bearer(first)).status_code == 200
    other = client.get(f"/api/v1/talents/{talent.pk}/data", headers=bearer(second))
    assert other.status_code == 403
    assert other.json()["code"] == "step_up_required"


def test_the_office_gets_a_copy_with_its_authenticator_code(person, make_user):
    account, talent = person
    office = make_user("talent-office", "320115-ZZB")
    device = TOTPDevice.objects.create(user=office, name="phone", confirmed=True)
    _t, token = token_create(actor=office, name="pipl", days=30, console=True)
    client = Client()
    rights_request_create(actor=account, talent=talent, kind="copy")
    assert step_up(client, token, otp=totp_code(device)).status_code == 200
    released = client.get(f"/api/v1/talents/{talent.pk}/data", headers=bearer(token))
    assert released.status_code == 200
    assert released.json()["id_number"] == ID


def test_staff_without_the_pipl_permission_get_no_copy(person, make_user):
    account, talent = person
    rights_request_create(actor=account, talent=talent, kind="copy")
    role = Role.objects.get(code="talent-office")  # the office's role, without the permission
    role.permissions = [code for code in role.permissions if code != "pipl.handle"]
    role.save(update_fields=["permissions"])
    office = make_user("talent-office", "320115-ZZB")
    device = TOTPDevice.objects.create(user=office, name="phone", confirmed=True)
    _t, token = token_create(actor=office, name="x", days=30, console=True)
    client = Client()
    assert step_up(client, token, otp=totp_code(device)).status_code == 200
    refused = client.get(f"/api/v1/talents/{talent.pk}/data", headers=bearer(token))
    assert refused.status_code == 403
    assert refused.json()["code"] == "forbidden"
    assert ID not in refused.content.decode()


def test_failed_step_ups_are_audited_and_lock_the_account_like_failed_logins(person):
    account, talent = person
    rights_request_create(actor=account, talent=talent, kind="copy")
    _t, token = token_create(actor=account, name="app", days=30, console=True)
    client = Client()
    for _ in range(4):
        wrong = step_up(client, token, password="Not-The-Password-1")
        assert wrong.status_code == 422
        assert set(wrong.json()["fields"]) == {"password"}
    fifth = step_up(client, token, password="Not-The-Password-1")
    assert fifth.status_code == 429
    assert fifth.json()["code"] == "locked_out"
    # Locked: the right password is refused too, through the API and on the login page.
    locked = step_up(client, token, password=PASSWORD)
    assert locked.status_code == 429
    assert locked.json()["code"] == "locked_out"
    assert client.get(f"/api/v1/talents/{talent.pk}/data", headers=bearer(token)).status_code == 403
    # A failed step-up is not also recorded as a failed login.
    assert not AuditEvent.objects.filter(action="auth.login", outcome="failure").exists()
    page = Client().post("/accounts/login/", {"username": account.username, "password": PASSWORD})
    assert page.status_code == 429
    failures = AuditEvent.objects.filter(action="auth.step_up", outcome="failure", actor_id=account.pk)
    assert failures.count() == 5
    assert all(event.details == {"factor": "password", "via": "token"} for event in failures)
    assert AuditEvent.objects.filter(action="auth.step_up", outcome="denied", actor_id=account.pk).exists()
    assert AuditEvent.objects.filter(action="account.lockout", actor_username=account.username).exists()


def test_copy_calls_are_rate_limited_per_user(person, settings):
    settings.RATELIMIT_PII = "3/d"  # a day: a window boundary never falls between the requests
    account, talent = person
    rights_request_create(actor=account, talent=talent, kind="copy")
    _t, token = token_create(actor=account, name="app", days=30, console=True)
    client = Client()
    url = f"/api/v1/talents/{talent.pk}/data"
    with time_machine.travel(timezone.now().replace(second=1), tick=False):
        assert step_up(client, token, password=PASSWORD).status_code == 200
        statuses = [client.get(url, headers=bearer(token)).status_code for _ in range(4)]
        assert statuses == [200, 200, 200, 429]
        limited = client.get(url, headers=bearer(token))
        assert limited.status_code == 429
        assert limited.json()["code"] == "rate_limited"
        assert set(limited.json()) == {"code", "message", "fields"}
    assert AuditEvent.objects.filter(action="pipl.copy").count() == 3
