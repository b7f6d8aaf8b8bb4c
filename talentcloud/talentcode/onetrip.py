"""A verification in one statement (PostgreSQL; ADR 0039): the code's lookup, the scene's rule over the
talent's facts, the answer and the ``Verification`` row, in one round trip.

A verification used to read the code and its talent, decide in Python (``services.entitled``) and then
write its row: two statements, two round trips. Here the scene's rule is compiled by the one rule language
(``rules.logic.to_sql``, the form the policy engine's in-database scan uses) into the lookup, and the lookup
feeds the row's INSERT in a data-modifying ``WITH``; the statement returns what the answer needs. It decides
exactly as ``services.verify`` does in two steps (a test runs both over every scene and every grade):

- no code of this platform under the id: forged;
- the token's own refusal (expired), if any;
- a code no longer active: revoked;
- the rule TRUE: valid; FALSE or unknown (NULL): not entitled.

The statement is compiled once per database, scene rule and day (the rule's dates are constants), kept
by the ORM's compiler and run on a server-binding cursor (``common.prepared``), so PostgreSQL prepares it.
Elsewhere (SQLite), or for a rule with no SQL form, ``run`` returns None and the caller takes two steps.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import BooleanField, ExpressionWrapper, QuerySet, Value
from django.utils import timezone
from django.utils.functional import Promise
from psycopg.sql import Literal

from talentcloud.common.prepared import SENTINEL, server_cursor
from talentcloud.rules.facts import with_sql_facts
from talentcloud.rules.logic import to_sql

from .enums import CodeStatus, Result
from .models import Scene, Verification

# What the lookup reads, in this order: the code's id, status, photo choice and type, the last valid day of
# the talent's certification, the talent's name (plain), and the scene's rule over the talent's facts.
COLUMNS = ("code_pk", "code_status", "code_show_photo", "code_photo_type", "until", "name", "entitled")
# The row's columns the statement writes (the rest take their defaults: NULL).
WRITTEN = (
    "id",
    "at",
    "result",
    "report_note",
    "checked_by",
    "code",
    "scene",
    "verifier",
    "audited",
    "source_ip",
)
CACHED = 256  # compiled statements kept (a few scenes, one day each)


@dataclass(frozen=True)
class Trip:
    """What one statement did: the row it wrote (id, when, result) and what it read (None: no such code)."""

    id: uuid.UUID
    at: datetime
    result: str
    code_pk: uuid.UUID | None
    show_photo: bool
    photo_type: str
    until: date | None
    name: str


@dataclass(frozen=True)
class _Compiled:
    sql: str
    slots: int  # how many times the lookup names the code id (its first parameters)


PLACEHOLDER = re.compile(r"(%%|%s)")


_COMPILED: dict[tuple[Any, ...], _Compiled | None] = {}


def _compile(build: Callable[[str], QuerySet[Any]], scene: Scene, on: date, alias: str) -> _Compiled | None:
    connection = connections[alias]
    if connection.vendor != "postgresql":
        return None
    if scene.active and scene.rule:
        try:
            rule = to_sql(scene.rule, {}, on)
        except (KeyError, ValueError, TypeError, NotImplementedError):  # a rule with no SQL form
            return None
        entitled: Any = ExpressionWrapper(rule, output_field=BooleanField())
    else:
        entitled = Value(False)
    lookup = with_sql_facts(build(SENTINEL), on).annotate(entitled=entitled).values_list(*COLUMNS)
    select, select_params = lookup.query.get_compiler(using=alias).as_sql()
    connection.ensure_connection()
    literal = _literals(connection.connection)
    # The lookup's constants (the rule's values, statuses, the day) are written into the statement, which is
    # compiled for one scene's rule and one day: a call binds only what changes between calls.
    pieces, slots, count = [], 0, 0
    for piece in PLACEHOLDER.split(select):
        if piece == "%s":
            value = select_params[count]
            count += 1
            if value == SENTINEL:
                slots += 1
                pieces.append("%s")
            else:
                pieces.append(literal(value))
        else:
            pieces.append(piece)
    if not slots or count != len(select_params):
        raise ValueError("the lookup does not use its sentinel")
    select = "".join(pieces)
    quote = connection.ops.quote_name
    fields = {f.name: f for f in Verification._meta.concrete_fields}
    table, column = quote(Verification._meta.db_table), {name: quote(fields[name].column) for name in WRITTEN}
    names = ", ".join(f"c{i}" for i in range(len(COLUMNS)))
    code, status, entitled_col = "found.c0", "found.c1", f"found.c{len(COLUMNS) - 1}"
    # Only compiled SQL, quoted names and placeholders are put together; every value is a parameter.
    forged, active, revoked = literal(Result.FORGED), literal(CodeStatus.ACTIVE), literal(Result.REVOKED)
    valid, not_entitled = literal(Result.VALID), literal(Result.NOT_ENTITLED)
    sql = (
        f"WITH found ({names}) AS ({select}), "  # noqa: S608
        f"written AS (INSERT INTO {table} ({', '.join(column[name] for name in WRITTEN)}) "
        "SELECT %s, %s, "
        f"CASE WHEN {code} IS NULL THEN {forged} WHEN %s::text IS NOT NULL THEN %s::text "
        f"WHEN {status} <> {active} THEN {revoked} WHEN {entitled_col} IS TRUE THEN {valid} "
        f"ELSE {not_entitled} END, "
        f"'', %s, {code}, %s, %s, FALSE, %s::inet FROM (SELECT 1) AS one LEFT JOIN found ON TRUE "
        f"RETURNING {column['id']}, {column['at']}, {column['result']}) "
        f"SELECT written.*, {names} FROM written LEFT JOIN found ON TRUE"
    )
    return _Compiled(sql=sql, slots=slots)


def _literals(raw: Any) -> Callable[[Any], str]:
    """A constant as PostgreSQL reads it (psycopg's quoting for the connection), its percent signs doubled
    for the parameter placeholders around it."""

    def literal(value: Any) -> str:
        return str(Literal(str(value) if isinstance(value, Promise) else value).as_string(raw)).replace(
            "%", "%%"
        )

    return literal


def run(
    *,
    build: Callable[[str], QuerySet[Any]],
    code_id: str,
    scene: Any,
    refusal: str | None,
    checked_by_id: int | None,
    source_ip: str | None,
    on: date | None = None,
    using: str = DEFAULT_DB_ALIAS,
) -> Trip | None:
    """Verify the code ``code_id`` for ``scene`` (with its ``verifier_pk``, as ``services._scene_of`` gives
    it) and write the row, in one statement; ``refusal``: the token's own (expired) or None. None when this
    database or the scene's rule has no one-statement form: nothing was written."""
    day = on or timezone.localdate()
    key = (using, scene.pk, scene.active, json.dumps(scene.rule, sort_keys=True), day)
    if key in _COMPILED:
        compiled = _COMPILED[key]
    else:
        if len(_COMPILED) >= CACHED:
            _COMPILED.clear()
        compiled = _COMPILED[key] = _compile(build, scene, day, using)
    if compiled is None:
        return None
    row_id, now = uuid.uuid4(), timezone.now()
    params = [
        *([code_id] * compiled.slots),
        row_id,
        now,
        refusal,
        refusal,
        checked_by_id,
        scene.pk,
        scene.verifier_pk,
        source_ip,
    ]
    with server_cursor(connections[using]) as cursor:
        cursor.execute(compiled.sql, params)
        row = cursor.fetchone()
    written_id, at, result, code_pk, _status, show_photo, photo_type, until, name, _entitled = row
    return Trip(
        id=written_id,
        at=at,
        result=result,
        code_pk=code_pk,
        show_photo=bool(show_photo),
        photo_type=photo_type or "",
        until=until,
        name=name or "",
    )
