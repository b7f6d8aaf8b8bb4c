"""Versions of data every process keeps in memory (the published policies, the services they name), so a
request can tell with one cache read that its copy is still the one in the database (ADR 0016).

The services that change such data call ``bump(name)``: once their transaction commits, the shared cache
holds a new random token for the name. A reader takes ``tokens(names, stamp)`` before it loads the data and
keeps the data with the tokens it read; while the tokens stay the same, its copy is current. A token is read
before the rows, so a change committed in between makes the copy reload once more, never keep old rows.

When a name has no token (evicted, a restarted Redis), it is computed from the database once: ``stamp()``,
which names the data's state (counts, sums of ids, newest change), is stored with ``add`` so that the first
process to compute it wins and the others read its value. A stamp differs from every random token, and
from the stamp of any other state of the data.

A cache that is not shared between processes (local memory, the dummy cache) cannot carry one process's
bump to another: there every call computes the stamp from the database, as before there were versions.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.core.cache import cache, caches
from django.core.cache.backends.dummy import DummyCache
from django.core.cache.backends.locmem import LocMemCache
from django.db import connection, transaction

PREFIX = "version:"


def cache_is_shared() -> bool:
    """Whether every process reads the same cache (Redis, Memcached, the database, files), so a version
    bumped in one is seen by all."""
    return not isinstance(caches["default"], LocMemCache | DummyCache)


@dataclass(frozen=True)
class _Bump:
    """The callback a commit runs: a new random token for ``name``."""

    name: str

    def __call__(self) -> None:
        cache.set(PREFIX + self.name, uuid.uuid4().hex, timeout=None)


def bump(name: str) -> None:
    """A new version of ``name`` once the current transaction commits (at once outside a transaction)."""
    transaction.on_commit(_Bump(name))


def unsettled(names: Iterable[str]) -> bool:
    """Whether the open transaction has changed one of ``names`` (a bump waits for its commit): its rows may
    yet be rolled back, so a copy read now is not one to keep, nor one the shared tokens describe. Django
    drops the waiting callbacks of a rolled-back transaction or savepoint, so this is exact."""
    if not connection.in_atomic_block:
        return False
    wanted = set(names)
    return any(isinstance(entry[1], _Bump) and entry[1].name in wanted for entry in connection.run_on_commit)


def tokens(names: tuple[str, ...], stamp: Callable[[], str]) -> tuple[str, ...]:
    """The current token of each name: one cache read (a Redis MGET); a name without a token gets the
    stamp, computed once for them all. With a cache that is not shared, the stamp of every name."""
    if not cache_is_shared():
        value = "db:" + stamp()
        return tuple(value for _name in names)
    keys = [PREFIX + name for name in names]
    found = cache.get_many(keys)
    missing = [key for key in keys if key not in found]
    if missing:
        value = "db:" + stamp()
        for key in missing:
            found[key] = value if cache.add(key, value, timeout=None) else cache.get(key, value)
    return tuple(str(found[key]) for key in keys)
