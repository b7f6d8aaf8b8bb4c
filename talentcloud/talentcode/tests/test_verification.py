"""Must show (#23): forged, wrong-key, expired and revoked codes are refused with the right reason, a valid
code verifies and a downgrade shows at once; the token holds no personal data and two codes share nothing;
every scene pair is kept apart and an unknown verifier gets nothing; every verification is audited and on
the talent's history; a code shown after its expiry is refused; rate limits per verifier and per code."""

from __future__ import annotations

import base64
import itertools
import random
import time
from datetime import timedelta

import pytest
import time_machine
from django.core.cache import cache
from django.test import override_settings
from django.utils import timezone

from talentcloud.audit.models import AuditEvent
from talentcloud.common.errors import PermissionDenied, RateLimited, ValidationFailed
from talentcloud.dashboards.metrics import metrics as dashboard_metrics
from talentcloud.privacy.retention import retention_sweep
from talentcloud.talentcode import services, tokens
from talentcloud.talentcode.enums import Result
from talentcloud.talentcode.models import Scene, Verification
from talentcloud.talents.services.personal_data import talent_data_copy

from .conftest import certified

pytestmark = pytest.mark.django_db


def verify(user, token, scene="medical", **kwargs):
    return services.verify(actor=user, token=token, scene_code=scene, **kwargs)


def flip_one_bit(token: str, index: int) -> str:
    """The token with one bit flipped in part ``index``: of the expiry's last digit (still a digit), or of
    the first decoded byte of a base32 part (spelled again in base32)."""
    parts = token.split(".")
    if parts[index].isdigit():
        parts[index] = parts[index][:-1] + chr(ord(parts[index][-1]) ^ 0x01)
    else:
        raw = bytearray(base64.b32decode(parts[index] + "=" * (-len(parts[index]) % 8)))
        raw[0] ^= 0x01
        parts[index] = base64.b32encode(bytes(raw)).decode().rstrip("=")
    return ".".join(parts)


def test_a_valid_code_verifies_with_the_masked_name_and_validity(world):
    token, _expiry = services.token_for(world.code)
    answer = verify(world.verifiers["medical"], token)
    assert answer.result == Result.VALID
    assert answer.masked_name == "冯**"
    assert answer.until is not None
    assert "就医绿色通道" in answer.message


@pytest.mark.parametrize("part", [2, 3, 4, 5], ids=["expiry", "nonce", "code", "mac"])
def test_a_forged_code_one_bit_flipped_is_refused_as_forged(world, part):
    token, _expiry = services.token_for(world.code)
    forged = flip_one_bit(token, part)
    assert forged != token
    assert verify(world.verifiers["medical"], forged).result == Result.FORGED


def test_a_flip_in_the_spare_bits_of_base32_is_refused_too(world):
    """26 base32 characters carry 130 bits for 128: the last character's two spare bits are not free."""
    token, _expiry = services.token_for(world.code)
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
    respelled = token[:-1] + alphabet[alphabet.index(token[-1]) ^ 0x01]
    mac, other = (base64.b32decode(t.rsplit(".", 1)[1] + "======") for t in (token, respelled))
    assert respelled != token
    assert mac == other
    assert verify(world.verifiers["medical"], respelled).result == Result.FORGED


def test_the_spare_bits_check_agrees_with_spelling_the_bytes_again():
    """``tokens._canonical`` reads the last character's spare bits; spelling the decoded bytes again and
    comparing (what the check did before ADR 0039) must give the same answer for every part's length."""
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
    draw = random.Random(39)
    for length in (13, 26):  # the nonce; the masked code id and the MAC
        for _ in range(5000):
            text = "".join(draw.choice(alphabet) for _ in range(length))
            assert tokens._canonical(text) == (tokens._b32(tokens._unb32(text)) == text), text


def test_a_wrong_key_id_is_refused_as_unknown_key(world):
    token, _expiry = services.token_for(world.code)
    parts = token.split(".")
    parts[1] = "ZZ9"
    assert verify(world.verifiers["medical"], ".".join(parts)).result == Result.UNKNOWN_KEY


def test_a_token_signed_by_a_key_the_platform_does_not_hold_is_refused(world, settings):
    foreign = base64.b64encode(b"f" * 32).decode()
    with override_settings(TALENT_CODE_KEYS=f"K9:{foreign}", TALENT_CODE_ACTIVE_KEY="K9"):
        token, _expiry = services.token_for(world.code)
    assert verify(world.verifiers["medical"], token).result == Result.UNKNOWN_KEY


def test_keys_rotate_an_old_key_verifies_until_removed(world):
    one, two = base64.b64encode(b"1" * 32).decode(), base64.b64encode(b"2" * 32).decode()
    with override_settings(TALENT_CODE_KEYS=f"K1:{one}", TALENT_CODE_ACTIVE_KEY="K1"):
        old, _expiry = services.token_for(world.code)
    with override_settings(TALENT_CODE_KEYS=f"K2:{two},K1:{one}", TALENT_CODE_ACTIVE_KEY="K2"):
        new, _expiry = services.token_for(world.code)
        assert new.split(".")[1] == "K2"
        assert verify(world.verifiers["medical"], old).result == Result.VALID
        assert verify(world.verifiers["medical"], new).result == Result.VALID
    with override_settings(TALENT_CODE_KEYS=f"K2:{two}", TALENT_CODE_ACTIVE_KEY="K2"):
        assert verify(world.verifiers["medical"], old).result == Result.UNKNOWN_KEY


def test_an_expired_code_is_refused_as_expired(world):
    token, expiry = services.token_for(world.code, now=time.time() - 120)
    assert expiry < time.time()
    assert verify(world.verifiers["medical"], token).result == Result.EXPIRED


def test_a_code_shown_after_its_expiry_is_refused(world, settings):
    """A screenshot: the same token, valid when drawn, is refused once its (≤ 60 s) life is over."""
    assert settings.TALENT_CODE_TTL_SECONDS <= 60
    drawn = time.time()
    token, expiry = services.token_for(world.code, now=drawn)
    assert expiry - drawn <= 60
    assert verify(world.verifiers["medical"], token, now=drawn + 5).result == Result.VALID
    assert verify(world.verifiers["medical"], token, now=expiry + 1).result == Result.EXPIRED


def test_a_revoked_code_is_refused_as_revoked(world):
    token, _expiry = services.token_for(world.code)
    assert verify(world.verifiers["medical"], token).result == Result.VALID
    services.revoke(actor=world.office, code=world.code, reason="卡片遗失")
    assert verify(world.verifiers["medical"], token).result == Result.REVOKED


def test_a_replaced_code_is_refused_and_the_new_one_verifies(world):
    old, _expiry = services.token_for(world.code)
    new_code = services.issue(actor=world.office, talent=world.talent, basis="office")
    new, _expiry = services.token_for(new_code)
    assert verify(world.verifiers["medical"], old).result == Result.REVOKED
    assert verify(world.verifiers["medical"], new).result == Result.VALID


def test_a_downgraded_talent_s_code_shows_the_new_entitlements_at_once(world):
    token, _expiry = services.token_for(world.code)
    assert verify(world.verifiers["medical"], token).result == Result.VALID
    before = {e.scene.code: e.entitled for e in services.entitlements(world.talent)}
    assert before == {"medical": True, "school": True, "transport": True, "culture": True}
    certified(world.office, world.talent, "E")
    world.talent.refresh_from_db()
    assert verify(world.verifiers["medical"], token).result == Result.NOT_ENTITLED
    assert verify(world.verifiers["transport"], token, scene="transport").result == Result.VALID
    after = {e.scene.code: e.entitled for e in services.entitlements(world.talent)}
    assert after == {"medical": False, "school": False, "transport": True, "culture": True}


def test_the_decoded_token_holds_no_personal_data(world):
    talent = world.talent
    token, expiry = services.token_for(world.code)
    parts = token.split(".")
    assert parts[0] == "TC1"
    assert int(parts[2]) == expiry
    assert len(parts) == 6
    decoded = b"".join(base64.b32decode(p + "=" * (-len(p) % 8)) for p in parts[3:])
    text = token + decoded.hex() + decoded.decode("latin-1")
    for value in (
        str(talent.pk),
        talent.pk.hex,
        talent.name,
        world.account.username,
        world.code.code_id,
        str(world.code.pk),
        world.code.pk.hex,
        "1987",
    ):
        assert value not in text, value


def test_two_codes_of_the_same_talent_share_no_identifier(world):
    first, _e = services.token_for(world.code)
    again, _e = services.token_for(world.code)
    second_code = services.issue(actor=world.office, talent=world.talent, basis="office")
    second, _e = services.token_for(second_code)
    assert world.code.code_id != second_code.code_id
    for a, b in itertools.combinations([first, again, second], 2):
        pa, pb = a.split("."), b.split(".")
        # version, key id and expiry are the same for everyone; nonce, masked code id and MAC never repeat
        for index in (3, 4, 5):
            assert pa[index] != pb[index]


SCENES = ["medical", "school", "transport", "culture"]


@pytest.mark.parametrize(("mine", "other"), list(itertools.permutations(SCENES, 2)))
def test_a_verifier_never_sees_another_scene_s_entitlement(world, mine, other):
    token, _expiry = services.token_for(world.code)
    with pytest.raises(ValidationFailed) as refused:
        verify(world.verifiers[mine], token, scene=other)
    assert "scene" in refused.value.fields
    answer = verify(world.verifiers[mine], token, scene=mine)
    assert answer.scene.code == mine
    assert Scene.objects.get(code=other).name not in answer.message
    assert not Verification.objects.filter(
        scene__code=other, verifier__unit=world.verifiers[mine].unit
    ).exists()


def test_an_unknown_verifier_gets_nothing(world, make_user):
    token, _expiry = services.token_for(world.code)
    for user in (world.outsider, world.office, world.account, make_user("park-staff", "320115-P-KFQ")):
        with pytest.raises(PermissionDenied):
            verify(user, token)
    assert not Verification.objects.exists()


def test_a_deactivated_verifier_unit_gets_nothing(world):
    token, _expiry = services.token_for(world.code)
    world.verifiers["medical"].unit.code_verifier.__class__.objects.filter(
        unit=world.verifiers["medical"].unit
    ).update(active=False)
    with pytest.raises(PermissionDenied):
        verify(world.verifiers["medical"], token)


def test_every_verification_is_audited_and_on_the_talent_s_history(world, login):
    token, _expiry = services.token_for(world.code)
    results = [
        verify(world.verifiers["medical"], token).result,
        verify(world.verifiers["school"], token, scene="school").result,
        verify(world.verifiers["medical"], flip_one_bit(token, 5)).result,
        verify(world.verifiers["medical"], services.token_for(world.code, now=0)[0]).result,
    ]
    assert results == [Result.VALID, Result.VALID, Result.FORGED, Result.EXPIRED]
    # Each verification is one row, its audit event appended by the minute's batch (ADR 0029).
    assert Verification.objects.filter(audited=False).count() == 4
    assert services.verifications_audit() == 4
    assert services.verifications_audit() == 0  # once each
    assert not Verification.objects.filter(audited=False).exists()
    events = AuditEvent.objects.filter(action="talentcode.verify").order_by("id")
    assert [e.actor_id for e in events] == [
        world.verifiers[s].pk for s in ("medical", "school", "medical", "medical")
    ]
    assert [e.details["result"] for e in events] == results
    assert [e.outcome for e in events] == ["success", "success", "failure", "failure"]
    assert all(e.details["verification"] for e in events)
    mine = [str(v.pk) for v in Verification.objects.filter(code=world.code)]
    assert sorted(mine) == sorted(
        e.details["verification"] for e in events if e.details["result"] != "forged"
    )
    page = login(world.account).get("/talentcode/me/").content.decode()
    assert page.count("就医绿色通道单位") == 2  # valid and expired: both the hospital's
    assert "子女入学单位" in page
    history = login(world.account).get("/api/v1/talentcode/me/history").json()["items"]
    assert sorted(h["result"] for h in history) == ["expired", "valid", "valid"]


def test_the_talent_reports_a_verification_they_do_not_recognise(world, login):
    token, _expiry = services.token_for(world.code)
    verify(world.verifiers["culture"], token, scene="culture")
    verification = Verification.objects.get()
    client = login(world.account)
    too_long = client.post(f"/talentcode/me/history/{verification.pk}/report/", {"note": "x" * 501})
    assert too_long.status_code == 400
    verification.refresh_from_db()
    assert verification.reported_at is None
    done = client.post(f"/talentcode/me/history/{verification.pk}/report/", {"note": "那天我不在南京"})
    assert done.status_code == 302
    verification.refresh_from_db()
    assert verification.reported_at is not None
    assert AuditEvent.objects.filter(action="talentcode.report").count() == 1
    again = client.post(
        f"/api/v1/talentcode/me/history/{verification.pk}/report", {}, content_type="application/json"
    )
    assert again.status_code == 409
    office = login(world.office).get("/talentcode/codes/").content.decode()
    assert "那天我不在南京" in office


def test_someone_else_s_verification_cannot_be_reported(world, login, make_user):
    token, _expiry = services.token_for(world.code)
    verify(world.verifiers["culture"], token, scene="culture")
    verification = Verification.objects.get()
    stranger = login(make_user("talent", None))
    assert stranger.post(f"/talentcode/me/history/{verification.pk}/report/", {"note": ""}).status_code == 404


@pytest.fixture
def one_minute():
    """The clock held at the start of a minute, so the requests of a rate test share one counting window
    (a slow run crossing a minute's end would otherwise start a new allowance)."""
    start = timezone.now().replace(second=1, microsecond=0)
    with time_machine.travel(start, tick=False):
        yield


@override_settings(RATELIMIT_TALENT_CODE_PER_CODE="3/m", RATELIMIT_TALENT_CODE_VERIFIER="1000/m")
def test_a_code_verified_too_often_is_throttled(world, login, one_minute):
    cache.clear()
    client = login(world.verifiers["medical"])
    codes = []
    for _ in range(4):
        token, _expiry = services.token_for(world.code)
        codes.append(
            client.post(
                "/api/v1/talentcode/verify",
                {"token": token, "scene": "medical"},
                content_type="application/json",
            ).status_code
        )
    assert codes == [200, 200, 200, 429]
    assert Verification.objects.count() == 3


@override_settings(RATELIMIT_TALENT_CODE_PER_CODE="100/m", RATELIMIT_TALENT_CODE_VERIFIER="2/m")
def test_a_verifier_verifying_too_often_is_throttled(world, login, one_minute):
    cache.clear()
    client = login(world.verifiers["medical"])
    statuses = [
        client.post(
            "/talentcode/verify/", {"token": services.token_for(world.code)[0], "scene": "medical"}
        ).status_code
        for _ in range(3)
    ]
    assert statuses == [200, 200, 429]
    other = login(world.verifiers["school"])  # another unit has its own allowance
    assert (
        other.post(
            "/talentcode/verify/", {"token": services.token_for(world.code)[0], "scene": "school"}
        ).status_code
        == 200
    )


def test_rate_limited_raises_before_anything_is_written(world):
    token, _expiry = services.token_for(world.code)

    def refuse(_key: str) -> None:
        raise RateLimited()

    with pytest.raises(RateLimited):
        verify(world.verifiers["medical"], token, throttle=refuse)
    assert not Verification.objects.exists()
    assert not AuditEvent.objects.filter(action="talentcode.verify").exists()


def test_the_talent_s_data_copy_holds_their_codes_and_verifications(world):
    token, _expiry = services.token_for(world.code)
    verify(world.verifiers["school"], token, scene="school")
    copy = talent_data_copy(actor=world.account, talent=world.talent)
    assert [c["status"] for c in copy["talent_codes"]] == ["使用中"]
    assert [(v["verifier"], v["scene"], v["result"]) for v in copy["talent_code_verifications"]] == [
        ("子女入学单位", "子女入学", "有效")
    ]
    assert world.code.code_id not in str(copy)  # the code id is no personal data of theirs, and stays inside


def test_verifications_older_than_a_year_are_swept_away(world):
    token, _expiry = services.token_for(world.code)
    verify(world.verifiers["medical"], token)
    verify(world.verifiers["medical"], services.token_for(world.code)[0])
    old = Verification.objects.order_by("at")[0]
    Verification.objects.filter(pk=old.pk).update(at=timezone.now() - timedelta(days=400))
    assert retention_sweep()["talentcode_verifications"] == 0  # not in the audit log yet: kept
    services.verifications_audit()
    counts = retention_sweep()
    assert counts["talentcode_verifications"] == 1
    assert list(Verification.objects.values_list("result", flat=True)) == ["valid"]
    assert AuditEvent.objects.filter(action="talentcode.verify").count() == 2  # the log keeps its own


def test_the_dashboard_counts_verifications_by_scene_and_result(world):
    token, _expiry = services.token_for(world.code)
    verify(world.verifiers["medical"], token)
    verify(world.verifiers["school"], token, scene="school")
    verify(world.verifiers["school"], flip_one_bit(token, 5), scene="school")
    declared = {m.key: m for m in dashboard_metrics()}
    by_scene = declared["talentcode_verifications_by_scene"].compute()
    assert by_scene["keys"] == ["medical", "school", "transport", "culture"]
    assert by_scene["series"] == {"valid": [1, 1, 0, 0], "refused": [0, 1, 0, 0]}
    by_result = declared["talentcode_verifications_by_result"].compute()
    assert dict(zip(by_result["keys"], by_result["series"]["verifications"], strict=True))["forged"] == 1
    by_status = declared["talentcode_codes_by_status"].compute()
    assert dict(zip(by_status["keys"], by_status["series"]["codes"], strict=True))["active"] == 1
