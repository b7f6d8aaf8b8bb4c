"""Benchmark: p95 latency and throughput of the archive pages beside a trivial view.

    python benchmarks/archive_pages.py [--quick] [--talents N] [--workers W] [--concurrency C] [--seconds S]

Needs PostgreSQL (DATABASE_URL, default postgres://postgres@127.0.0.1:5432/talentcloud_bench). It seeds the
population once (reused on later runs), starts gunicorn with a fixed number of workers and production-like
settings, signs in an office account by creating its session directly, and loads each URL from this
separate process with C concurrent connections for S seconds:

  trivial   /health/                      (one SELECT 1: the baseline, served the same way)
  list      /talents/                     (filtered list, first page with count)
  deep      /talents/?after=<cursor>      (a page deep into the list: keyset)
  search    /talents/?q=<name>            (Chinese full-text search)
  detail    /talents/<id>/                (one talent with facts and timeline)

Goal (issue 4): p95 <= 100 ms and each page's throughput >= 30% of the trivial view's.
"""

from __future__ import annotations

import json
import os
import sys
import time
import urllib.request

from harness import load_pages, page_arguments, report, session_cookie, use_database


def prepare(talents: int) -> dict[str, str]:
    """Migrate and seed once; return a session cookie and the URLs to load."""
    import django

    django.setup()
    from django.core import signing
    from django.core.management import call_command

    from talentcloud.demo.seed import seed_all
    from talentcloud.talents.models import Talent

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    have = Talent.objects.count()
    if have < talents:
        print(f"seeding {talents} talents (once; later runs reuse them) …", flush=True)
        started = time.perf_counter()
        if have:
            raise SystemExit("the benchmark database holds a different population; drop it first")
        seed_all(talents=talents, seed=7)
        print(f"seeded in {time.perf_counter() - started:.0f} s", flush=True)
    ordered = Talent.objects.order_by("name", "id")
    deep = ordered[talents * 3 // 4]
    cursor = signing.dumps([deep.name, str(deep.pk)], salt="talents.list.cursor", compress=True)
    sample = ordered[talents // 2]
    return {
        "cookie": session_cookie("office"),
        "trivial": "/health/",
        "list": "/talents/?category=young",
        "deep": f"/talents/?after={cursor}",
        "search": f"/talents/?q={urllib.request.quote(sample.name)}",
        "detail": f"/talents/{sample.pk}/",
    }


def main() -> None:
    parser = page_arguments(__doc__ or "", quick_help="5,000 talents, 3 s per URL (a smoke run)")
    parser.add_argument("--talents", type=int, default=100_000)
    args = parser.parse_args()
    if args.quick:
        args.talents, args.seconds = 5_000, 3
    url = os.environ.get(
        "BENCH_DATABASE_URL", f"postgres://postgres@127.0.0.1:5432/talentcloud_bench_{args.talents}"
    )
    env = use_database(url)
    urls = prepare(args.talents)
    names = ("trivial", "list", "deep", "search", "detail")
    results = load_pages(
        env, urls, names, workers=args.workers, concurrency=args.concurrency, seconds=args.seconds
    )
    report(
        f"{args.talents} talents on PostgreSQL · gunicorn {args.workers} workers · {args.concurrency} concurrent "
        f"connections from a separate process · {args.seconds:.0f} s per URL",
        results,
    )
    trivial = results["trivial"]
    for name in ("list", "deep", "search", "detail"):
        r = results[name]
        ratio = r["rps"] / trivial["rps"] if trivial["rps"] else 0
        ok = r["p95_ms"] <= 100 and ratio >= 0.30 and r["errors"] == 0
        print(
            f"RESULT archive_{name}_p95 {r['p95_ms']:.1f} ms baseline={trivial['p95_ms']:.1f} ratio={ratio:.2f} "
            f"goal=p95<=100ms,throughput>=30%_of_trivial ok={str(ok).lower()}"
        )
    print(json.dumps({"talents": args.talents, "results": results}), file=sys.stderr)


if __name__ == "__main__":
    main()
