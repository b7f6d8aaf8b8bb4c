"""Races for real (PostgreSQL, threads with their own connections): twenty issuances to one talent at once
leave exactly one code in use, the others superseded, each audited; twenty revocations of one code at once:
one revokes, nineteen are told it is no longer in use; verifications racing a revocation are either valid
before it or revoked after it, each recorded once."""

from __future__ import annotations

from collections import Counter

import pytest
from django.db import connection  # noqa: F401 (read by the skipif condition)

from talentcloud.audit.models import AuditEvent
from talentcloud.servicehall.tests.test_races import race
from talentcloud.talentcode import services
from talentcloud.talentcode.enums import CodeStatus, Result
from talentcloud.talentcode.models import TalentCode, Verification
from talentcloud.talents.models import Talent

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif("connection.vendor != 'postgresql'", reason="row locks need PostgreSQL"),
]


def test_twenty_issuances_at_once_leave_one_code_in_use(world):
    def issue(_i: int) -> None:
        services.issue(actor=world.office, talent=Talent.objects.get(pk=world.talent.pk), basis="office")

    assert race(20, issue) == Counter({"ok": 20})
    codes = TalentCode.objects.filter(talent=world.talent)
    assert codes.count() == 21
    assert codes.filter(status=CodeStatus.ACTIVE).count() == 1
    assert codes.filter(status=CodeStatus.SUPERSEDED).count() == 20
    assert AuditEvent.objects.filter(action="talentcode.issue").count() == 21


def test_twenty_revocations_of_one_code_one_revokes(world):
    def revoke(_i: int) -> None:
        services.revoke(actor=world.office, code=TalentCode.objects.get(pk=world.code.pk), reason="遗失")

    assert race(20, revoke) == Counter({"ok": 1, "conflict": 19})
    assert AuditEvent.objects.filter(action="talentcode.revoke").count() == 1


def test_verifications_racing_a_revocation_are_each_recorded_once(world):
    token, _expiry = services.token_for(world.code)
    answers: list[str] = []

    def work(i: int) -> None:
        if i == 10:
            services.revoke(actor=world.office, code=TalentCode.objects.get(pk=world.code.pk), reason="遗失")
        else:
            answers.append(
                services.verify(actor=world.verifiers["medical"], token=token, scene_code="medical").result
            )

    assert race(20, work) == Counter({"ok": 20})
    assert set(answers) <= {Result.VALID, Result.REVOKED}
    assert Verification.objects.count() == 19
    assert services.verifications_audit() == 19
    assert AuditEvent.objects.filter(action="talentcode.verify").count() == 19
    assert (
        services.verify(actor=world.verifiers["medical"], token=token, scene_code="medical").result
        == Result.REVOKED
    )
