"""Enterprise accounts: sign-up with real-name checks; park staff confirm the administrator; the
administrator confirms HR staff; an account sees and reports for its own enterprise only."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.test import Client

from talentcloud.accounts import sms
from talentcloud.accounts.models import User
from talentcloud.audit.models import AuditEvent
from talentcloud.enterprises.models import AnnualReport, EnterpriseMember, MembershipRequest
from talentcloud.enterprises.tests.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def clean_state():
    cache.clear()
    sms.outbox.clear()
    yield
    cache.clear()


def sign_up(client: Client, *, username: str, id_number: str, phone: str, credit_code: str, as_admin: bool):
    client.post("/talents/register/code/", {"phone": phone})
    code = re.search(r"\d{6}", sms.outbox[-1][1]).group(0)  # type: ignore[union-attr]
    data = {
        "name": "李企管",
        "id_number": id_number,
        "phone": phone,
        "code": code,
        "username": username,
        "password": "Enterprise-Pass-2026",
        "password_again": "Enterprise-Pass-2026",
        "credit_code": credit_code,
    }
    if as_admin:
        data["as_admin"] = "on"
    return client.post("/enterprises/join/", data)


def test_admin_confirmed_by_park_staff_then_admin_confirms_hr(units, make_user, login, kfq_firm):
    other = EnterpriseFactory.create(name="乙园区企业", credit_code="91320100MA1AB2CD3N", in_gxq=True)
    admin_client = Client()
    response = sign_up(
        admin_client,
        username="li.admin",
        id_number="320115198503171233",
        phone="13912345678",
        credit_code=kfq_firm.credit_code,
        as_admin=True,
    )
    assert response.status_code == 302, response.content.decode()[-1500:]
    admin = User.objects.get(username="li.admin")
    # Not confirmed yet: the account sees no enterprise and cannot report figures.
    assert admin_client.get(f"/enterprises/{kfq_firm.pk}/").status_code == 404
    assert "待确认" in admin_client.get("/enterprises/mine/").content.decode()

    # Staff of another park cannot confirm; the firm's park staff can.
    request = MembershipRequest.objects.get(user=admin)
    outsider = login(make_user("park-staff", "320115-P-GXQ"))
    assert outsider.post(f"/enterprises/requests/{request.pk}/decide/", {"approve": "1"}).status_code == 403
    staff = login(make_user("park-staff", "320115-P-KFQ"))
    response = staff.post(f"/enterprises/requests/{request.pk}/decide/", {"approve": "1"})
    assert response.status_code == 302
    assert EnterpriseMember.objects.get(user=admin).is_admin

    # The administrator sees its own enterprise only, and reports figures for it.
    assert admin_client.get(f"/enterprises/{kfq_firm.pk}/").status_code == 200
    assert admin_client.get(f"/enterprises/{other.pk}/").status_code == 404
    listing = admin_client.get("/enterprises/").content.decode()
    assert kfq_firm.name in listing
    assert other.name not in listing
    figures = {
        "year": 2025,
        "revenue": "1200",
        "rd_spend": "150",
        "staff": 80,
        "patents": 6,
        "funding_raised": 0,
    }
    assert admin_client.post(f"/enterprises/{kfq_firm.pk}/", figures).status_code == 302
    assert AnnualReport.objects.get().revenue == Decimal("1200")
    assert admin_client.post(f"/enterprises/{other.pk}/", figures).status_code == 404
    assert admin_client.get(f"/enterprises/{kfq_firm.pk}/edit/").status_code == 403  # staff edit the record

    # An HR account asks; staff may not confirm it now, the administrator does.
    hr_client = Client()
    sign_up(
        hr_client,
        username="zhang.hr",
        id_number="11010519491231002X",
        phone="13812345679",
        credit_code=kfq_firm.credit_code,
        as_admin=False,
    )
    hr = User.objects.get(username="zhang.hr")
    hr_request = MembershipRequest.objects.get(user=hr)
    assert staff.post(f"/enterprises/requests/{hr_request.pk}/decide/", {"approve": "1"}).status_code == 403
    assert (
        hr_client.post(f"/enterprises/requests/{hr_request.pk}/decide/", {"approve": "1"}).status_code == 403
    )
    members_page = admin_client.get(f"/enterprises/{kfq_firm.pk}/members/").content.decode()
    assert "zhang.hr" in members_page
    response = admin_client.post(f"/enterprises/requests/{hr_request.pk}/decide/", {"approve": "1"})
    assert response.status_code == 302
    assert hr_client.get(f"/enterprises/{kfq_firm.pk}/").status_code == 200
    # Deciding twice is a conflict that changes nothing.
    again = admin_client.post(f"/enterprises/requests/{hr_request.pk}/decide/", {"approve": "0"})
    assert again.status_code == 409
    hr_request.refresh_from_db()
    assert hr_request.status == "approved"

    # The HR account cannot remove anyone; the administrator removes the HR account.
    member = EnterpriseMember.objects.get(user=hr)
    admin_member = EnterpriseMember.objects.get(user=admin)
    assert hr_client.post(f"/enterprises/{kfq_firm.pk}/members/{admin_member.pk}/remove/").status_code == 403
    assert admin_client.post(f"/enterprises/{kfq_firm.pk}/members/{member.pk}/remove/").status_code == 302
    assert hr_client.get(f"/enterprises/{kfq_firm.pk}/").status_code == 404
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"enterprise.member_request", "enterprise.member_approve", "enterprise.member_remove"} <= actions


def test_failed_identity_is_named_and_no_account_made(units, kfq_firm):
    # (An unknown credit code is answered like a known one: test_membership_oracle.py.)
    client = Client()
    client.post("/talents/register/code/", {"phone": "13912345678"})
    code = re.search(r"\d{6}", sms.outbox[-1][1]).group(0)  # type: ignore[union-attr]
    response = client.post(
        "/enterprises/join/",
        {
            "name": "冒名顶替",
            "id_number": "320115198503171233",
            "phone": "13912345678",
            "code": code,
            "username": "nobody.firm",
            "password": "Enterprise-Pass-2026",
            "password_again": "Enterprise-Pass-2026",
            "credit_code": kfq_firm.credit_code,
        },
    )
    assert response.status_code == 400
    assert "实名" in response.content.decode()
    assert not User.objects.filter(username="nobody.firm").exists()


def test_a_request_waits_once(units, make_user, login, kfq_firm):
    user = make_user("talent", None)
    client = login(user)
    data = {"credit_code": kfq_firm.credit_code}
    assert client.post("/enterprises/join/", data).status_code == 302
    response = client.post("/enterprises/join/", data)
    assert response.status_code == 400
    assert MembershipRequest.objects.filter(user=user).count() == 1
