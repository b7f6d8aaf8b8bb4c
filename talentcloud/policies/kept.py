"""The sweep's coded columns kept between the sweeps of one day (ADR 0041).

A sweep reads every fact its rules name as a coded column over everyone (``vector.read``). It keeps each
column with the day and the moment its read began (``KeptColumn``). A later sweep on the same day finds the
columns it would read by what they read (``keys_of``: the column's SQL and values, its codes, the day), reads
again only the subjects whose facts changed since, and reads the rest from what it kept. Those subjects are
the ones still waiting for a re-evaluation (``SubjectChange``), those re-evaluated since
(``SubjectResult.read_at``), and those numbered since or not read then. A column it does not find (a policy
published since, another day) is read for everyone. So is everything when more than ``KEEP_AT_MOST`` subjects
changed. The first sweep of a day keys every column by its day, so it reads everything and stays the
reconciler of a change that reached no hook.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Callable
from datetime import date
from typing import Any

import numpy as np
from django.db import connection
from django.db.models import F
from django.utils import timezone

from . import vector
from .models import KeptColumn, SubjectChange, SubjectResult
from .vector import BOOLEAN, CODE, DAY, NUMBER, UNKNOWN, Plan, Read

KEEP_AT_MOST = 50_000  # more changed subjects than this: the sweep reads everyone again
# how a kind is stored when its values fit (its least value stands for "unknown")
NARROW: dict[str, Any] = {CODE: np.int8, BOOLEAN: np.int8, DAY: np.int32}


def _key(target: str, on: date, kind: str, codes: dict[Any, int], sql: str, values: list[Any]) -> str:
    coded = sorted((str(value), code) for value, code in codes.items())
    text = json.dumps([target, on, kind, coded, sql, values], default=str, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def keys_of(plan: Plan, target: str, on: date) -> dict[str, tuple[str, str]]:
    """Each column the plan reads (but the number): its key and its kind. The key is the column's own query
    over everyone, not its name in the plan (names follow the rules' order)."""
    keys: dict[str, tuple[str, str]] = {}
    for name, expression in plan.expressions.items():
        if name == "n":
            continue
        kind, codes = plan.kinds[name]
        query = plan.base.annotate(kept_value=expression).order_by().values_list("kept_value")
        sql, values = query.query.sql_with_params()
        keys[name] = (_key(target, on, kind, codes, sql, list(values)), kind)
    for column in plan.by_rows:
        sql, values = column.rows.values_list("rn", "rv").query.sql_with_params()
        found = [*values, column.default]
        keys[column.name] = (_key(target, on, column.kind, column.codes, sql, found), column.kind)
    return keys


def _blank(kind: str, size: int) -> np.ndarray:
    return np.full(size, np.nan) if kind == NUMBER else np.full(size, UNKNOWN, dtype=np.int64)


def _pack(values: np.ndarray, kind: str) -> tuple[str, bytes]:
    narrow = NARROW.get(kind)
    if narrow is not None:
        low, high = np.iinfo(narrow).min, np.iinfo(narrow).max
        known = values != UNKNOWN
        if not known.any() or (values[known].min() > low and values[known].max() <= high):
            return np.dtype(narrow).str, np.where(known, values, low).astype(narrow).tobytes()
    return values.dtype.str, values.tobytes()


def _unpack(kept: KeptColumn, kind: str, size: int) -> np.ndarray:
    stored = np.frombuffer(bytes(kept.data), dtype=np.dtype(kept.dtype))
    full = _blank(kind, size)
    count = min(size, len(stored))
    if stored.dtype.kind == "i" and stored.dtype.itemsize < 8:
        part = stored[:count].astype(np.int64)
        part[stored[:count] == np.iinfo(stored.dtype).min] = UNKNOWN
        full[:count] = part
    else:
        full[:count] = stored[:count]
    return full


def _numbers(plan: Plan) -> np.ndarray:
    """Who the sweep reads now: their numbers."""
    query = plan.base.annotate(n=F("sweep_number__number")).order_by().values_list("n")
    sql, values = query.query.sql_with_params()
    if connection.vendor == "postgresql":
        return vector._fetch_pg(sql, list(values), [vector._coded_pg("n", "int", {})])[0]
    return vector._fetch_other(sql, list(values), ["n"], [("int", {})])[0]


def _changed(subjects: Any, since: Any) -> set[int] | None:
    """The numbers of the subjects whose facts changed since ``since``: noted and waiting, or re-evaluated
    since; None when they are more than ``KEEP_AT_MOST``."""
    target = subjects.target
    waiting = SubjectChange.objects.filter(target=target).values_list("subject_id", flat=True).distinct()
    ids = list(waiting[: KEEP_AT_MOST + 1])
    again = SubjectResult.objects.filter(target=target, read_at__gte=since).values_list("number", flat=True)
    numbers = set(again[: KEEP_AT_MOST + 1])
    if len(ids) > KEEP_AT_MOST or len(numbers) > KEEP_AT_MOST:
        return None
    link = f"{subjects.link}_id"
    pk = subjects.model._meta.pk
    for start in range(0, len(ids), 10_000):
        chunk = [pk.to_python(i) for i in ids[start : start + 10_000]]
        found = subjects.number_model.objects.filter(**{f"{link}__in": chunk}).values_list(
            "number", flat=True
        )
        numbers.update(found)
    return numbers if len(numbers) <= KEEP_AT_MOST else None


def _ids(subjects: Any, numbers: list[int]) -> list[Any]:
    link = f"{subjects.link}_id"
    ids: list[Any] = []
    for start in range(0, len(numbers), 10_000):
        chunk = numbers[start : start + 10_000]
        ids.extend(subjects.number_model.objects.filter(number__in=chunk).values_list(link, flat=True))
    return ids


def _only(plan: Plan, names: set[str]) -> Plan:
    """The plan reading only these of its columns (and the number)."""
    inner = {name: e for name, e in plan.expressions.items() if name == "n" or name in names}
    query = plan.base.annotate(**inner).order_by().values_list(*inner)
    sql, values = query.query.sql_with_params()
    return dataclasses.replace(
        plan,
        sql=sql,
        values=list(values),
        kinds={name: plan.kinds[name] for name in inner},
        by_rows=[column for column in plan.by_rows if column.name in names],
        expressions=inner,
    )


def read(plan: Plan, subjects: Any, on: date, read_some: Callable[[list[Any]], Read]) -> Read:
    """``vector.read(plan)``, from the columns kept by an earlier sweep of the day where it can be, and the
    columns kept again for the next (the caller holds the transaction). ``read_some(ids)``: the same columns
    read for these subjects alone."""
    target = subjects.target
    started = timezone.now()
    keys = keys_of(plan, target, on)
    kept = {k.key: k for k in KeptColumn.objects.filter(target=target, key__in=[k for k, _ in keys.values()])}
    hits = {name: kept[key] for name, (key, _kind) in keys.items() if key in kept}
    full: dict[str, np.ndarray] = {}
    if not hits:
        found = vector.read(plan)  # the day's first sweep (or a plan of new columns only): everyone
        numbers = found["n"][0]
        size = int(numbers.max(initial=-1)) + 1
        for name, (_key, kind) in keys.items():
            full[name] = _blank(kind, size)
            full[name][numbers] = found[name][0]
        _keep(target, on, started, keys, full, numbers, size)
        return found
    numbers = _numbers(plan)
    size = int(numbers.max(initial=-1)) + 1
    since = min(k.read_at for k in hits.values())
    stale = _changed(subjects, since)
    if stale is not None:
        for entry in hits.values():
            present = np.unpackbits(np.frombuffer(bytes(entry.present), dtype=np.uint8), count=None)
            present = np.concatenate([present[:size], np.zeros(max(0, size - len(present)), dtype=np.uint8)])
            stale.update(numbers[present[numbers] == 0].tolist())
            if len(stale) > KEEP_AT_MOST:
                stale = None
                break
    if stale is None:
        hits = {}  # too much changed: everyone again
    missing = set(keys) - set(hits)
    if missing:
        found = vector.read(_only(plan, missing))
        at = found["n"][0]
        for name in missing:
            full[name] = _blank(keys[name][1], size)
            inside = at < size
            full[name][at[inside]] = found[name][0][inside]
    for name, entry in hits.items():
        full[name] = _unpack(entry, keys[name][1], size)
    if hits and stale:
        some = read_some(_ids(subjects, sorted(stale)))
        at = some["n"][0]
        inside = at < size
        for name in hits:
            full[name][at[inside]] = some[name][0][inside]
    if missing or stale:
        _keep(target, on, started, keys, full, numbers, size)
    else:  # nothing changed since they were read: what was kept holds as of now
        KeptColumn.objects.filter(target=target).update(read_at=started)
    out: Read = {"n": (numbers, np.ones(len(numbers), dtype=bool))}
    for name in keys:
        values = full[name][numbers]
        out[name] = (values, vector._known(values))
    return out


def _keep(
    target: str,
    on: date,
    started: Any,
    keys: dict[str, tuple[str, str]],
    full: dict[str, np.ndarray],
    numbers: np.ndarray,
    size: int,
) -> None:
    """Keep the columns as read now, in place of every column kept for the target before."""
    present = np.zeros(size, dtype=np.uint8)
    present[numbers] = 1
    bits = np.packbits(present).tobytes()
    rows = []
    seen: set[str] = set()
    for name, (key, kind) in keys.items():
        if key in seen:
            continue
        seen.add(key)
        dtype, data = _pack(full[name], kind)
        rows.append(
            KeptColumn(target=target, key=key, on=on, read_at=started, dtype=dtype, data=data, present=bits)
        )
    KeptColumn.objects.filter(target=target).delete()
    KeptColumn.objects.bulk_create(rows)
