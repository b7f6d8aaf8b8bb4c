"""The demo's talent codes (#23): the four verifier accounts are demo logins with a second factor, each of an
external unit verifying one scene; the demo talent holds a code that verifies, and has a history."""

from __future__ import annotations

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from talentcloud.accounts.models import OrgUnit, User
from talentcloud.demo.seed import generate_password, seed_all
from talentcloud.demo.talentcode import seed_talent_codes
from talentcloud.talentcode import services
from talentcloud.talentcode.enums import CodeStatus, Result
from talentcloud.talentcode.models import TalentCode, Verification
from talentcloud.talents.models import Talent

pytestmark = pytest.mark.django_db


def test_the_demo_has_verifiers_codes_and_history():
    seed_all(talents=60, seed=7)
    own = Talent.objects.get(account__username="talent")
    code = TalentCode.objects.get(talent=own, status=CodeStatus.ACTIVE)
    assert TalentCode.objects.count() > 10
    assert Verification.objects.filter(code=code).count() >= 3
    assert Verification.objects.filter(code=code, reported_at__isnull=False).count() == 1
    for username, scene in (
        ("hospital", "medical"),
        ("school", "school"),
        ("transport", "transport"),
        ("culture", "culture"),
    ):
        verifier = services.verifier_of(User.objects.get(username=username))
        assert verifier is not None
        assert [s.code for s in verifier.scenes.all()] == [scene]
    hospital = User.objects.get(username="hospital")
    assert hospital.is_demo
    assert TOTPDevice.objects.filter(user=hospital, confirmed=True).exists()
    token, _expiry = services.token_for(code)
    answer = services.verify(actor=hospital, token=token, scene_code="medical")
    assert answer.result in (Result.VALID, Result.NOT_ENTITLED)
    seed_talent_codes(
        seed=7, units={u.code: u for u in OrgUnit.objects.all()}, generate_password=generate_password
    )
    assert TalentCode.objects.filter(talent=own).count() == 1
