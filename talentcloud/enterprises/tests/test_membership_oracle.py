"""Asking to act for an enterprise tells nothing about whether it exists (ADR 0010): an existing and an
unknown credit code get the same answer, page and API, and no enterprise id reaches the asker."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.test import Client
from stdnum.cn import uscc

from talentcloud.accounts import sms
from talentcloud.enterprises.models import Enterprise, MembershipRequest
from talentcloud.enterprises.services import enterprise_create

pytestmark = pytest.mark.django_db


def code(n: int) -> str:
    first17 = f"91320115MA1X2Y{n:03d}"
    return first17 + uscc.calc_check_digit(first17)


UNKNOWN = code(9)


@pytest.fixture(autouse=True)
def clean_state():
    cache.clear()
    sms.outbox.clear()
    yield
    cache.clear()


def page_answer(response: Any) -> tuple[int, str, list[str]]:
    return (
        response.status_code,
        response.get("Location", ""),
        [str(m) for m in get_messages(response.wsgi_request)],
    )


def test_signed_in_page_answers_the_same_for_an_existing_and_an_unknown_code(
    units, make_user, login, kfq_firm
):
    asker = login(make_user("talent", None))
    other = login(make_user("talent", None))
    existing = asker.post("/enterprises/join/", {"credit_code": kfq_firm.credit_code})
    unknown = other.post("/enterprises/join/", {"credit_code": UNKNOWN})
    assert page_answer(existing) == page_answer(unknown)
    assert page_answer(existing)[:2] == (302, "/enterprises/mine/")
    mine = asker.get("/enterprises/mine/").content.decode()
    assert kfq_firm.credit_code in mine
    assert kfq_firm.name not in mine
    assert str(kfq_firm.pk) not in mine
    # Asking twice is the same refusal either way.
    again_existing = asker.post("/enterprises/join/", {"credit_code": kfq_firm.credit_code})
    again_unknown = other.post("/enterprises/join/", {"credit_code": UNKNOWN})
    assert again_existing.status_code == again_unknown.status_code == 400
    # A malformed code is refused for its form alone.
    assert asker.post("/enterprises/join/", {"credit_code": "91320115MA1X2Y3W4X"}).status_code == 400


def test_api_answers_the_same_and_never_gives_the_enterprise_id(units, make_user, login, kfq_firm):
    asker = login(make_user("talent", None))
    other = login(make_user("talent", None))
    existing = asker.post(
        "/api/v1/enterprises/memberships",
        {"credit_code": kfq_firm.credit_code},
        content_type="application/json",
    )
    unknown = other.post(
        "/api/v1/enterprises/memberships", {"credit_code": UNKNOWN}, content_type="application/json"
    )
    assert existing.status_code == unknown.status_code == 201
    differ = {"id": "-", "credit_code": "-", "created_at": "-"}
    assert {**existing.json(), **differ} == {**unknown.json(), **differ}
    assert set(existing.json()) == {
        "id",
        "credit_code",
        "as_admin",
        "status",
        "note",
        "created_at",
        "message",
    }
    assert str(kfq_firm.pk) not in existing.content.decode()
    mine = asker.get("/api/v1/enterprises/memberships/mine")
    assert mine.status_code == 200
    assert [r["credit_code"] for r in mine.json()] == [kfq_firm.credit_code]
    assert str(kfq_firm.pk) not in mine.content.decode()
    assert kfq_firm.name not in mine.content.decode()
    again = [
        c.post("/api/v1/enterprises/memberships", {"credit_code": cc}, content_type="application/json")
        for c, cc in ((asker, kfq_firm.credit_code), (other, UNKNOWN))
    ]
    assert again[0].status_code == again[1].status_code == 409
    assert again[0].json() == again[1].json()


def sign_up(client: Client, *, username: str, phone: str, credit_code: str) -> Any:
    client.post("/talents/register/code/", {"phone": phone})
    sms_code = re.search(r"\d{6}", sms.outbox[-1][1]).group(0)  # type: ignore[union-attr]
    data = {
        "name": "李企管",
        "id_number": "320115198503171233" if username == "a.admin" else "11010519491231002X",
        "phone": phone,
        "code": sms_code,
        "username": username,
        "password": "Enterprise-Pass-2026",
        "password_again": "Enterprise-Pass-2026",
        "credit_code": credit_code,
        "as_admin": "on",
    }
    return client.post("/enterprises/join/", data)


def test_sign_up_answers_the_same_and_a_later_registration_links_the_request(
    units, make_user, login, kfq_firm
):
    existing = sign_up(Client(), username="a.admin", phone="13912345678", credit_code=kfq_firm.credit_code)
    cache.clear()
    unknown = sign_up(Client(), username="b.admin", phone="13912345679", credit_code=UNKNOWN)
    assert page_answer(existing) == page_answer(unknown)
    assert existing.status_code == 302
    waiting = MembershipRequest.objects.get(user__username="b.admin")
    assert waiting.enterprise is None
    assert waiting.credit_code == UNKNOWN
    assert MembershipRequest.objects.get(user__username="a.admin").enterprise == kfq_firm
    # Nobody can decide a request that names no enterprise.
    staff_user = make_user("park-staff", "320115-P-KFQ")
    staff = login(staff_user)
    assert staff.post(f"/enterprises/requests/{waiting.pk}/decide/", {"approve": "1"}).status_code == 403
    # Once the park registers the enterprise, the request waiting with its code is linked and decided.
    firm = enterprise_create(
        actor=staff_user,
        values={
            "name": "新登记企业",
            "credit_code": UNKNOWN,
            "park": units["320115-P-KFQ"],
            "street": units["320115-S-ML"],
        },
    )
    waiting.refresh_from_db()
    assert waiting.enterprise == firm
    assert staff.post(f"/enterprises/requests/{waiting.pk}/decide/", {"approve": "1"}).status_code == 302
    assert Enterprise.objects.get(pk=firm.pk).members.get().user.username == "b.admin"
