"""The hall through the API: the same table, scope and idempotency as the pages."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from talentcloud.servicehall.models import Case

from .conftest import FORM, PDF

pytestmark = pytest.mark.django_db


def post(client, url, body, **headers):
    return client.post(url, body, content_type="application/json", headers=headers)


def test_catalogue_is_public(catalogue):
    services = Client().get("/api/v1/hall/services").json()
    assert {s["code"] for s in services} >= {"housing-purchase-subsidy", "health-check"}
    detail = Client().get("/api/v1/hall/services/housing-purchase-subsidy").json()
    assert [m["key"] for m in detail["materials"]] == ["purchase_contract", "degree_certificate"]


def test_apply_twice_with_one_key_makes_one_case(catalogue, applicant, login):
    client = login(applicant)
    body = {"service": "policy-consultation", "answers": {"question": "如何落户？"}}
    first = post(client, "/api/v1/hall/cases", body, **{"Idempotency-Key": "abc"})
    again = post(client, "/api/v1/hall/cases", body, **{"Idempotency-Key": "abc"})
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    assert Case.objects.count() == 1
    missing = post(client, "/api/v1/hall/cases", body)
    assert missing.status_code == 422
    assert "idempotency_key" in missing.json()["fields"]


def test_draft_materials_submit_and_staff_actions(catalogue, applicant, login, zjj, czj, private_media):
    talent = login(applicant)
    draft = post(
        talent,
        "/api/v1/hall/cases",
        {"service": "housing-purchase-subsidy", "answers": FORM, "idempotency_key": "h1", "submit": False},
    ).json()
    incomplete = talent.post(f"/api/v1/hall/cases/{draft['id']}/submit")
    assert incomplete.status_code == 422
    assert set(incomplete.json()["fields"]) == {"materials.purchase_contract", "materials.degree_certificate"}
    for key in ("purchase_contract", "degree_certificate"):
        uploaded = talent.post(
            f"/api/v1/hall/cases/{draft['id']}/materials",
            {"key": key, "file": SimpleUploadedFile("a.pdf", PDF)},
        )
        assert uploaded.status_code == 201, uploaded.content
    bad = talent.post(
        f"/api/v1/hall/cases/{draft['id']}/materials",
        {"key": "purchase_contract", "file": SimpleUploadedFile("a.pdf", b"GIF89a not a pdf")},
    )
    assert bad.status_code == 422
    submitted = talent.post(f"/api/v1/hall/cases/{draft['id']}/submit").json()
    assert submitted["state"] == "submitted"

    staff = login(zjj)
    listed = staff.get("/api/v1/hall/worklist?state=submitted").json()["items"]
    assert [c["id"] for c in listed] == [draft["id"]]
    wrong = post(staff, f"/api/v1/hall/cases/{draft['id']}/actions", {"action": "answer", "note": "x"})
    assert wrong.status_code == 409
    assert wrong.json()["code"] == "not_allowed"
    stale = post(staff, f"/api/v1/hall/cases/{draft['id']}/actions", {"action": "accept", "revision": 0})
    assert stale.status_code == 409
    accepted = post(
        staff,
        f"/api/v1/hall/cases/{draft['id']}/actions",
        {"action": "accept", "revision": submitted["revision"]},
    )
    assert accepted.status_code == 200
    assert accepted.json()["colour"] == "green"
    not_joint = post(
        login(czj),
        f"/api/v1/hall/cases/{draft['id']}/actions",
        {"action": "conclude", "decision": "approved", "note": "x"},
    )
    assert not_joint.status_code == 403
    missing = post(staff, f"/api/v1/hall/cases/{draft['id']}/actions", {"action": "conclude"})
    assert missing.status_code == 422
    assert set(missing.json()["fields"]) == {"decision", "note"}
    events = talent.get(f"/api/v1/hall/cases/{draft['id']}/events").json()
    assert [e["action"] for e in events][-2:] == ["submit", "accept"]


def test_other_departments_and_applicants_cannot_see(catalogue, applicant, make_applicant, login, make_user):
    case = post(
        login(applicant),
        "/api/v1/hall/cases",
        {"service": "policy-consultation", "answers": {"question": "q"}, "idempotency_key": "z"},
    ).json()
    assert login(make_applicant()).get(f"/api/v1/hall/cases/{case['id']}").status_code == 404
    assert (
        login(make_user("service-staff", "320115-JYJ")).get(f"/api/v1/hall/cases/{case['id']}").status_code
        == 404
    )
    assert (
        login(make_user("service-staff", "320115-ZZB")).get(f"/api/v1/hall/cases/{case['id']}").status_code
        == 200
    )


def test_notifications_api(catalogue, applicant, login):
    client = login(applicant)
    post(
        client,
        "/api/v1/hall/cases",
        {"service": "policy-consultation", "answers": {"question": "q"}, "idempotency_key": "n"},
    )
    items = client.get("/api/v1/notifications?unread=true").json()["items"]
    assert items[0]["event"] == "case.submitted"
    read = client.post(f"/api/v1/notifications/{items[0]['id']}/read")
    assert read.json()["read_at"] is not None
