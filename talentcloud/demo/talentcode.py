"""Talent codes for the demo (#23): four external units verifying the card's four scenes (a hospital, a
school, a transport and a culture partner), each with a demo account printed among the logins; codes issued
to the demo talent and to some certified talents; and a month of verifications (mostly valid, a few expired
or not entitled, one the demo talent reported as not recognised)."""

from __future__ import annotations

import random
from datetime import timedelta

from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from talentcloud.accounts.enums import UnitKind
from talentcloud.accounts.models import OrgUnit, Role, User
from talentcloud.accounts.services import orgunit_create, totp_device_create, user_create
from talentcloud.certification.enums import Basis
from talentcloud.certification.services import Decision, record
from talentcloud.talentcode.enums import CodeStatus, IssueBasis, Result
from talentcloud.talentcode.models import Scene, TalentCode, Verification, Verifier
from talentcloud.talentcode.scenes import scenes_install
from talentcloud.talentcode.services import entitled
from talentcloud.talents.models import Talent

# (account, unit code, unit name, English name, scene)
VERIFIERS = [
    ("hospital", "EXT-JNH", "江宁医院", "Jiangning Hospital", "medical"),
    ("school", "EXT-JNSY", "江宁实验小学", "Jiangning Experimental Primary School", "school"),
    ("transport", "EXT-JNJT", "江宁交通集团", "Jiangning Transport Group", "transport"),
    ("culture", "EXT-JNBWG", "江宁博物馆", "Jiangning Museum", "culture"),
]
CODES = 24  # certified talents with a code, besides the demo talent


def seed_talent_codes(*, seed: int, units: dict[str, OrgUnit], generate_password: object) -> int:
    rng = random.Random(seed + 23)
    scenes_install()
    role = Role.objects.get(code="code-verifier")
    verifiers: list[tuple[User, Verifier, Scene]] = []
    for username, unit_code, name, name_en, scene_code in VERIFIERS:
        unit = OrgUnit.objects.filter(code=unit_code).first() or orgunit_create(
            actor=None,
            code=unit_code,
            name=name,
            name_en=name_en,
            kind=UnitKind.EXTERNAL,
            parent=units["320115"],
        )
        scene = Scene.objects.get(code=scene_code)
        verifier, _created = Verifier.objects.get_or_create(unit=unit)
        verifier.scenes.set([scene])
        user = User.objects.filter(username=username).first() or user_create(
            actor=None,
            username=username,
            password=generate_password(username),  # type: ignore[operator]
            unit=unit,
            roles=[role],
            display_name=f"{name}核验员",
            is_demo=True,
        )
        if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
            totp_device_create(user=user, name="demo", confirmed=True)
        verifiers.append((user, verifier, scene))
    if TalentCode.objects.exists():
        return TalentCode.objects.count()
    graded = list(Talent.objects.exclude(grade="").filter(account__isnull=True).order_by("pk")[:CODES])
    own = Talent.objects.filter(account__username="talent").first()
    if own is not None:
        if not own.grade:  # the demo talent is certified, through the one writer of grades
            record(
                actor=None,
                talent=own,
                decision=Decision(
                    grade="C",
                    tier=own.tier,
                    basis=Basis.DECISION,
                    document_number="宁委人才〔2026〕1号（演示）",
                ),
            )
            own.refresh_from_db()
        graded.insert(0, own)
    codes = TalentCode.objects.bulk_create(
        [TalentCode(talent=t, basis=IssueBasis.OFFICE, status=CodeStatus.ACTIVE) for t in graded]
    )
    now = timezone.now()
    checks: list[Verification] = []
    for code in codes:
        for _n in range(rng.randrange(0, 4) + (3 if code.talent == own else 0)):
            user, verifier, scene = rng.choice(verifiers)
            result = Result.VALID if entitled(code.talent, scene) else Result.NOT_ENTITLED
            if rng.random() < 0.1:
                result = Result.EXPIRED
            checks.append(
                Verification(code=code, verifier=verifier, scene=scene, checked_by=user, result=result)
            )
    made = Verification.objects.bulk_create(checks)
    for check in made:  # spread over the last month (``at`` is set on insert)
        check.at = now - timedelta(minutes=rng.randrange(10, 30 * 24 * 60))
    Verification.objects.bulk_update(made, ["at"])
    mine = [v for v in made if own is not None and v.code is not None and v.code.talent_id == own.pk]
    if mine:
        mine[-1].reported_at = now - timedelta(hours=2)
        mine[-1].report_note = "那天我在上海出差，没有去过这家单位。"
        mine[-1].save(update_fields=["reported_at", "report_note"])
    return len(codes)
