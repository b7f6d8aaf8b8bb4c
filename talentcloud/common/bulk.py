"""Many rows of one model that differ in a few columns, written in one pass: PostgreSQL's COPY, else
``bulk_create``.

    ids = rows_insert(Notification, {"event": "policy.granted", ...}, ["recipient_id", "url"], rows, ids=True)

The columns every row shares (``fixed``, else the field's default; ``auto_now`` and ``auto_now_add`` the
moment of the call) are converted for the database once; a varying column's value is written as it is (a
number, a string, a UUID, a date), except for a field of the project's own (an encrypted or a coded text) or
a JSON field, which convert each value — once per run of rows holding the same object. ``bulk_create`` turned
every field of every row into its database value: at 40,000 notices and 26,000 drafts that conversion took
longer than the database took to write them.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

from django.db import connection, models
from django.utils import timezone

BLOCK = 5000  # lines per write to the COPY stream


def _escaped(value: Any) -> str:
    """A value in COPY's text format."""
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    text = value.isoformat() if isinstance(value, date | datetime) else str(value)
    if "\\" in text or "\t" in text or "\n" in text or "\r" in text:
        text = text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    return text


def _converter(field: models.Field) -> Any:
    """How a varying column's value becomes its database value; None when it is written as it is."""
    if isinstance(field, models.JSONField):
        encoder = field.encoder
        return lambda value: None if value is None else json.dumps(value, cls=encoder)
    if not type(field).__module__.startswith("django."):
        return lambda value: field.get_db_prep_save(value, connection)
    return None


def _fixed_value(field: models.Field, fixed: dict[str, Any], now: datetime) -> Any:
    if field.name in fixed or field.attname in fixed:
        value = fixed[field.name] if field.name in fixed else fixed[field.attname]
        if isinstance(value, models.Model):
            value = value.pk
    elif getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        value = now if isinstance(field, models.DateTimeField) else timezone.localdate(now)
    else:
        value = field.get_default()
    if isinstance(field, models.JSONField):
        return None if value is None else json.dumps(value, cls=field.encoder)
    target = field.target_field if isinstance(field, models.ForeignKey) else field
    return target.get_db_prep_save(value, connection)


def rows_insert(
    model: type[models.Model],
    fixed: dict[str, Any],
    columns: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    ids: bool = False,
) -> list[Any]:
    """Insert one row per item of ``rows`` (the values of ``columns``, field names or attnames, in that
    order), every other column from ``fixed`` or its default. With ``ids`` (a model whose key the database
    numbers), returns the new rows' keys in order (PostgreSQL: taken from the key's sequence first, one
    query); else an empty list."""
    rows = list(rows)
    if not rows:
        return []
    meta = model._meta
    by_name = {f.name: f for f in meta.concrete_fields} | {f.attname: f for f in meta.concrete_fields}
    varying = [by_name[c] for c in columns]
    if connection.vendor != "postgresql":
        made = model._default_manager.bulk_create(
            [model(**fixed, **{f.attname: v for f, v in zip(varying, row, strict=True)}) for row in rows],
            batch_size=1000,
        )
        return [m.pk for m in made] if ids else []
    now = timezone.now()
    pk = meta.pk
    numbered = ids and pk is not None and pk not in varying
    shared = [
        f for f in meta.concrete_fields if f not in varying and not (f.primary_key and f.name not in fixed)
    ]
    quote = connection.ops.quote_name
    names = [quote(f.column) for f in ([pk] if numbered and pk is not None else []) + varying + shared]
    tail = "".join("\t" + _escaped(_fixed_value(f, fixed, now)) for f in shared) + "\n"
    keys: list[Any] = []
    with connection.cursor() as cursor:
        if numbered and pk is not None:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [meta.db_table, pk.column, len(rows)],
            )
            keys = [k for (k,) in cursor.fetchall()]
    converters = [_converter(f) for f in varying]
    last: list[tuple[Any, str]] = [(object(), "")] * len(varying)  # per column: the last object converted

    def line(n: int, row: Sequence[Any]) -> str:
        parts = [str(keys[n])] if numbered else []
        for i, value in enumerate(row):
            convert = converters[i]
            if convert is None:
                parts.append(_escaped(value))
                continue
            if last[i][0] is not value:
                last[i] = (value, _escaped(convert(value)))
            parts.append(last[i][1])
        return "\t".join(parts) + tail

    statement = f"COPY {quote(meta.db_table)} ({', '.join(names)}) FROM STDIN"  # names from the model
    connection.ensure_connection()
    with connection.connection.cursor() as cursor, cursor.copy(statement) as copy:
        for start in range(0, len(rows), BLOCK):
            copy.write("".join(line(n, rows[n]) for n in range(start, min(start + BLOCK, len(rows)))))
    return keys if ids else []
