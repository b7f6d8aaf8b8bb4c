"""recall@10 of the matcher beside PostgreSQL ``ts_rank`` over the same rjieba tokens (``MatchDetails.tokens``
and the demand's query tokens) with the same hard filters (``queries.profiles_passing``)."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

from talentcloud.matching.facts import DemandFacts
from talentcloud.matching.queries import profiles_passing
from talentcloud.matching.selectors import talents_for_demand

from .population import Query


def ts_rank_top(demand: DemandFacts, k: int = 10) -> list[int]:
    words = " | ".join("'" + t.replace("'", "''").replace("\\", "") + "'" for t in demand.query_tokens())
    query = SearchQuery(words, search_type="raw", config="simple")
    rank = SearchRank(SearchVector("match__tokens", config="simple"), query)
    qs = profiles_passing(demand).annotate(rank=rank).order_by("-rank", "pk")
    return list(qs.values_list("pk", flat=True)[:k])


def matcher_top(demand: DemandFacts, k: int = 10) -> list[int]:
    return [m.profile.pk for m in talents_for_demand(demand, k)]


def recall(queries: list[Query], top: Callable[[DemandFacts, int], list[int]], k: int = 10) -> float:
    found = sum(len(set(top(q.demand, k)) & q.planted) for q in queries)
    return found / sum(len(q.planted) for q in queries)
