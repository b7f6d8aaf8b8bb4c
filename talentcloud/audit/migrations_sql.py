"""Database-level protection of the audit tables.

PostgreSQL: a row trigger refuses UPDATE and DELETE (the owner disables it only to prune), and the
application's role has no UPDATE, DELETE or TRUNCATE privilege on these tables (talentcloud db-roles).
SQLite: a trigger refuses UPDATE (DELETE stays possible because Django's flush deletes rows; SQLite has no
roles anyway). Whatever gets past these is caught by ``audit verify``."""

from __future__ import annotations

TABLES = ("audit_auditevent", "audit_auditseal")


def sqlite_trigger_statements() -> list[str]:
    statements = []
    for table in TABLES:
        statements.append(
            f"CREATE TRIGGER IF NOT EXISTS {table}_no_update BEFORE UPDATE ON {table} "
            "BEGIN SELECT RAISE(ABORT, 'audit records are append-only'); END"
        )
    return statements


POSTGRES_FUNCTION = """
CREATE OR REPLACE FUNCTION talentcloud_audit_immutable() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit records are append-only (%)', TG_OP;
END;
$$ LANGUAGE plpgsql
"""


def postgres_trigger_statements() -> list[str]:
    statements = [POSTGRES_FUNCTION]
    for table in TABLES:
        statements.append(
            f"CREATE TRIGGER {table}_immutable BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION talentcloud_audit_immutable()"
        )
    return statements


def install(schema_editor: object) -> None:
    connection = schema_editor.connection  # type: ignore[attr-defined]
    statements = (
        postgres_trigger_statements() if connection.vendor == "postgresql" else sqlite_trigger_statements()
    )
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
