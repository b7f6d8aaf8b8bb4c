"""A talent registers with a phone code, is verified by the (fake) identity provider, claims their archive."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.cache import cache
from django.test import Client

from talentcloud.accounts import sms
from talentcloud.accounts.models import User
from talentcloud.audit.models import AuditEvent
from talentcloud.talents.models import Talent
from talentcloud.talents.selectors import fact_verified

pytestmark = pytest.mark.django_db
ID = "320115198503171233"
PHONE = "13912345678"


@pytest.fixture(autouse=True)
def clean_state():
    cache.clear()
    sms.outbox.clear()
    yield
    cache.clear()


def send_code(client: Client, phone: str = PHONE) -> str:
    response = client.post("/talents/register/code/", {"phone": phone})
    assert response.status_code == 200, response.content.decode()
    phone_sent, text = sms.outbox[-1]
    assert phone_sent == phone
    return re.search(r"\d{6}", text).group(0)  # type: ignore[union-attr]


def form(code: str, **overrides: str) -> dict[str, str]:
    data = {
        "name": "王小明",
        "id_number": ID,
        "phone": PHONE,
        "code": code,
        "username": "wang.xiaoming",
        "password": "Xiaoming-Pass-2026",
        "password_again": "Xiaoming-Pass-2026",
    }
    data.update(overrides)
    return data


def test_register_verify_claim_and_see_the_archive(units):
    archive = Talent.objects.create(
        name="王小明",
        gender="M",
        birth_date=dt.date(1985, 3, 17),
        highest_degree="doctor",
        category="high_level",
        id_number=ID,
    )
    client = Client()
    code = send_code(client)
    response = client.post("/talents/register/", form(code))
    assert response.status_code == 302
    assert response["Location"] == f"/talents/{archive.pk}/"
    archive.refresh_from_db()
    assert archive.account is not None
    assert archive.account.username == "wang.xiaoming"
    assert archive.phone == PHONE
    page = client.get(response["Location"]).content.decode()
    assert "王小明" in page
    assert AuditEvent.objects.filter(action="talent.claim", object_id=str(archive.pk)).exists()
    # What the talent then declares about their degree is not verified until staff verify it.
    client.post(
        "/talents/me/",
        {
            "highest_degree": "master",
            "phone": PHONE,
            "email": "",
            "post": "",
            "graduated_on": "",
            "social_insurance_since": "",
            "owns_home_in_city": "unknown",
        },
    )
    archive.refresh_from_db()
    assert archive.highest_degree == "master"
    assert not fact_verified(archive, "highest_degree")


def test_without_an_archive_a_new_one_is_opened(units):
    client = Client()
    code = send_code(client)
    response = client.post("/talents/register/", form(code))
    assert response.status_code == 302
    talent = Talent.objects.get()
    assert talent.birth_date == dt.date(1985, 3, 17)
    assert talent.gender == "M"
    assert talent.account is not None
    assert talent.account.username == "wang.xiaoming"


def test_wrong_code_and_failed_identity_are_refused_a_claimed_archive_is_not_handed_over(units, make_user):
    client = Client()
    code = send_code(client)
    wrong = client.post("/talents/register/", form("000000" if code != "000000" else "111111"))
    assert wrong.status_code == 400
    assert "code" in wrong.content.decode() or "验证码" in wrong.content.decode()
    cache.clear()
    code = send_code(client)
    impostor = client.post("/talents/register/", form(code, name="冒名顶替"))
    assert impostor.status_code == 400
    assert "实名" in impostor.content.decode()
    owner = make_user("talent", None, username="first.owner")
    Talent.objects.create(
        name="王小明",
        gender="M",
        birth_date=dt.date(1985, 3, 17),
        highest_degree="doctor",
        category="young",
        id_number=ID,
        account=owner,
    )
    cache.clear()
    code = send_code(client)
    # An archive with an account is not handed over; the sign-up looks like one with a new number and a new
    # archive waits for the office's merge (ADR 0010, test_clashes.py).
    taken = client.post("/talents/register/", form(code, username="second.try"))
    assert taken.status_code == 302

    assert not User.objects.filter(username="wang.xiaoming").exists()
    archive = Talent.objects.get(account__username="first.owner")
    assert not archive.pending_merge
    assert Talent.objects.get(account__username="second.try").pending_merge


def test_sms_codes_are_rate_limited_and_validated(units):
    client = Client()
    assert client.post("/talents/register/code/", {"phone": "12345"}).status_code == 422
    send_code(client)
    assert client.post("/talents/register/code/", {"phone": PHONE}).status_code == 429
