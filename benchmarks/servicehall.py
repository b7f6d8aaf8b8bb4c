"""Benchmark: the department worklist beside a trivial view, and the escalation task over all open cases.

    python benchmarks/servicehall.py [--quick] [--cases N] [--workers W] [--concurrency C] [--seconds S]

Needs PostgreSQL (a database per case count is created and kept). It seeds 10,000 talents and the catalogue
once, bulk-inserts N cases over the services' departments (states, deadlines and handlers spread), starts
gunicorn with a fixed number of workers and production settings, signs in the housing bureau's window
staff, and loads from this separate process with C concurrent connections for S seconds:

  trivial    /health/                                   (one SELECT 1: the baseline, served the same way)
  worklist   /hall/work/                                (the department's cases, earliest deadline first)
  red        /hall/work/?colour=red                     (overdue cases only)
  deep       /hall/work/?state=in_progress&page=40      (a page deep into the cases being handled)

Then it times the escalation task (``servicehall.tasks.escalate_overdue``) over all open cases, with every
overdue case not yet escalated, beside a plain count of those cases (the least any escalation must do).

Goal (issue 5): worklist p95 <= 100 ms.
"""

from __future__ import annotations

import json
import os
import sys
import time

from harness import load_pages, page_arguments, report, session_cookie, use_database


def prepare(cases: int) -> dict[str, str]:
    import django

    django.setup()
    from django.core.management import call_command

    from talentcloud.demo.hall import bulk_cases
    from talentcloud.demo.seed import seed_all
    from talentcloud.servicehall.models import Case
    from talentcloud.talents.models import Talent

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    if not Talent.objects.exists():
        print("seeding 10,000 talents and the catalogue (once) …", flush=True)
        seed_all(talents=10_000, seed=7)
    have = Case.objects.count()
    if have < cases:
        print(f"inserting {cases - have} cases (once; later runs reuse them) …", flush=True)
        started = time.perf_counter()
        bulk_cases(count=cases - have, seed=have)
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        print(f"inserted in {time.perf_counter() - started:.0f} s", flush=True)
    return {
        "cookie": session_cookie("zjj"),
        "trivial": "/health/",
        "worklist": "/hall/work/",
        "red": "/hall/work/?colour=red",
        "deep": "/hall/work/?state=in_progress&page=40",
    }


def time_escalation() -> dict[str, float]:
    """Escalation over all open cases, every overdue one not yet escalated; then the marks are undone so a
    later run measures the same work."""
    from django.db import transaction
    from django.utils import timezone

    from talentcloud.servicehall.enums import CaseState
    from talentcloud.servicehall.models import Case, CaseEvent
    from talentcloud.servicehall.tasks import escalate_overdue

    today = timezone.localdate()
    open_cases = Case.objects.filter(state=CaseState.IN_PROGRESS)
    Case.objects.filter(escalated_at__isnull=False).update(escalated_at=None, escalation_run=None)
    started = time.perf_counter()
    overdue = open_cases.filter(due_on__lt=today, escalated_at__isnull=True).count()
    counted = time.perf_counter() - started
    started = time.perf_counter()
    with transaction.atomic():
        escalated = escalate_overdue()
    elapsed = time.perf_counter() - started
    CaseEvent.objects.filter(action="escalate", actor__isnull=True).delete()
    Case.objects.filter(escalated_at__isnull=False).update(escalated_at=None, escalation_run=None)
    return {
        "open": open_cases.count(),
        "overdue": overdue,
        "escalated": escalated,
        "seconds": elapsed,
        "count_seconds": counted,
    }


def main() -> None:
    parser = page_arguments(__doc__ or "", quick_help="20,000 cases, 3 s per URL (a smoke run)")
    parser.add_argument("--cases", type=int, default=200_000)
    args = parser.parse_args()
    if args.quick:
        args.cases, args.seconds = 20_000, 3
    url = os.environ.get(
        "BENCH_DATABASE_URL", f"postgres://postgres@127.0.0.1:5432/talentcloud_hall_{args.cases}"
    )
    env = use_database(url)
    urls = prepare(args.cases)
    names = ("trivial", "worklist", "red", "deep")
    results = load_pages(
        env, urls, names, workers=args.workers, concurrency=args.concurrency, seconds=args.seconds
    )
    report(
        f"{args.cases} cases on PostgreSQL · gunicorn {args.workers} workers · {args.concurrency} concurrent "
        f"connections from a separate process · {args.seconds:.0f} s per URL · as the housing bureau's staff",
        results,
    )
    escalation = time_escalation()
    print(
        f"\nescalation: {escalation['escalated']} of {escalation['overdue']} overdue cases escalated among "
        f"{escalation['open']} being handled in {escalation['seconds']:.2f} s "
        f"(counting them alone: {escalation['count_seconds'] * 1000:.0f} ms)"
    )
    trivial = results["trivial"]
    for name in ("worklist", "red", "deep"):
        r = results[name]
        ratio = r["rps"] / trivial["rps"] if trivial["rps"] else 0
        ok = r["p95_ms"] <= 100 and r["errors"] == 0
        print(
            f"RESULT hall_{name}_p95 {r['p95_ms']:.1f} ms baseline={trivial['p95_ms']:.1f} ratio={ratio:.2f} "
            f"goal=p95<=100ms ok={str(ok).lower()}"
        )
    ratio = escalation["seconds"] / escalation["count_seconds"] if escalation["count_seconds"] else 0
    print(
        f"RESULT hall_escalation {escalation['seconds']:.2f} s baseline={escalation['count_seconds']:.3f} "
        f"ratio={ratio:.1f} goal=measured ok=true"
    )
    print(json.dumps({"cases": args.cases, "results": results, "escalation": escalation}), file=sys.stderr)


if __name__ == "__main__":
    main()
