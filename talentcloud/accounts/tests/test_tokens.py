from __future__ import annotations

import datetime as dt
import importlib
from datetime import timedelta

import pytest
import time_machine
from django.apps import apps
from django.test import Client
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from talentcloud.accounts.models import ApiToken, Role
from talentcloud.accounts.services import token_create, token_revoke
from talentcloud.audit.models import AuditEvent
from talentcloud.common.errors import ValidationFailed
from talentcloud.enterprises.models import Enterprise
from talentcloud.talents.models import Talent

pytestmark = pytest.mark.django_db


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def code_of(device: TOTPDevice) -> str:
    return f"{TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token():06d}"


def test_token_works_until_it_expires(make_user):
    user = make_user("talent-office", "320115-ZZB")
    _t, clear = token_create(actor=user, name="etl", days=1, console=True)
    assert Client().get("/api/v1/me", headers=bearer(clear)).status_code == 200
    with time_machine.travel(timezone.now() + timedelta(days=1, minutes=1)):
        response = Client().get("/api/v1/me", headers=bearer(clear))
    assert response.status_code == 401
    assert response.json()["code"] == "unauthorized"


def test_revoked_token_gets_401(make_user):
    user = make_user("talent-office", "320115-ZZB")
    token, clear = token_create(actor=user, name="etl", console=True)
    token_revoke(actor=user, token_id=token.pk)
    assert Client().get("/api/v1/me", headers=bearer(clear)).status_code == 401


def test_token_of_deactivated_user_gets_401(make_user):
    user = make_user("talent-office", "320115-ZZB")
    _t, clear = token_create(actor=user, name="etl", console=True)
    user.is_active = False
    user.save()
    assert Client().get("/api/v1/me", headers=bearer(clear)).status_code == 401


def test_tampered_token_gets_401(make_user):
    user = make_user("talent-office", "320115-ZZB")
    _t, clear = token_create(actor=user, name="etl", console=True)
    assert Client().get("/api/v1/me", headers=bearer(clear[:-2] + "xx")).status_code == 401
    assert Client().get("/api/v1/me", headers=bearer("garbage")).status_code == 401


def test_token_is_stored_as_digest_only(make_user):
    user = make_user("talent-office", "320115-ZZB")
    token, clear = token_create(actor=user, name="etl", console=True)
    stored = ApiToken.objects.get(pk=token.pk)
    assert clear not in (stored.digest, stored.prefix, stored.name)
    assert clear.split("_", 2)[2] not in stored.digest


def test_token_never_grants_more_than_its_user(make_user, units):
    user = make_user("park-staff", "320115-P-KFQ")
    ent = Enterprise.objects.create(
        name="乙公司",
        credit_code="91320115MA1CCCCC03",
        park=units["320115-P-GXQ"],
        street=units["320115-S-QL"],
    )
    other = Talent.objects.create(
        name="别园区",
        gender="M",
        birth_date=dt.date(1980, 1, 1),
        highest_degree="doctor",
        category="young",
        employer=ent,
    )
    _t, clear = token_create(actor=user, name="etl", console=True)
    client = Client()
    assert client.get(f"/api/v1/talents/{other.pk}", headers=bearer(clear)).status_code == 404
    assert client.get("/api/v1/audit/events", headers=bearer(clear)).status_code == 403
    # Narrowing the user's roles narrows the token at once.
    user.roles.set([Role.objects.get(code="expert")])
    assert client.get("/api/v1/talents", headers=bearer(clear)).json()["count"] == 0
    assert client.get("/api/v1/me", headers=bearer(clear)).json()["permissions"] == ["programs.review"]


def test_staff_get_a_token_only_after_a_totp_check(make_user, login):
    user = make_user("talent-office", "320115-ZZB")
    client = login(user)
    device = TOTPDevice.objects.get(user=user)
    refused = client.post("/accounts/tokens/", {"name": "etl", "days": 30, "otp_code": ""})
    assert refused.status_code == 400
    assert not ApiToken.objects.filter(user=user).exists()
    with pytest.raises(ValidationFailed):
        token_create(actor=user, name="etl", otp_code="000000" if code_of(device) != "000000" else "111111")
    device.refresh_from_db()
    device.throttle_reset()
    created = client.post("/accounts/tokens/", {"name": "etl", "days": 30, "otp_code": code_of(device)})
    assert created.status_code == 200
    assert "tc_" in created.content.decode()
    assert ApiToken.objects.filter(user=user).count() == 1


def test_token_api_create_and_revoke(make_user):
    talent = make_user("talent", None)
    _t, clear = token_create(actor=talent, name="first", console=True)
    client = Client()
    response = client.post(
        "/api/v1/tokens",
        {"name": "phone app", "days": 7},
        content_type="application/json",
        headers=bearer(clear),
    )
    assert response.status_code == 201
    new = response.json()
    assert new["token"].startswith("tc_")
    bad = client.post(
        "/api/v1/tokens", {"name": "", "days": 999}, content_type="application/json", headers=bearer(clear)
    )
    assert bad.status_code == 422
    assert set(bad.json()["fields"]) == {"name", "days"}
    assert client.delete(f"/api/v1/tokens/{new['id']}", headers=bearer(clear)).status_code == 204
    assert client.get("/api/v1/me", headers=bearer(new["token"])).status_code == 401


def test_cannot_revoke_someone_elses_token(make_user):
    a = make_user("talent", None)
    b = make_user("talent", None)
    token, _clear = token_create(actor=b, name="b", console=True)
    _t, clear_a = token_create(actor=a, name="a", console=True)
    assert Client().delete(f"/api/v1/tokens/{token.pk}", headers=bearer(clear_a)).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_staff_tokens_live_at_most_the_staff_limit(make_user, settings):
    settings.STAFF_API_TOKEN_MAX_DAYS = 90
    staff = make_user("service-staff", "320115-ZJJ")
    with pytest.raises(ValidationFailed) as refused:
        token_create(actor=staff, name="etl", days=91, console=True)
    assert "90" in str(refused.value.fields["days"][0])
    token, _clear = token_create(actor=staff, name="etl", days=90, console=True)
    assert token.expires_at - token.created_at <= timedelta(days=90, seconds=1)
    # Talents and enterprise HR keep the general limit.
    talent = make_user("talent", None)
    long, _c = token_create(actor=talent, name="phone", days=365, console=True)
    assert long.expires_at - long.created_at > timedelta(days=364)


def test_staff_token_over_the_limit_through_the_api_and_the_page(make_user, login):
    staff = make_user("talent-office", "320115-ZZB")
    _t, clear = token_create(actor=staff, name="first", days=30, console=True)
    device = TOTPDevice.objects.get_or_create(user=staff, name="phone", confirmed=True)[0]
    refused = Client().post(
        "/api/v1/tokens",
        {"name": "long", "days": 365, "otp_code": code_of(device)},
        content_type="application/json",
        headers=bearer(clear),
    )
    assert refused.status_code == 422
    assert set(refused.json()["fields"]) == {"days"}
    page = login(staff).post("/accounts/tokens/", {"name": "long", "days": 120, "otp_code": code_of(device)})
    assert page.status_code == 400
    assert ApiToken.objects.filter(user=staff).count() == 1


def test_a_token_stops_at_the_staff_limit_once_its_user_is_staff(make_user):
    user = make_user("talent", None)
    _t, clear = token_create(actor=user, name="phone", days=365, console=True)
    user.roles.add(Role.objects.get(code="service-staff"))
    with time_machine.travel(timezone.now() + timedelta(days=89)):
        assert Client().get("/api/v1/me", headers=bearer(clear)).status_code == 200
    with time_machine.travel(timezone.now() + timedelta(days=91)):
        assert Client().get("/api/v1/me", headers=bearer(clear)).status_code == 401


def _shorten_staff_tokens():

    migration = importlib.import_module("talentcloud.accounts.migrations.0003_staff_token_lifetime")
    return migration.shorten_staff_tokens(apps, None)


def test_the_migration_shortens_staff_tokens_and_leaves_talents_tokens_alone(make_user):

    created = timezone.now() - timedelta(days=10)
    staff = make_user("park-staff", "320115-P-KFQ")
    talent = make_user("talent", None)
    hr = make_user("enterprise-hr", None)

    def token_of(user, prefix, days):
        return ApiToken.objects.create(
            user=user,
            name=prefix,
            prefix=prefix,
            digest="0" * 64,
            created_at=created,
            expires_at=created + timedelta(days=days),
        )

    long_staff = token_of(staff, "s365", 365)
    short_staff = token_of(staff, "s30", 30)
    talents = token_of(talent, "t365", 365)
    hrs = token_of(hr, "h365", 365)
    assert _shorten_staff_tokens() == 1
    for token in (long_staff, short_staff, talents, hrs):
        token.refresh_from_db()
    assert long_staff.expires_at == created + timedelta(days=90)
    assert short_staff.expires_at == created + timedelta(days=30)
    assert talents.expires_at == created + timedelta(days=365)
    assert hrs.expires_at == created + timedelta(days=365)
    event = AuditEvent.objects.get(action="token.shorten")
    assert event.details == {"tokens": 1, "max_days": 90}
    assert _shorten_staff_tokens() == 0  # a rerun changes nothing
