"""The talent code's pages and API (#23): the talent's code page and API (a fresh token each time, the
entitlements), the verifier's page and API (its scene only, field-level messages for bad input), the office's
issue, revoke and verifiers (pages and API; bad input named at the field, nothing written); park staff see
their own talents' codes only; the photo is checked by content and stored encrypted."""

from __future__ import annotations

import base64
import datetime as dt
import io

import pytest
import segno
from django.db import connection

from talentcloud.audit.models import AuditEvent
from talentcloud.talentcode import services
from talentcloud.talentcode.api import CodeVerifyOut
from talentcloud.talentcode.enums import CodeStatus, Result
from talentcloud.talentcode.models import TalentCode, Verification, Verifier

from .conftest import certified, external

pytestmark = pytest.mark.django_db

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)


def test_the_talent_s_page_shows_a_fresh_qr_and_the_entitlements(world, login):
    client = login(world.account)
    page = client.get("/talentcode/me/")
    body = page.content.decode()
    assert page.status_code == 200
    assert 'data-testid="talent-qr"' in body
    assert "data:image/svg+xml" in body
    assert "就医绿色通道" in body
    assert "子女入学" in body
    first = client.get("/api/v1/talentcode/me").json()
    second = client.get("/api/v1/talentcode/me").json()
    assert first["has_code"]
    assert first["token"] != second["token"]
    assert {e["scene"]: e["entitled"] for e in first["entitlements"]}["medical"] is True
    partial = client.get("/talentcode/me/qr/", headers={"X-Background": "1"}).content.decode()
    assert partial.startswith('<section id="talent-qr"')
    assert "every 20s" in partial


def test_the_qr_says_exactly_the_token(world, login):
    token, _expiry = services.token_for(world.code)
    qr = segno.make(token, error="m")
    assert qr.mode == "alphanumeric"  # what a USB scanner types back, and a small symbol
    assert isinstance(qr.version, int)
    assert qr.version <= 6


def test_a_talent_without_a_code_is_told_how_to_get_one(world, login):
    services.revoke(actor=world.office, code=world.code, reason="测试")
    client = login(world.account)
    assert 'data-testid="no-code"' in client.get("/talentcode/me/").content.decode()
    assert client.get("/api/v1/talentcode/me").json() == {
        "has_code": False,
        "issued_at": None,
        "token": "",
        "expires_at": 0,
        "show_photo": False,
        "entitlements": [],
    }


def test_the_verify_page_answers_for_its_scene_and_names_bad_input_at_the_field(world, login):
    client = login(world.verifiers["medical"])
    page = client.get("/talentcode/verify/").content.decode()
    assert "就医绿色通道" in page
    assert "子女入学" not in page
    token, _expiry = services.token_for(world.code)
    answered = client.post("/talentcode/verify/", {"token": token.lower(), "scene": "medical"})
    body = answered.content.decode()
    assert answered.status_code == 200
    assert 'data-result="valid"' in body
    assert "冯**" in body
    assert "冯甲园" not in body
    blank = client.post("/talentcode/verify/", {"token": "  ", "scene": "medical"})
    assert blank.status_code == 400
    assert "请扫描或输入人才码" in blank.content.decode()
    other_scene = client.post("/talentcode/verify/", {"token": token, "scene": "school"})
    assert other_scene.status_code == 400
    assert Verification.objects.count() == 1
    garbage = client.post("/talentcode/verify/", {"token": "HELLO", "scene": "medical"})
    assert 'data-result="forged"' in garbage.content.decode()


def test_the_verify_api_answers_for_its_scene_only(world, login):
    client = login(world.verifiers["school"])
    token, _expiry = services.token_for(world.code)
    answered = client.post(
        "/api/v1/talentcode/verify", {"token": token, "scene": "school"}, content_type="application/json"
    )
    assert answered["Content-Type"].startswith("application/json")
    answer = answered.json()
    # written by the view itself (ADR 0039): exactly the documented schema's fields, each of its type
    assert set(answer) == set(CodeVerifyOut.model_fields)
    assert CodeVerifyOut.model_validate(answer).model_dump(mode="json") == answer
    assert answer["result"] == "valid"
    assert dt.date.fromisoformat(answer["until"]) > dt.date.today()  # the certification's last valid day
    assert answer["masked_name"] == "冯**"
    assert answer["scene"] == "school"
    assert "medical" not in str(answer)
    assert "就医" not in str(answer)
    wrong = client.post(
        "/api/v1/talentcode/verify", {"token": token, "scene": "medical"}, content_type="application/json"
    )
    assert wrong.status_code == 422
    assert "scene" in wrong.json()["fields"]
    missing = client.post("/api/v1/talentcode/verify", {"scene": "school"}, content_type="application/json")
    assert missing.status_code == 422
    for user in (world.outsider, world.account):
        refused = login(user).post(
            "/api/v1/talentcode/verify", {"token": token, "scene": "school"}, content_type="application/json"
        )
        assert refused.status_code == 403
        assert "冯" not in refused.content.decode()
    outsider = login(world.outsider)
    told = outsider.get("/talentcode/verify/")
    assert told.status_code == 200
    assert 'data-testid="not-a-verifier"' in told.content.decode()
    assert outsider.post("/talentcode/verify/", {"token": token, "scene": "school"}).status_code == 403
    assert login(world.office).get("/talentcode/verify/").status_code == 403  # no talentcode.verify


def test_the_office_issues_and_revokes_through_the_pages(world, login):
    client = login(world.office)
    page = client.get(f"/talentcode/talents/{world.talent.pk}/").content.decode()
    assert 'data-testid="code-active"' in page
    assert client.post(f"/talentcode/talents/{world.talent.pk}/").status_code == 302
    world.code.refresh_from_db()
    assert world.code.status == CodeStatus.SUPERSEDED
    current = TalentCode.objects.get(talent=world.talent, status=CodeStatus.ACTIVE)
    no_reason = client.post(f"/talentcode/revoke/{current.pk}/", {"reason": " "})
    assert no_reason.status_code == 400
    assert "请说明吊销原因" in no_reason.content.decode()
    current.refresh_from_db()
    assert current.status == CodeStatus.ACTIVE
    assert client.post(f"/talentcode/revoke/{current.pk}/", {"reason": "人才已离开江宁"}).status_code == 302
    current.refresh_from_db()
    assert current.status == CodeStatus.REVOKED
    assert current.revoke_reason == "人才已离开江宁"
    assert AuditEvent.objects.filter(action="talentcode.revoke", object_id=str(current.pk)).exists()


def test_the_office_issues_and_revokes_through_the_api(world, login):
    client = login(world.office)
    issued = client.post(f"/api/v1/talentcode/talents/{world.talent.pk}/issue")
    assert issued.status_code == 201
    assert issued.json()["status"] == "active"
    code_id = issued.json()["id"]
    blank = client.post(
        f"/api/v1/talentcode/codes/{code_id}/revoke", {"reason": ""}, content_type="application/json"
    )
    assert blank.status_code == 422
    assert "reason" in blank.json()["fields"]
    done = client.post(
        f"/api/v1/talentcode/codes/{code_id}/revoke", {"reason": "遗失"}, content_type="application/json"
    )
    assert done.status_code == 200
    assert done.json()["status"] == "revoked"
    again = client.post(
        f"/api/v1/talentcode/codes/{code_id}/revoke", {"reason": "遗失"}, content_type="application/json"
    )
    assert again.status_code == 409
    listed = client.get(f"/api/v1/talentcode/talents/{world.talent.pk}").json()
    assert [c["status"] for c in listed] == ["revoked", "superseded"]


def test_an_uncertified_talent_gets_no_code(world, login):
    certified(world.office, world.talent, "")
    client = login(world.office)
    refused = client.post(f"/api/v1/talentcode/talents/{world.talent.pk}/issue")
    assert refused.status_code == 422
    assert "talent" in refused.json()["fields"]
    page = client.post(f"/talentcode/talents/{world.talent.pk}/")
    assert page.status_code == 400
    assert 'data-testid="issue-error"' in page.content.decode()
    assert TalentCode.objects.filter(talent=world.talent).count() == 1


def test_park_staff_see_their_talents_codes_only_and_may_not_issue(world, login, make_user):
    kfq = login(make_user("park-staff", "320115-P-KFQ"))
    gxq = login(make_user("park-staff", "320115-P-GXQ"))
    assert kfq.get(f"/talentcode/talents/{world.talent.pk}/").status_code == 200
    assert "冯甲园" in kfq.get("/talentcode/codes/").content.decode()
    assert gxq.get(f"/talentcode/talents/{world.talent.pk}/").status_code == 404
    assert "冯甲园" not in gxq.get("/talentcode/codes/").content.decode()
    assert gxq.get(f"/api/v1/talentcode/talents/{world.talent.pk}").status_code == 404
    assert kfq.post(f"/talentcode/talents/{world.talent.pk}/").status_code == 403
    assert (
        kfq.post(
            f"/api/v1/talentcode/codes/{world.code.pk}/revoke",
            {"reason": "x"},
            content_type="application/json",
        ).status_code
        == 403
    )
    world.code.refresh_from_db()
    assert world.code.status == CodeStatus.ACTIVE


def test_the_office_registers_verifiers_and_their_scenes(world, login, units):
    client = login(world.office)
    museum = external("EXT-MUSEUM", "江宁博物馆", units)
    none_chosen = client.post("/talentcode/verifiers/", {"unit": museum.pk, "active": "on"})
    assert none_chosen.status_code == 400
    assert "请至少选择一个场景" in none_chosen.content.decode()
    assert not Verifier.objects.filter(unit=museum).exists()
    park = client.post("/talentcode/verifiers/", {"unit": units["320115-P-KFQ"].pk, "scenes": ["culture"]})
    assert park.status_code == 400  # not an external unit: not offered
    saved = client.post("/talentcode/verifiers/", {"unit": museum.pk, "scenes": ["culture"], "active": "on"})
    assert saved.status_code == 302
    assert list(Verifier.objects.get(unit=museum).scenes.values_list("code", flat=True)) == ["culture"]
    api = client.post(
        "/api/v1/talentcode/verifiers",
        {"unit_code": "EXT-MUSEUM", "scenes": ["culture", "transport"]},
        content_type="application/json",
    )
    assert api.status_code == 200
    assert api.json()["scenes"] == ["culture", "transport"]
    unknown = client.post(
        "/api/v1/talentcode/verifiers",
        {"unit_code": "EXT-MUSEUM", "scenes": ["spa"]},
        content_type="application/json",
    )
    assert unknown.status_code == 422
    assert "scenes" in unknown.json()["fields"]
    not_external = client.post(
        "/api/v1/talentcode/verifiers",
        {"unit_code": "320115-P-KFQ", "scenes": ["culture"]},
        content_type="application/json",
    )
    assert not_external.status_code == 422
    assert "unit_code" in not_external.json()["fields"]
    assert AuditEvent.objects.filter(action="talentcode.verifier_save").count() == 2
    assert login(world.verifiers["medical"]).get("/talentcode/verifiers/").status_code == 403


def test_the_photo_is_checked_by_content_stored_encrypted_and_shown_only_when_chosen(world, login):
    client = login(world.account)
    fake = io.BytesIO(b"<svg>not a photo</svg>")
    fake.name = "me.png"
    client.post("/talentcode/me/photo/", {"photo": fake, "show_photo": "on"})
    world.code.refresh_from_db()
    assert world.code.photo == ""
    assert not world.code.show_photo
    photo = io.BytesIO(PNG)
    photo.name = "me.png"
    assert client.post("/talentcode/me/photo/", {"photo": photo}).status_code == 302
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT photo FROM talentcode_talentcode WHERE id = %s",
            [world.code.pk.hex if connection.vendor == "sqlite" else world.code.pk],
        )
        stored = cursor.fetchone()[0]
    assert stored.startswith("sm4gcm$")
    assert base64.b64encode(PNG).decode() not in stored
    token, _expiry = services.token_for(world.code)
    hidden = services.verify(actor=world.verifiers["medical"], token=token, scene_code="medical")
    assert hidden.result == Result.VALID
    assert hidden.photo == ""
    assert client.post("/talentcode/me/photo/", {"show_photo": "on"}).status_code == 302
    shown = services.verify(
        actor=world.verifiers["medical"], token=services.token_for(world.code)[0], scene_code="medical"
    )
    assert shown.photo.startswith("data:image/png;base64,")
