"""Chinese full-text search over talents (architecture.md: rjieba tokens; FTS5 on SQLite, tsvector + GIN on
PostgreSQL).

Each talent keeps ``search_tokens``: rjieba's search-mode tokens of the name, employer, post and industry
chain, plus the name's two-character pieces (so 小明 finds 王小明) and each of its Chinese characters (so 刘
finds 刘伟, 王刘洋 and 欧阳刘). The database indexes that column: an FTS5 table kept in step by triggers on
SQLite, a GIN index on ``to_tsvector('simple', search_tokens)`` on PostgreSQL. A query is tokenised the same
way and all its tokens must match; names that begin with a Chinese query (its surname) are listed first
(``name_prefix``, ordered by the archive's selectors).
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import rjieba
from django.conf import settings
from django.db import DatabaseError, connection, connections, transaction
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL

from talentcloud.common import versions
from talentcloud.common.registries import Declarations

if TYPE_CHECKING:
    from .models import Talent

_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"  # the unified ideographs, extension A, compatibility
_CJK = re.compile(f"[{_HAN}]")
_SPLIT = re.compile(r"[\s,，、;；/|]+")


@dataclass(frozen=True)
class WordList:
    """Words the tokenizer keeps whole (its user dictionary), declared by an app in its ``search_words.py``
    as ``SEARCH_WORDS`` (recruitment's skills dictionary: 集成电路设计 stays one term). ``version`` names the
    list under ``common.versions``: the app bumps it when the words change, and every process (app servers,
    workers) rebuilds its tokenizer at its next check; ``stamp()`` names the list's state in the database
    when the shared cache holds no token. ``words()`` reads the list."""

    version: str
    words: Callable[[], list[str]]
    stamp: Callable[[], str]


WORD_LISTS: Declarations[WordList] = Declarations("search_words", "SEARCH_WORDS")
_USER: dict[str, Any] = {"tokens": None, "checked": -1e9, "jieba": None}
_USER_LOCK = threading.Lock()


def _check_seconds() -> float:
    """How often a process asks whether the declared word lists changed (one cache read)."""
    return float(getattr(settings, "TALENTCLOUD_SEARCH_WORDS_CHECK_SECONDS", 1.0))


def user_tokenizer(*, fresh: bool = False) -> Any:
    """A tokenizer holding every declared word list (None when no app declares a word): rebuilt when a list's
    version changes, checked at most every ``TALENTCLOUD_SEARCH_WORDS_CHECK_SECONDS``. ``fresh``: the words
    read now, whatever the interval and the versions say, for a caller that has just written words without a
    version bump (a generated population)."""
    lists = WORD_LISTS.items()
    if not lists:
        return None
    now = time.monotonic()
    if not fresh and now - _USER["checked"] < _check_seconds():
        return _USER["jieba"]
    names = tuple(item.version for item in lists)
    try:
        with (
            transaction.atomic()
        ):  # a savepoint: a list whose table is not migrated yet leaves no broken transaction
            current = versions.tokens(names, lambda: "|".join(item.stamp() for item in lists))
            unsettled = versions.unsettled(names)
            words = (
                None
                if current == _USER["tokens"] and not unsettled and not fresh
                else [w for i in lists for w in i.words()]
            )
    except DatabaseError:
        return None
    with _USER_LOCK:
        if words is None:
            _USER["checked"] = now
            return _USER["jieba"]
        jieba = None
        if words:
            jieba = rjieba.Jieba()
            for word in words:
                jieba.add_word(word, None, None)
        if not unsettled:  # a list changed by an open transaction is used, never kept
            _USER.update(tokens=current, checked=now, jieba=jieba)
        return jieba


def _cut(text: str) -> list[str]:
    """rjieba's search-mode tokens, plus the declared words it finds (the default pieces stay, so a query for
    集成电路 still finds 集成电路设计)."""
    found = list(rjieba.cut_for_search(text))
    user = user_tokenizer() if text else None
    if user is not None:
        found += [token for token in user.cut_for_search(text) if token not in found]
    return found


def tokens(text: str) -> list[str]:
    out = []
    for token in _cut(text or ""):
        token = token.strip().lower()
        if token and not _SPLIT.fullmatch(token) and token not in ('"', "'"):
            out.append(token.replace('"', ""))
    return out


def name_pieces(name: str) -> list[str]:
    """The whole name, its two-character pieces and its single Chinese characters (a one-character query is
    a surname or a given-name character, and must find every name holding it, wherever it stands)."""
    name = (name or "").strip()
    pieces = [name] if name else []
    if _CJK.search(name) and len(name) >= 3:
        pieces += [name[i : i + 2] for i in range(len(name) - 1)]
    pieces += [char for char in name if _CJK.fullmatch(char)]
    return pieces


_CJK_WORD = re.compile(f"[{_HAN}]+")


def name_prefix(query: str) -> str:
    """The query when names beginning with it should be listed first (one word of Chinese characters: a
    surname, a compound surname or a whole name), else ""."""
    query = (query or "").strip()
    return query if _CJK_WORD.fullmatch(query) else ""


def prefix_implies_match(prefix: str) -> bool:
    """Whether every name beginning with ``prefix`` matches the search for it, so the surname part of the list
    needs no full-text match: each token of the query is one of its characters or two-character pieces, and
    a name holds as pieces every character and every two characters of itself (``name_pieces``)."""
    pieces = set(prefix) | {prefix[i : i + 2] for i in range(len(prefix) - 1)}
    wanted = tokens(prefix)
    return bool(wanted) and all(token in pieces for token in wanted)


_BYTEWISE: dict[str, bool] = {}


def orders_by_code_point(using: str = "default") -> bool:
    """Whether the database sorts text by code point (SQLite; PostgreSQL with a C collation), so that the
    names beginning with q are exactly the range ``[q, q + U+10FFFF)`` of the name index. A linguistic
    collation (pinyin, ICU) sorts them elsewhere: the list then matches the prefix without the range. Asked
    once per process."""
    if using not in _BYTEWISE:
        conn = connections[using]
        bytewise = True
        if conn.vendor == "postgresql":
            with conn.cursor() as cursor:
                cursor.execute("SELECT datcollate FROM pg_database WHERE datname = current_database()")
                row = cursor.fetchone()
            bytewise = bool(row) and row[0].split(".")[0] in ("C", "POSIX")
        _BYTEWISE[using] = bytewise
    return _BYTEWISE[using]


def talent_tokens(talent: Talent) -> str:
    parts = [talent.name, talent.post]
    if talent.employer_id:
        parts.append(talent.employer.name)  # type: ignore[union-attr]
    if talent.chain_id:
        parts.append(talent.chain.name)  # type: ignore[union-attr]
    found: list[str] = []
    for part in parts:
        found += tokens(part or "")
    found += [p.lower() for p in name_pieces(talent.name)]
    return " ".join(dict.fromkeys(found))  # unique, in order


def search_filter(qs: QuerySet[Any], query: str, *, fenced: bool = True) -> QuerySet[Any]:
    """``qs`` narrowed to the talents whose tokens hold every token of ``query``.

    The matches are read from the full-text index as one set (``fenced``). ``fenced=False`` (PostgreSQL)
    leaves the planner free to walk an ordered index and test each row's tokens instead: what the list's
    second part wants (a Chinese query found elsewhere than at the start of a name, e.g. a given-name
    character held by 5 % of names), whose first page needs a few hundred rows, not every match."""
    wanted = list(dict.fromkeys(tokens(query)))
    if not wanted:
        return qs
    if connection.vendor == "postgresql" and not fenced:
        return qs.extra(
            where=["to_tsvector('simple', talents_talent.search_tokens) @@ plainto_tsquery('simple', %s)"],
            params=[" ".join(wanted)],
        )
    if connection.vendor == "postgresql":
        # The matches come from the GIN index as a set of ids ("OFFSET 0" keeps PostgreSQL from folding the
        # subquery into the outer scan). As a plain condition, a common token ("王") let the planner walk the
        # name index computing the tsvector row by row: 0.5 s at 100k talents.
        matches = RawSQL(
            "SELECT id FROM talents_talent "
            "WHERE to_tsvector('simple', search_tokens) @@ plainto_tsquery('simple', %s) OFFSET 0",
            [" ".join(wanted)],
        )
        return qs.filter(pk__in=matches)
    match = " ".join(f'"{token}"' for token in wanted)
    rowids = RawSQL("SELECT rowid FROM talents_talent_fts WHERE talents_talent_fts MATCH %s", [match])
    return qs.annotate(_rowid=RawSQL("talents_talent.rowid", [])).filter(_rowid__in=rowids)


SQLITE_SETUP = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS talents_talent_fts USING fts5("
    "search_tokens, content='talents_talent', content_rowid='rowid', tokenize='unicode61')",
    "CREATE TRIGGER IF NOT EXISTS talents_talent_fts_ai AFTER INSERT ON talents_talent BEGIN "
    "INSERT INTO talents_talent_fts(rowid, search_tokens) VALUES (new.rowid, new.search_tokens); END",
    "CREATE TRIGGER IF NOT EXISTS talents_talent_fts_ad AFTER DELETE ON talents_talent BEGIN "
    "INSERT INTO talents_talent_fts(talents_talent_fts, rowid, search_tokens) "
    "VALUES ('delete', old.rowid, old.search_tokens); END",
    "CREATE TRIGGER IF NOT EXISTS talents_talent_fts_au AFTER UPDATE ON talents_talent BEGIN "
    "INSERT INTO talents_talent_fts(talents_talent_fts, rowid, search_tokens) "
    "VALUES ('delete', old.rowid, old.search_tokens); "
    "INSERT INTO talents_talent_fts(rowid, search_tokens) VALUES (new.rowid, new.search_tokens); END",
    "INSERT INTO talents_talent_fts(talents_talent_fts) VALUES ('rebuild')",
]
POSTGRES_SETUP = [
    "CREATE INDEX IF NOT EXISTS talents_talent_search_gin ON talents_talent "
    "USING gin (to_tsvector('simple', search_tokens))",
]


def ensure_search_index(sender: Any = None, using: str = "default", **kwargs: Any) -> None:
    """Create the full-text index (and on SQLite its triggers) if missing, and resynchronise it."""

    conn = connections[using]
    if "talents_talent" not in conn.introspection.table_names():
        return
    if "search_tokens" not in {
        c.name for c in conn.introspection.get_table_description(conn.cursor(), "talents_talent")
    }:
        return
    statements = POSTGRES_SETUP if conn.vendor == "postgresql" else SQLITE_SETUP
    with conn.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
