"""On PostgreSQL the application's role may insert and read audit rows, never change or remove them."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import DatabaseError, connection, transaction

from talentcloud.audit.dbroles import grant_app_role
from talentcloud.audit.services import audit_record

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif("connection.vendor != 'postgresql'", reason="database roles are a PostgreSQL feature"),
]
APP_ROLE = "talentcloud_test_app"


def as_app_role(sql: str, params: list[Any] | None = None) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f'SET LOCAL ROLE "{APP_ROLE}"')
        cursor.execute(sql, params or [])


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_auditevent SET action = 'x' WHERE id = %s",
        "DELETE FROM audit_auditevent WHERE id = %s",
        "UPDATE audit_auditseal SET hash = 'x' WHERE event_id = %s",
        "DELETE FROM audit_auditseal WHERE event_id = %s",
    ],
)
def test_app_role_cannot_change_or_delete_audit_rows(statement):
    grant_app_role(role=APP_ROLE, login=False)
    event = audit_record(actor=None, actor_username="x", action="test.event")
    with pytest.raises(DatabaseError, match="permission denied"):
        as_app_role(statement, [event.pk])


@pytest.mark.parametrize(
    "statement",
    [
        "TRUNCATE audit_auditevent",
        "ALTER TABLE audit_auditevent DISABLE TRIGGER audit_auditevent_immutable",
        "DROP TRIGGER audit_auditevent_immutable ON audit_auditevent",
    ],
)
def test_app_role_cannot_truncate_or_touch_triggers(statement):
    grant_app_role(role=APP_ROLE, login=False)
    with pytest.raises(DatabaseError, match=r"permission denied|must be owner"):
        as_app_role(statement)


def test_app_role_can_insert_and_read_audit_rows_and_write_business_rows():
    grant_app_role(role=APP_ROLE, login=False)
    as_app_role(
        "INSERT INTO audit_auditevent"
        " (occurred_at, actor_username, action, object_type, object_id, outcome, details)"
        " VALUES (now(), 'app', 'test.insert', '', '', 'success', '{}')"
    )
    as_app_role("SELECT count(*) FROM audit_auditevent")
    as_app_role("UPDATE accounts_orgunit SET name = name")
