"""The matching index (ADR 0032): a tantivy index in each process's memory, fed the profiles' rjieba tokens
(a whitespace tokenizer over ``MatchDetails.tokens``), holding only consented profiles.

A fresh process builds it from the tables at its first query, noting the change log's last id first; every
query then applies the change log's rows above the last one it read (and the ids it saw skipped, which may
belong to transactions that had not committed yet): a changed profile is deleted by its id (a tombstone in
its segment) and re-added if it is still consented. ``search`` reads them before it searches; the matcher
(``search_read``) reads them in the same statement as its candidates' re-check and, when there were any,
applies them and searches again. So an edit or a withdrawal is in the very next query of every process, and
app servers share nothing but the database. Whatever the index returns is still re-read through
``queries`` (the hard filters and the consent, authoritative)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import tantivy
from django.db import connection
from django.db.models import Max, QuerySet

from talentcloud.recruitment.models import JobSeekerProfile

from .facts import DEGREE_RANK, DemandFacts
from .models import MatchChange
from .queries import consented

GAP_SECONDS = 30.0  # how long an id skipped in the change log is looked for again (an open transaction's)
HEAP = 64_000_000
UNAPPLIED = "SELECT id, profile_id FROM matching_matchchange WHERE "  # + the ids not applied yet


def _schema() -> Any:
    builder = tantivy.SchemaBuilder()
    builder.add_integer_field("pk", stored=True, indexed=True, fast=True)
    builder.add_text_field("text", stored=False, tokenizer_name="whitespace", index_option="freq")
    builder.add_integer_field("degree", indexed=True, fast=True)
    builder.add_integer_field("major", indexed=True)
    builder.add_text_field("location", stored=False, tokenizer_name="raw")
    builder.add_integer_field("chain", indexed=True)
    builder.add_integer_field("floor", indexed=True, fast=True)
    return builder.build()


COLUMNS = (
    "pk",
    "degree",
    "major_id",
    "match__location",
    "match__chain_id",
    "match__salary_floor",
    "match__tokens",
)


def _documents(qs: QuerySet[JobSeekerProfile]) -> Any:
    for pk, degree, major, location, chain, floor, text in qs.values_list(*COLUMNS).iterator(chunk_size=5000):
        yield tantivy.Document(
            pk=pk,
            text=text or "",
            degree=DEGREE_RANK.get(degree, 0),
            major=major or 0,
            location=location or "*",
            chain=chain or 0,
            floor=floor or 0,
        )


class ProfileIndex:
    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.schema = _schema()
        self.index: Any = None
        self.writer: Any = None
        self.last = 0
        self.gaps: dict[int, float] = {}
        self.built_seconds = 0.0

    def reset(self) -> None:
        """Forget everything: the next query builds afresh (a new process does the same)."""
        with self.lock:
            self.index = self.writer = None
            self.last = 0
            self.gaps = {}

    def build(self) -> None:
        with self.lock:
            started = time.perf_counter()
            last = MatchChange.objects.aggregate(top=Max("id"))["top"] or 0
            index = tantivy.Index(self.schema)
            writer = index.writer(heap_size=HEAP, num_threads=1)
            for doc in _documents(consented(JobSeekerProfile.objects.all())):
                writer.add_document(doc)
            writer.commit()
            index.reload()
            self.index, self.writer, self.last, self.gaps = index, writer, last, {}
            self.built_seconds = time.perf_counter() - started

    def catch_up(self) -> int:
        """Apply the change log's new rows; the number of profiles re-read."""
        with self.lock:
            if self.index is None:
                self.build()
                return 0
            sql, params = self.unapplied()
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                return self.apply(cursor.fetchall())

    def unapplied(self) -> tuple[str, list[int]]:
        """The statement reading the change log's rows this process has not applied: (id, profile id)."""
        now = time.monotonic()
        self.gaps = {i: t for i, t in self.gaps.items() if now - t < GAP_SECONDS}
        gaps = ", ".join(["%s"] * len(self.gaps))
        where = "id > %s" + (f" OR id IN ({gaps})" if gaps else "")
        return UNAPPLIED + where, [self.last, *self.gaps]

    def apply(self, rows: list[tuple[int, int]]) -> int:
        """Apply change-log rows read by ``unapplied``'s statement; the number of profiles re-read."""
        with self.lock:
            if not rows:
                return 0
            now = time.monotonic()
            seen = {i for i, _p in rows}
            for i in seen:
                self.gaps.pop(i, None)
            top = max(seen)
            for i in range(self.last + 1, top):
                if i not in seen:
                    self.gaps[i] = now
            self.last = max(self.last, top)
            ids = {p for _i, p in rows}
            for pk in ids:
                self.writer.delete_documents_by_term("pk", pk)
            for doc in _documents(consented(JobSeekerProfile.objects.filter(pk__in=ids))):
                self.writer.add_document(doc)
            self.writer.commit()
            self.index.reload()
            return len(ids)

    def query(self, demand: DemandFacts, *, filters: bool = True) -> Any:
        s = self.schema
        text = [
            (tantivy.Occur.Should, tantivy.Query.term_query(s, "text", token))
            for token in demand.query_tokens()
        ]
        must: list[Any] = []
        if filters:
            rank = DEGREE_RANK.get(demand.degree, 0)
            must.append(tantivy.Query.range_query(s, "degree", tantivy.FieldType.Integer, rank, 10))
            if demand.majors:
                must.append(tantivy.Query.term_set_query(s, "major", list(demand.majors)))
            if demand.location:
                must.append(tantivy.Query.term_set_query(s, "location", ["*", demand.location]))
            must.append(tantivy.Query.term_set_query(s, "chain", [0, demand.chain_id or 0]))
            if demand.annual_max is not None:
                must.append(
                    tantivy.Query.range_query(s, "floor", tantivy.FieldType.Integer, 0, demand.annual_max)
                )
        clauses = list(text)
        if must:
            fence = tantivy.Query.boolean_query([(tantivy.Occur.Must, q) for q in must])
            clauses.append((tantivy.Occur.Must, tantivy.Query.const_score_query(fence, 0.0)))
        if not clauses:
            return tantivy.Query.all_query()
        return tantivy.Query.boolean_query(clauses)

    def search(self, demand: DemandFacts, limit: int, *, filters: bool = True) -> list[tuple[int, float]]:
        """The ``limit`` best profile ids for ``demand`` with their text scores (caught up first)."""
        with self.lock:
            self.catch_up()
            return self._search(demand, limit, filters=filters)

    def search_read(
        self,
        demand: DemandFacts,
        limit: int,
        read: Callable[[list[int], tuple[str, list[int]]], tuple[Any, Any]],
    ) -> tuple[list[tuple[int, float]], Any]:
        """``search``, with the catching up and the reading of the candidates in one round trip: search the
        index as it stands, then ``read(ids, unapplied())`` reads the candidates' rows and the change log's
        unapplied rows in one statement (one snapshot) and returns (change rows, what it read). No change:
        the index was current at that snapshot, the hits stand. Changes: applied, searched and read again
        (changes the second statement finds committed after the first one began: applied for the next query).
        Returns the hits and what the last ``read`` read."""
        with self.lock:
            if self.index is None:
                self.build()
            for attempt in (1, 2):
                hits = self._search(demand, limit, filters=True)
                changes, rows = read([pk for pk, _score in hits], self.unapplied())
                self.apply(changes)
                if not changes or attempt == 2:
                    break
            return hits, rows

    def _search(self, demand: DemandFacts, limit: int, *, filters: bool) -> list[tuple[int, float]]:
        searcher = self.index.searcher()
        result = searcher.search(self.query(demand, filters=filters), limit)
        return [(searcher.doc(address)["pk"][0], score) for score, address in result.hits]

    def size(self) -> int:
        with self.lock:
            self.catch_up()
            return int(self.index.searcher().num_docs)


PROFILES = ProfileIndex()
