"""Statements compiled by the ORM once and run many times, for the few doors where compiling a query costs
more than the database takes to answer it (a talent code's verification: ADR 0029, ADR 0038).

The ORM compiles a queryset into SQL on every evaluation: for a select over a model with forty fields, an
annotation and a subquery, and for an INSERT of a model, that is a few tenths of a millisecond of Python per
call — more than the row's lookup or its write. ``PreparedSelect`` and ``PreparedInsert`` compile once per
database alias and keep what the ORM would use to run the statement (the SQL, the parameters, where the
model's columns and annotations sit in a row, the database's converters); a call only binds its values,
executes and builds the instance the same way the ORM's own iterator does. Signals are not sent (as with
``bulk_create``), so use them only for models with no receivers that matter.

On PostgreSQL the statement is also prepared on the server: the project's connections bind parameters on
the client (Django's default, kept for every other query), so PostgreSQL parses and plans each query it
receives — for the code's lookup, planning took three times as long as running it. These statements run on
a cursor that binds on the server, and the connection is told to prepare a statement it has run twice
(``prepare_threshold``, which Django leaves off and only server-binding cursors read: the project's other
cursors bind on the client and are never prepared); the connection, kept ``CONN_MAX_AGE``, then only binds
and executes it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.postgresql.base import ServerBindingCursor  # type: ignore[attr-defined]
from django.db.backends.utils import CursorWrapper
from django.db.models import Model, QuerySet
from django.db.models.sql import InsertQuery

M = TypeVar("M", bound=Model)

PREPARE_THRESHOLD = 2  # runs of a statement on a connection before psycopg prepares it on the server
SENTINEL = "prepared-statement-sentinel-0000"  # a parameter value no caller passes


def server_cursor(connection: BaseDatabaseWrapper) -> CursorWrapper:
    """A cursor of the connection (Django's wrapper, so query logging and wrappers see the statement); on
    PostgreSQL one that binds parameters on the server, so psycopg prepares a statement run often."""
    if connection.vendor != "postgresql":
        return connection.cursor()
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    if connection.connection.prepare_threshold is None:
        connection.connection.prepare_threshold = PREPARE_THRESHOLD
    with connection.wrap_database_errors:
        return connection._prepare_cursor(ServerBindingCursor(connection.connection))  # type: ignore[attr-defined]


@dataclass(frozen=True)
class _Select:
    sql: str
    params: tuple[Any, ...]
    slots: tuple[int, ...]  # where each sentinel sits among the parameters
    start: int  # the model's columns: row[start:end], named init
    end: int
    init: tuple[str, ...]
    annotations: tuple[tuple[str, int], ...]
    converters: tuple[tuple[int, tuple[Callable[..., Any], ...], Any], ...]


class PreparedSelect(Generic[M]):
    """``build(SENTINEL)`` returns the queryset, with ``SENTINEL`` where each call's value goes (one or
    more places, the same value); ``first(value)`` runs it and returns the first instance, its annotations
    set as attributes, or None."""

    def __init__(self, build: Callable[[str], QuerySet[M]]) -> None:
        self._build = build
        self._compiled: dict[str, _Select] = {}
        self._model: type[M] | None = None

    def _compile(self, alias: str) -> _Select:
        queryset = self._build(SENTINEL)
        self._model = queryset.model
        compiler = queryset.query.get_compiler(using=alias)
        sql, params = compiler.as_sql()
        slots = tuple(i for i, value in enumerate(params) if value == SENTINEL)
        if not slots:
            raise ValueError("the prepared queryset does not use its sentinel")
        fields = compiler.klass_info["select_fields"]
        start, end = fields[0], fields[-1] + 1
        init = tuple(column[0].target.attname for column in compiler.select[start:end])
        expressions = [column[0] for column in compiler.select]
        converters = tuple(
            (position, tuple(functions), expression)
            for position, (functions, expression) in compiler.get_converters(expressions).items()
        )
        return _Select(
            sql=sql,
            params=tuple(params),
            slots=slots,
            start=start,
            end=end,
            init=init,
            annotations=tuple(compiler.annotation_col_map.items()),
            converters=converters,
        )

    def first(self, value: Any, *, using: str = DEFAULT_DB_ALIAS) -> M | None:
        compiled = self._compiled.get(using)
        if compiled is None:
            compiled = self._compiled[using] = self._compile(using)
        params = list(compiled.params)
        for slot in compiled.slots:
            params[slot] = value
        connection = connections[using]
        with server_cursor(connection) as cursor:
            cursor.execute(compiled.sql, params)
            found = cursor.fetchone()
        if found is None:
            return None
        row = list(found)
        for position, functions, expression in compiled.converters:
            for function in functions:
                row[position] = function(row[position], expression, connection)
        assert self._model is not None
        instance = self._model.from_db(using, list(compiled.init), row[compiled.start : compiled.end])
        for name, position in compiled.annotations:
            setattr(instance, name, row[position])
        return instance


class PreparedInsert(Generic[M]):
    """``save(instance)``: one INSERT of a new instance with every concrete field, as ``Model.save()`` would
    write it (each field's ``pre_save`` and database preparation), its SQL compiled once per database. The
    primary key must be set by the model (a UUID default), since nothing is read back."""

    def __init__(self, model: type[M]) -> None:
        self._model = model
        self._fields: Sequence[Any] = list(model._meta.local_concrete_fields)
        self._sql: dict[str, str] = {}

    def _compile(self, alias: str) -> str:
        query = InsertQuery(self._model)
        query.insert_values(self._fields, [self._model()])
        statements = query.get_compiler(using=alias).as_sql()
        if len(statements) != 1:
            raise ValueError("one row, one statement")
        return str(statements[0][0])

    def save(self, instance: M, *, using: str = DEFAULT_DB_ALIAS) -> M:
        if instance.pk is None:
            raise ValueError("the model must set its primary key")
        sql = self._sql.get(using)
        if sql is None:
            sql = self._sql[using] = self._compile(using)
        connection = connections[using]
        fields = self._fields
        params = [field.get_db_prep_save(field.pre_save(instance, True), connection) for field in fields]
        with server_cursor(connection) as cursor:
            cursor.execute(sql, params)
        instance._state.adding = False
        instance._state.db = using
        return instance
