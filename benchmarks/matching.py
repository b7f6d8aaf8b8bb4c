"""Benchmark: matching (#26, Must show). For one post at a time over N generated profiles (100k and 1M), the
top 10 with the hard filters, the database re-check and the explanations, beside raw retrieval on the same
index with the same query and filters in the same run (goal: at most 2 ×, milliseconds printed; raw retrieval
is ``PROFILES.search``: the change log's unapplied rows read, then the index searched); the index's
build time; the time from a consent withdrawal and from a profile edit to its effect on the results (goal:
at most 1 s); and recall@10 beside PostgreSQL ``ts_rank`` over the same rjieba tokens and hard filters.

    python benchmarks/matching.py [--quick] [--profiles 100000 1000000] [--queries 20]

Needs PostgreSQL: one database per size, ``tc_match_bench_<N>`` (``BENCH_DATABASE_URL`` names a base URL
whose database name gets ``_<N>``), made, migrated and seeded here once (``population.generate``, seed fixed)
and reused while it holds the population.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from typing import Any

from harness import use_database

BASE = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/tc_match_bench")
GOAL_RATIO = 2.0
GOAL_SECONDS = 1.0


def rss_mib() -> float:
    """This process's resident memory (Linux), in MiB."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def run(size: int, n_queries: int) -> None:
    import django
    from django import db

    use_database(f"{BASE}_{size}")
    os.environ["TALENTCLOUD_LOG_LEVEL"] = "WARNING"
    django.setup()
    from django.core.management import call_command

    from talentcloud.matching import services
    from talentcloud.matching.index import PROFILES
    from talentcloud.matching.selectors import raw_retrieval, talents_for_demand
    from talentcloud.matching.tests.population import generate
    from talentcloud.matching.tests.recall import recall, ts_rank_top
    from talentcloud.recruitment.models import JobSeekerProfile
    from talentcloud.talents.consents import consent_set

    call_command("migrate", verbosity=0)
    db.connections.close_all()
    started = time.perf_counter()
    if JobSeekerProfile.objects.count() < size:
        JobSeekerProfile.objects.all().delete()
        queries = generate(size, queries=n_queries, log=lambda done: print(f"  seeded {done}", flush=True))
        print(f"seed {size}: {time.perf_counter() - started:.0f} s", flush=True)
    else:
        # the same seed gives the same queries; the planted ids are the first profiles made
        first = JobSeekerProfile.objects.order_by("pk").values_list("pk", flat=True).first() or 0
        queries = generate(0, queries=n_queries)
        from talentcloud.matching.tests.population import PLANTED, STUFFED

        for i, q in enumerate(queries):
            base = first + i * (PLANTED + STUFFED)
            q.planted = set(range(base, base + PLANTED))
    with db.connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # planner statistics after the bulk load (the demo seed does the same)
    PROFILES.reset()
    before = rss_mib()
    build = time.perf_counter()
    PROFILES.build()
    build = time.perf_counter() - build
    memory = rss_mib() - before
    docs = PROFILES.size()

    raw: list[float] = []
    full: list[float] = []
    for q in queries:  # warm each once, then time both interleaved
        raw_retrieval(q.demand)
        talents_for_demand(q.demand)
    for _round in range(3):
        for q in queries:
            t = time.perf_counter()
            raw_retrieval(q.demand)
            raw.append(time.perf_counter() - t)
            t = time.perf_counter()
            talents_for_demand(q.demand)
            full.append(time.perf_counter() - t)
    ratio = ms(full) / ms(raw)

    ts = []
    for q in queries:
        t = time.perf_counter()
        ts_rank_top(q.demand)
        ts.append(time.perf_counter() - t)
    ours, baseline = (
        recall(queries, lambda d, k: [m.profile.pk for m in talents_for_demand(d, k)]),
        recall(queries, ts_rank_top),
    )

    # the time from a consent withdrawal, then from an edit, to the next query's answer
    q = queries[0]
    top = [m.profile for m in talents_for_demand(q.demand)]
    profile = JobSeekerProfile.objects.select_related("account__talent").get(pk=top[0].pk)
    user = profile.account
    t = time.perf_counter()
    consent_set(actor=user, talent=user.talent, purpose="recruitment", granted=False)
    gone = top[0].pk not in [m.profile.pk for m in talents_for_demand(q.demand)]
    withdrawal = time.perf_counter() - t
    consent_set(actor=user, talent=user.talent, purpose="recruitment", granted=True)
    talents_for_demand(q.demand)
    details = profile.match
    kept: dict[str, Any] = {
        "skills": list(details.skills.all()),
        "location": details.location,
        "chain": details.chain,
        "salary_floor": details.salary_floor,
        "summary": details.summary,
    }
    t = time.perf_counter()
    services.details_save(actor=user, skills=[], location="", chain=None, salary_floor=None, summary="")
    after = [m.profile.pk for m in talents_for_demand(q.demand)]
    edit = time.perf_counter() - t
    moved = top[0].pk not in after[:1]  # without its skills it is no longer the best
    services.details_save(actor=user, **kept)  # as generated again: a later run measures the same population

    print(f"\nmatching over {size:,} profiles ({docs:,} consented in the index), {len(queries)} posts")
    print(f"  index build                 {build:8.2f} s   (process memory +{memory:,.0f} MiB)")
    print(f"  raw retrieval (log + index) {ms(raw):8.2f} ms  (median)")
    print(
        f"  top 10 filtered + explained {ms(full):8.2f} ms  = {ratio:.2f} × raw (goal ≤ {GOAL_RATIO:.0f} ×)"
    )
    print(f"  ts_rank top 10 (PostgreSQL) {ms(ts):8.2f} ms")
    print(f"  recall@10 matcher {ours:.3f}  ts_rank {baseline:.3f}")
    print(f"  consent withdrawal → gone   {withdrawal * 1000:8.1f} ms (goal ≤ {GOAL_SECONDS:.0f} s) {gone}")
    print(f"  profile edit → re-ranked    {edit * 1000:8.1f} ms (goal ≤ {GOAL_SECONDS:.0f} s) {moved}")
    print(
        f"RESULT matching profiles={size} build_s={build:.2f} index_mib={memory:.0f} raw_ms={ms(raw):.2f} top10_ms={ms(full):.2f} "
        f"ratio={ratio:.2f} ok_ratio={ratio <= GOAL_RATIO} ts_rank_ms={ms(ts):.2f} recall={ours:.3f} "
        f"ts_rank_recall={baseline:.3f} withdrawal_ms={withdrawal * 1000:.1f} edit_ms={edit * 1000:.1f} "
        f"ok_freshness={gone and moved and max(withdrawal, edit) <= GOAL_SECONDS}"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="10,000 profiles")
    parser.add_argument("--profiles", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--queries", type=int, default=20)
    args = parser.parse_args()
    sizes = [10_000] if args.quick else args.profiles
    for size in sizes:
        pid = os.fork()
        if pid == 0:  # a fresh process per size (its own settings, database and index)
            run(size, args.queries)
            os._exit(0)
        os.waitpid(pid, 0)


if __name__ == "__main__":
    main()
