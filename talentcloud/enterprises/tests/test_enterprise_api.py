"""Enterprises through the API: create, patch, history, yearly figures, accounts; scope holds."""

from __future__ import annotations

import pytest

from talentcloud.enterprises.models import Enterprise, EnterpriseMember, MembershipRequest

pytestmark = pytest.mark.django_db


def test_staff_create_patch_and_read_history(units, make_user, login):
    client = login(make_user("park-staff", "320115-P-KFQ"))
    body = {
        "name": "南京江宁智造科技有限公司",
        "credit_code": "91320115MA1X2Y3W4K",
        "street": units["320115-S-ML"].pk,
        "park": units["320115-P-KFQ"].pk,
        "tags": ["瞪羚企业"],
    }
    created = client.post("/api/v1/enterprises", body, content_type="application/json")
    assert created.status_code == 201, created.content
    enterprise_id = created.json()["id"]
    bad = client.patch(
        f"/api/v1/enterprises/{enterprise_id}",
        {"credit_code": "91320115MA1X2Y3W4A"},
        content_type="application/json",
    )
    assert bad.status_code == 422
    assert "credit_code" in bad.json()["fields"]
    patched = client.patch(
        f"/api/v1/enterprises/{enterprise_id}", {"address": "胜太路 88 号"}, content_type="application/json"
    )
    assert patched.status_code == 200
    assert Enterprise.objects.get(pk=enterprise_id).address == "胜太路 88 号"
    history = client.get(f"/api/v1/enterprises/{enterprise_id}/changes").json()["items"]
    assert [c["field"] for c in history][:1] == ["address"]
    figures = {"year": 2025, "revenue": "900", "rd_spend": "2000", "staff": 30, "patents": 2}
    refused = client.post(
        f"/api/v1/enterprises/{enterprise_id}/reports", figures, content_type="application/json"
    )
    assert refused.status_code == 422
    assert "rd_spend" in refused.json()["fields"]
    figures["rd_spend"] = "90"
    ok = client.post(f"/api/v1/enterprises/{enterprise_id}/reports", figures, content_type="application/json")
    assert ok.status_code == 201


def test_other_park_cannot_patch(units, make_user, login, kfq_firm):
    client = login(make_user("park-staff", "320115-P-GXQ"))
    response = client.patch(
        f"/api/v1/enterprises/{kfq_firm.pk}", {"name": "改"}, content_type="application/json"
    )
    assert response.status_code == 404


def test_membership_through_the_api(units, make_user, login, kfq_firm):
    admin = make_user("enterprise-hr", None)
    EnterpriseMember.objects.create(enterprise=kfq_firm, user=admin, is_admin=True)
    hr = make_user("enterprise-hr", None)
    hr_client = login(hr)
    asked = hr_client.post(
        "/api/v1/enterprises/memberships",
        {"credit_code": kfq_firm.credit_code},
        content_type="application/json",
    )
    assert asked.status_code == 201
    admin_client = login(admin)
    pending = admin_client.get("/api/v1/enterprises/memberships/pending").json()
    assert [p["username"] for p in pending] == [hr.username]
    assert hr_client.get("/api/v1/enterprises/memberships/pending").json() == []
    decided = admin_client.post(
        f"/api/v1/enterprises/memberships/{pending[0]['id']}/decide",
        {"approve": True},
        content_type="application/json",
    )
    assert decided.status_code == 200
    assert decided.json()["status"] == "approved"
    assert MembershipRequest.objects.get(user=hr).decided_by == admin
    members = admin_client.get(f"/api/v1/enterprises/{kfq_firm.pk}/members").json()
    assert {m["username"] for m in members} == {admin.username, hr.username}
