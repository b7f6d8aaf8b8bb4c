"""The card through 免申即享 (a policy whose benefit is the card issues it when the sweep grants it), the
office's edit of a scene's rule, the verifier's token and scenes read through the cache (and dropped when
they change), the codes removed with an anonymised archive, and the code's lines on the talent's timeline."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache

from talentcloud.accounts.services import token_create, token_revoke
from talentcloud.audit.models import AuditEvent
from talentcloud.policies.engine import validate_benefit
from talentcloud.policies.forms import BenefitForm
from talentcloud.policies.sweep import reevaluate_pending, sweep
from talentcloud.policies.tests.factories import PolicyFactory
from talentcloud.talentcode import services
from talentcloud.talentcode.enums import CodeStatus, IssueBasis, Result
from talentcloud.talentcode.fastpath import token_key
from talentcloud.talentcode.models import Scene, TalentCode, Verification, Verifier
from talentcloud.talentcode.tests.conftest import certified
from talentcloud.talents.models import Talent
from talentcloud.talents.selectors import timeline
from talentcloud.talents.services import talent_anonymise

pytestmark = pytest.mark.django_db

CARD = {"kind": "entitlement", "text": "紫金山英才卡", "effect": "talent-card"}


def a_talent(name: str, **extra: object) -> Talent:
    return Talent.objects.create(
        name=name,
        gender="M",
        birth_date=dt.date(1985, 6, 1),
        highest_degree="doctor",
        category="high_level",
        **extra,
    )


# --- 免申即享 (the card issued by a policy) ------------------------------------------------------------


def test_a_policy_whose_benefit_is_the_card_issues_it_when_the_sweep_grants_it(world, kfq_firm):
    newcomer = a_talent("卫新来", employer=kfq_firm)
    certified(world.office, newcomer, "B")
    uncertified = a_talent("蒋未认", employer=kfq_firm)
    PolicyFactory(
        code="zijinshan-card", rule={"fact": "grade", "op": "in", "value": ["A", "B", "C"]}, benefit=CARD
    )
    held_before = world.code.code_id

    sweep()

    card = TalentCode.objects.get(talent=newcomer)
    assert (card.status, card.basis) == (CodeStatus.ACTIVE, IssueBasis.POLICY)
    assert TalentCode.objects.get(talent=world.talent, status=CodeStatus.ACTIVE).code_id == held_before
    assert not TalentCode.objects.filter(talent=uncertified).exists()
    event = AuditEvent.objects.get(action="talentcode.issue", object_id=str(card.pk))
    assert event.details["policy"] == "zijinshan-card"
    assert event.details["basis"] == "policy"
    # The card it issued verifies at once; a second sweep grants nobody anew and issues nothing.
    token, _expiry = services.token_for(card)
    answer = services.verify(actor=world.verifiers["medical"], token=token, scene_code="medical")
    assert answer.result == Result.VALID
    sweep()
    assert TalentCode.objects.filter(talent=newcomer).count() == 1
    # Between sweeps, a talent certified now is re-evaluated alone (ADR 0018) and gets the card too.
    certified(world.office, uncertified, "A")
    reevaluate_pending()
    later = TalentCode.objects.get(talent=uncertified)
    assert (later.status, later.basis) == (CodeStatus.ACTIVE, IssueBasis.POLICY)


def test_the_card_effect_is_offered_and_checked_where_a_policy_is_written():
    assert validate_benefit(CARD) == []
    unknown = validate_benefit({**CARD, "effect": "no-such-effect"})
    assert [e.path for e in unknown] == ["benefit.effect"]
    on_money = validate_benefit({"kind": "money", "amount": 100, "period": "once", "effect": "talent-card"})
    assert [e.path for e in on_money] == ["benefit.effect"]
    for_firms = validate_benefit(CARD, target="enterprise")
    assert [e.path for e in for_firms] == ["benefit.effect"]
    form = BenefitForm.for_benefit(CARD)
    choices = dict(form.fields["effect"].choices)  # type: ignore[attr-defined]
    assert "talent-card" in choices
    assert "" in choices  # nothing more: the person is told
    assert form.initial["effect"] == "talent-card"


# --- a scene's rule -----------------------------------------------------------------------------------------


def test_the_office_edits_a_scene_s_rule_with_clear_errors_and_it_applies_at_the_next_check(world, login):
    office = login(world.office)
    page = office.get("/talentcode/scenes/medical/")
    assert page.status_code == 200
    assert "认定等级" in page.content.decode() or "grade" in page.content.decode()

    broken = office.post("/talentcode/scenes/medical/", {"rule": '{"all": ['})
    assert broken.status_code == 400
    assert "不是 JSON" in broken.content.decode()
    unknown = office.post(
        "/talentcode/scenes/medical/", {"rule": '{"all": [{"fact": "shoe_size", "op": "eq", "value": 1}]}'}
    )
    assert unknown.status_code == 400
    assert "all[0]: 未知的事实“shoe_size”" in unknown.content.decode()
    assert Scene.objects.get(code="medical").rule["all"][0]["value"] == ["A", "B", "C"]
    assert not AuditEvent.objects.filter(action="talentcode.scene_rule").exists()

    # The hospital's device has checked once (its token and its scenes are now cached) …
    _row, bearer = token_create(actor=world.verifiers["medical"], name="scanner", console=True)
    hospital = login(world.verifiers["medical"])

    def check() -> str:
        body = {"token": services.token_for(world.code)[0], "scene": "medical"}
        answer = hospital.post(
            "/api/v1/talentcode/verify",
            body,
            content_type="application/json",
            headers={"Authorization": f"Bearer {bearer}"},
        )
        assert answer.status_code == 200, answer.content
        return str(answer.json()["result"])

    assert check() == Result.VALID
    only_a = '{"all": [{"fact": "grade", "op": "in", "value": ["A"]}]}'
    saved = office.post("/talentcode/scenes/medical/", {"rule": only_a})
    assert saved.status_code == 302
    # … and the next check reads the new rule: the grade-C talent is no longer entitled.
    assert check() == Result.NOT_ENTITLED
    event = AuditEvent.objects.get(action="talentcode.scene_rule")
    assert (event.actor_id, event.details["scene"]) == (world.office.pk, "medical")
    assert event.details["after"]["all"][0]["value"] == ["A"]


def test_the_api_edits_a_scene_s_rule_and_refuses_a_bad_one_at_its_clause(world, login, make_user):
    office = login(world.office)
    listed = office.get("/api/v1/talentcode/scenes").json()
    assert [s["code"] for s in listed] == ["medical", "school", "transport", "culture"]
    bad = office.put(
        "/api/v1/talentcode/scenes/school/rule",
        {"rule": {"all": [{"fact": "grade", "op": "frobs", "value": ["A"]}]}},
        content_type="application/json",
    )
    assert bad.status_code == 422
    assert bad.json()["fields"]["rule"][0].startswith("all[0]: ")
    good = office.put(
        "/api/v1/talentcode/scenes/school/rule",
        {"rule": {"all": [{"fact": "grade", "op": "in", "value": ["A", "B"]}]}},
        content_type="application/json",
    )
    assert good.status_code == 200
    assert good.json()["rule"]["all"][0]["value"] == ["A", "B"]
    token, _expiry = services.token_for(world.code)
    answer = services.verify(actor=world.verifiers["school"], token=token, scene_code="school")
    assert answer.result == Result.NOT_ENTITLED
    park = login(make_user("park-staff", "320115-P-KFQ"))
    assert (
        park.put(
            "/api/v1/talentcode/scenes/school/rule", {"rule": {"all": []}}, content_type="application/json"
        ).status_code
        == 403
    )
    assert park.get("/talentcode/scenes/school/").status_code == 403
    assert office.get("/talentcode/scenes/no-such-scene/").status_code == 404


# --- the verifier's cached token and scenes -----------------------------------------------------------------


def test_a_cached_verifier_token_is_refused_at_once_when_revoked_or_its_account_stopped(world, client):
    row, bearer = token_create(actor=world.verifiers["medical"], name="scanner", console=True)

    def status() -> int:
        body = {"token": services.token_for(world.code)[0], "scene": "medical"}
        return client.post(
            "/api/v1/talentcode/verify",
            body,
            content_type="application/json",
            headers={"Authorization": f"Bearer {bearer}"},
        ).status_code

    assert status() == 200
    cached = cache.get(token_key(row.digest))
    assert cached.user.pk == world.verifiers["medical"].pk
    assert "password" not in cached.user.__dict__  # the hash never goes to the cache
    assert status() == 200  # from the cache
    token_revoke(actor=world.verifiers["medical"], token_id=row.pk)
    assert status() == 401

    row, bearer = token_create(actor=world.verifiers["medical"], name="scanner-2", console=True)
    assert status() == 200
    user = world.verifiers["medical"]
    user.is_active = False
    user.save()
    assert status() == 401


def test_a_verifier_s_cached_scenes_follow_the_office_s_change(world, client):
    _row, bearer = token_create(actor=world.verifiers["medical"], name="scanner", console=True)

    def check(scene: str) -> int:
        body = {"token": services.token_for(world.code)[0], "scene": scene}
        return client.post(
            "/api/v1/talentcode/verify",
            body,
            content_type="application/json",
            headers={"Authorization": f"Bearer {bearer}"},
        ).status_code

    assert (check("medical"), check("school")) == (200, 422)
    hospital = Verifier.objects.get(unit=world.verifiers["medical"].unit)
    services.verifier_save(
        actor=world.office,
        unit=hospital.unit,
        scenes=list(Scene.objects.filter(code__in=["medical", "school"])),
    )
    assert (check("medical"), check("school")) == (200, 200)
    services.verifier_save(
        actor=world.office, unit=hospital.unit, scenes=[Scene.objects.get(code="school")], active=False
    )
    assert check("school") == 403


# --- the archive --------------------------------------------------------------------------------------------


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def test_an_anonymised_archive_takes_the_codes_photo_and_verifications_with_it(world):
    services.photo_set(actor=world.account, code=world.code, data=PNG, show=True)
    token, _expiry = services.token_for(world.code)
    services.verify(actor=world.verifiers["medical"], token=token, scene_code="medical")
    verification = Verification.objects.get()
    assert not verification.audited

    talent_anonymise(world.talent)

    assert not TalentCode.objects.filter(talent=world.talent).exists()
    assert not Verification.objects.exists()
    # The audit log keeps its record of the verification (no personal data), written before the row went.
    event = AuditEvent.objects.get(action="talentcode.verify")
    assert event.details["verification"] == str(verification.pk)
    gone = AuditEvent.objects.get(action="talentcode.anonymise")
    assert gone.details == {"codes": 1, "verifications": 1}
    assert services.verifications_audit() == 0


def test_the_timeline_tells_of_issue_revocation_and_a_reported_verification(world, login):
    token, _expiry = services.token_for(world.code)
    services.verify(actor=world.verifiers["culture"], token=token, scene_code="culture")
    services.report(actor=world.account, verification=Verification.objects.get(), note="")
    services.revoke(actor=world.office, code=world.code, reason="手机遗失")
    kinds = [e.kind for e in timeline(world.talent, viewer=world.office)]
    assert {"talent_code_issued", "talent_code_revoked", "talent_code_reported"} <= set(kinds)
    revoked = next(e for e in timeline(world.talent) if e.kind == "talent_code_revoked")
    assert revoked.item.label == "手机遗失"
    reported = next(e for e in timeline(world.talent) if e.kind == "talent_code_reported")
    assert reported.item.label == "文旅服务单位 · 文旅服务"
    page = login(world.office).get(f"/talents/{world.talent.pk}/").content.decode()
    assert "手机遗失" in page
