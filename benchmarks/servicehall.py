"""Benchmark: the department worklist as each department window, beside /health/ in the same run, and the
escalation task over all open cases.

    python benchmarks/servicehall.py [--quick] [--talents N] [--roles zjj,rsj,wjw] [--pages-only]
                                     [--workers W] [--concurrency C] [--seconds S]

Needs PostgreSQL. The population of N talents (``population.py``, seeded once and reused) holds about N/5
cases (200,000 at 1M) filed by the talents' accounts, over every service's lead department, with handlers,
joint parts, timelines and form data. gunicorn serves it with W workers and production settings; C client
processes load each URL below as each window (``--roles``: usernames; the seed also makes ``window-<code>``
staff for every department without a demo window, e.g. ``window-kjj``), three interleaved rounds, S seconds
per URL in all (``harness.load_matrix``: /health/ at C and C/2 clients, the generator's CPU share printed):

  worklist   /hall/work/                                   (the department's open cases, earliest deadline first)
  red        /hall/work/?colour=red                        (overdue cases only)
  deep       /hall/work/?state=in_progress&page=<P>        (three quarters down the cases being handled)

Then (unless ``--pages-only``) it times the escalation task (``servicehall.tasks.escalate_overdue``) over all
open cases, with every overdue case not yet escalated, beside a plain count of those cases.

Goal (#17, Must show): every page for every window keeps >= 30 % of /health/'s throughput and a p95 <= 3 ×
/health/'s p95 in the same run; a RESULT line per page and window.
"""

from __future__ import annotations

import time

from harness import Target, load_matrix, page_arguments, report_matrix, session_cookie, write_json
from population import ensure_population

PAGE = 50  # the worklist's page size


def prepare(roles: list[str]) -> tuple[list[Target], dict[str, str]]:
    """Each window's worklist pages (the deep page three quarters down its cases being handled) and session."""
    from talentcloud.accounts.models import User
    from talentcloud.servicehall.enums import CaseState
    from talentcloud.servicehall.models import Case

    targets: list[Target] = []
    for username in roles:
        window = User.objects.get(username=username)
        handling = Case.objects.filter(department=window.unit_id, state=CaseState.IN_PROGRESS).count()
        deep = max(2, min(1000, handling * 3 // 4 // PAGE))
        targets += [
            Target("worklist", username, "/hall/work/"),
            Target("red", username, "/hall/work/?colour=red"),
            Target("deep", username, f"/hall/work/?state=in_progress&page={deep}"),
        ]
    return targets, {username: session_cookie(username) for username in roles}


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
    parser = page_arguments(__doc__ or "", quick_help="10,000 talents (about 2,000 cases), 3 s per URL")
    parser.add_argument("--talents", type=int, default=100_000)
    parser.add_argument("--roles", default="zjj,rsj,wjw", help="the department windows (usernames)")
    parser.add_argument("--pages-only", action="store_true", help="no escalation timing (flat.py)")
    args = parser.parse_args()
    if args.quick:
        args.talents, args.seconds = 10_000, 3
    env = ensure_population(args.talents)
    targets, cookies = prepare(args.roles.split(","))
    result = load_matrix(
        env, targets, cookies, workers=args.workers, concurrency=args.concurrency, seconds=args.seconds
    )
    from talentcloud.servicehall.models import Case

    cases = Case.objects.count()
    ok = report_matrix(
        f"service hall · {args.talents:,} talents, {cases:,} cases on PostgreSQL · gunicorn {args.workers} "
        f"workers · {args.concurrency} client processes · {args.seconds:.0f} s per URL · "
        f"{result['run']['duration_s']:.0f} s in all",
        result,
        prefix="hall",
    )
    payload = {"script": "hall", "talents": args.talents, "cases": cases, **result, "ok": ok}
    if not args.pages_only:
        started = time.perf_counter()
        escalation = time_escalation()
        print(
            f"\nescalation: {escalation['escalated']} of {escalation['overdue']} overdue cases escalated among "
            f"{escalation['open']} being handled in {escalation['seconds']:.2f} s "
            f"(counting them alone: {escalation['count_seconds'] * 1000:.0f} ms; "
            f"{time.perf_counter() - started:.0f} s with the undoing)"
        )
        ratio = escalation["seconds"] / escalation["count_seconds"] if escalation["count_seconds"] else 0
        print(
            f"RESULT hall_escalation {escalation['seconds']:.2f} s baseline={escalation['count_seconds']:.3f} "
            f"ratio={ratio:.1f} goal=measured ok=true"
        )
        payload["escalation"] = escalation
    write_json(args.json, payload)


if __name__ == "__main__":
    main()
