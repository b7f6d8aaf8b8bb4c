"""Tampering with audit rows, even with the triggers dropped, is found by `audit verify`."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from talentcloud.audit.chain import audit_prune, audit_seal, audit_verify
from talentcloud.audit.migrations_sql import sqlite_trigger_statements
from talentcloud.audit.models import AuditEvent, AuditSeal
from talentcloud.audit.services import audit_record

pytestmark = pytest.mark.django_db(transaction=True)


def record_events(n: int) -> list[AuditEvent]:
    return [
        audit_record(
            actor=None, actor_username=f"user{i}", action="test.event", object_id=i, details={"i": i}
        )
        for i in range(n)
    ]


# Whether a test dropped the tables' protection: DDL, which the flush after a transactional test does not
# undo, so ``conftest._audit_protection_back`` puts it back for the next test on this database.
DROPPED: list[str] = []


def drop_protection() -> None:
    DROPPED.append(str(connection.alias))
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER audit_auditevent_immutable")
            cursor.execute("ALTER TABLE audit_auditseal DISABLE TRIGGER audit_auditseal_immutable")
        else:
            cursor.execute("DROP TRIGGER IF EXISTS audit_auditevent_no_update")
            cursor.execute("DROP TRIGGER IF EXISTS audit_auditseal_no_update")


def restore_protection() -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER audit_auditevent_immutable")
            cursor.execute("ALTER TABLE audit_auditseal ENABLE TRIGGER audit_auditseal_immutable")
        else:
            for statement in sqlite_trigger_statements():
                cursor.execute(statement)


def raw(sql: str, params: list[Any]) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_intact_chain_verifies():
    record_events(5)
    assert audit_seal() == 5
    result = audit_verify()
    assert result.ok, result.problem
    assert result.checked == 5
    call_command("audit", "verify")


def test_updates_are_refused_by_the_trigger():
    event = record_events(1)[0]
    with pytest.raises(DatabaseError), transaction.atomic():
        raw("UPDATE audit_auditevent SET action = %s WHERE id = %s", ["x", event.pk])


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("action", "auth.logout"),
        ("actor_username", "someone.else"),
        ("object_id", "999"),
        ("outcome", "failure"),
        ("source_ip", "10.0.0.9"),
        ("details", '{"i": 99}'),
        ("occurred_at", None),
        ("actor_id", 42),
        ("object_type", "talent"),
    ],
)
def test_changing_any_field_is_named(column, value):
    events = record_events(4)
    audit_seal()
    drop_protection()
    target = events[2]
    if column == "occurred_at":
        value = target.occurred_at - timedelta(hours=1)
    raw(f"UPDATE audit_auditevent SET {column} = %s WHERE id = %s", [value, target.pk])  # noqa: S608
    result = audit_verify()
    assert not result.ok
    assert result.event_id == target.pk
    assert f"event {target.pk}" in result.problem
    with pytest.raises(CommandError, match=f"event {target.pk}"):
        call_command("audit", "verify")


def test_deleting_an_event_is_detected():
    events = record_events(4)
    audit_seal()
    raw(
        "DELETE FROM audit_auditevent WHERE id = %s", [events[1].pk]
    ) if connection.vendor == "sqlite" else None
    if connection.vendor == "postgresql":
        drop_protection()
        raw("DELETE FROM audit_auditevent WHERE id = %s", [events[1].pk])
    result = audit_verify()
    assert not result.ok
    assert "deleted" in result.problem
    assert result.event_id == events[1].pk


def test_deleting_a_seal_is_detected():
    record_events(4)
    audit_seal()
    drop_protection()
    raw("DELETE FROM audit_auditseal WHERE seq = %s", [2])
    result = audit_verify()
    assert not result.ok
    assert "seal 2 is missing" in result.problem


def test_rewriting_a_seal_hash_is_detected():
    events = record_events(3)
    audit_seal()
    drop_protection()
    raw("UPDATE audit_auditseal SET hash = %s WHERE seq = %s", ["f" * 64, 2])
    result = audit_verify()
    assert not result.ok
    assert result.event_id == events[1].pk  # the second link no longer matches its event


def test_old_unsealed_events_fail_verification():
    with time_machine.travel(timezone.now() - timedelta(hours=1)):
        record_events(1)
    result = audit_verify()
    assert not result.ok
    assert "not been sealed" in result.problem
    audit_seal()
    assert audit_verify().ok


def test_sealing_is_incremental_and_continues_the_chain():
    record_events(3)
    audit_seal()
    record_events(2)
    assert audit_seal() == 2
    assert list(AuditSeal.objects.values_list("seq", flat=True)) == [1, 2, 3, 4, 5]
    assert audit_verify().ok


def test_prune_keeps_six_months_and_leaves_a_checkpoint():
    with pytest.raises(ValueError, match="183"):
        audit_prune(older_than_days=30)
    with time_machine.travel(timezone.now() - timedelta(days=400)):
        old = record_events(3)
    record_events(2)
    deleted = audit_prune(older_than_days=365)
    assert deleted == 3
    assert not AuditEvent.objects.filter(pk__in=[e.pk for e in old]).exists()
    checkpoint = AuditEvent.objects.get(action="audit.prune")
    assert checkpoint.details["last_seq"] == 3
    audit_seal()
    result = audit_verify()
    assert result.ok, result.problem
    assert result.checked == 3  # two events and the checkpoint
