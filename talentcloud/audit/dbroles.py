"""PostgreSQL roles: the owner runs migrations and pruning; the application role may only INSERT and SELECT
audit rows (and may not alter their triggers, which only the owner can)."""

from __future__ import annotations

from django.db import connection
from psycopg import sql

AUDIT_TABLES = ("audit_auditevent", "audit_auditseal")


def grant_app_role(*, role: str, password: str | None = None, login: bool = True) -> None:
    """Create (if needed) and grant the application role. Run as the owner of the tables."""
    if connection.vendor != "postgresql":
        raise RuntimeError("database roles exist on PostgreSQL only")
    ident = sql.Identifier(role)
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
        if cursor.fetchone() is None:
            options = sql.SQL("LOGIN") if login else sql.SQL("NOLOGIN")
            cursor.execute(sql.SQL("CREATE ROLE {} {}").format(ident, options))
        if password:
            cursor.execute(sql.SQL("ALTER ROLE {} PASSWORD {}").format(ident, sql.Literal(password)))
        cursor.execute(sql.SQL("GRANT USAGE ON SCHEMA public TO {}").format(ident))
        cursor.execute(
            sql.SQL("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {}").format(ident)
        )
        cursor.execute(sql.SQL("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {}").format(ident))
        for table in AUDIT_TABLES:
            cursor.execute(
                sql.SQL("REVOKE UPDATE, DELETE, TRUNCATE ON {} FROM {}").format(sql.Identifier(table), ident)
            )
