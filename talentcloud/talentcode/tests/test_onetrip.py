"""A verification in one statement (ADR 0039): on PostgreSQL ``services.verify`` reads the code, decides and
writes its row in one statement, and it answers and writes exactly what the two-step way (read, decide in
Python with ``services.entitled``, write) does — over every scene, every grade, a revoked code, an expired
token and a code id the platform never issued. The row's references are not checked by the database, and
deleting what they name still cascades, is refused or empties them."""

from __future__ import annotations

import os
import time

import pytest
from django.db import connection
from django.db.models import ProtectedError
from django.test.utils import CaptureQueriesContext

from talentcloud.talentcode import onetrip, services, tokens
from talentcloud.talentcode.enums import Result
from talentcloud.talentcode.models import CODE_ID_BYTES, Verification
from talentcloud.talentcode.scenes import SCENES

from .conftest import certified

pytestmark = pytest.mark.django_db

ROW = ("code_id", "verifier_id", "scene_id", "checked_by_id", "result", "source_ip", "report_note", "audited")


def _both(world, monkeypatch, token, scene):
    """The answer and the row of one verification each way: as the platform runs it, then in two steps."""
    user = world.verifiers[scene]
    mine = services.verify(actor=user, token=token, scene_code=scene)
    with monkeypatch.context() as patched:
        patched.setattr(onetrip, "run", lambda **_kw: None)
        theirs = services.verify(actor=user, token=token, scene_code=scene)
    rows = [Verification.objects.filter(pk=a.verification.pk).values(*ROW).get() for a in (mine, theirs)]
    return mine, theirs, rows


def _same(mine, theirs, rows):
    assert (mine.result, mine.masked_name, mine.until, mine.photo) == (
        theirs.result,
        theirs.masked_name,
        theirs.until,
        theirs.photo,
    )
    assert rows[0] == rows[1]
    assert mine.verification.result == rows[0]["result"]


@pytest.mark.parametrize("grade", ["A", "B", "C", "D", "E", "F"])
def test_one_statement_decides_as_two_steps_for_every_scene_and_grade(world, monkeypatch, grade):
    certified(world.office, world.talent, grade)
    token, _expiry = services.token_for(world.code)
    for scene, _name, _name_en, grades, _order in SCENES:
        mine, theirs, rows = _both(world, monkeypatch, token, scene)
        _same(mine, theirs, rows)
        assert mine.result == (Result.VALID if grade in grades else Result.NOT_ENTITLED)


def test_one_statement_refuses_as_two_steps_revoked_expired_and_never_issued(world, monkeypatch):
    expired, _expiry = services.token_for(world.code, now=time.time() - 120)
    never, _expiry = tokens.sign(os.urandom(CODE_ID_BYTES).hex())
    for token, result in ((expired, Result.EXPIRED), (never, Result.FORGED)):
        mine, theirs, rows = _both(world, monkeypatch, token, "medical")
        _same(mine, theirs, rows)
        assert mine.result == result
    valid, _expiry = services.token_for(world.code)
    services.revoke(actor=world.office, code=world.code, reason="卡片遗失")
    mine, theirs, rows = _both(world, monkeypatch, valid, "medical")
    _same(mine, theirs, rows)
    assert mine.result == Result.REVOKED


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the one statement is PostgreSQL's")
def test_a_verification_is_one_statement_on_postgresql(world):
    token, _expiry = services.token_for(world.code)
    services.verify(actor=world.verifiers["medical"], token=token, scene_code="medical")  # scenes cached
    with CaptureQueriesContext(connection) as queries:
        answer = services.verify(actor=world.verifiers["medical"], token=token, scene_code="medical")
    assert answer.result == Result.VALID
    assert len(queries) == 1


def test_the_statement_writes_every_column_without_a_default():
    written = set(onetrip.WRITTEN)
    for field in Verification._meta.concrete_fields:
        assert field.name in written or field.null, field.name


def test_deleting_what_a_verification_names_cascades_is_refused_or_empties_it(world):
    token, _expiry = services.token_for(world.code)
    hospital = world.verifiers["medical"]
    first = services.verify(actor=hospital, token=token, scene_code="medical").verification
    with pytest.raises(ProtectedError):
        first.verifier.delete()
    with pytest.raises(ProtectedError):
        first.scene.delete()
    hospital.delete()
    assert Verification.objects.get(pk=first.pk).checked_by_id is None
    world.code.delete()
    assert not Verification.objects.filter(pk=first.pk).exists()
