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
import urllib.parse

from harness import Target, load_matrix, page_arguments, report_matrix, session_cookie, write_json
from population import ensure_population

PAGE = 50  # the worklist's page size


def prepare(roles: list[str]) -> tuple[list[Target], dict[str, str]]:
    """Each window's worklist pages (the deep page three quarters down its cases being handled) and session."""
    from talentcloud.accounts.models import User
    from talentcloud.servicehall import cases
    from talentcloud.servicehall.enums import CaseState
    from talentcloud.servicehall.models import Case

    targets: list[Target] = []
    for username in roles:
        window = User.objects.get(username=username)
        handling = Case.objects.filter(department=window.unit_id, state=CaseState.IN_PROGRESS).count()
        work = cases.worklist(viewer=window, filters=cases.worklist_filters({"state": CaseState.IN_PROGRESS}))
        keys = work.ids_after(None, max(PAGE, handling * 3 // 4))  # the cursor three quarters down
        cursor = cases.cursor_make(cases.WorkCursor(*keys[-1]))
        targets += [
            Target("worklist", username, "/hall/work/"),
            Target("red", username, "/hall/work/?colour=red"),
            Target("deep", username, f"/hall/work/?state=in_progress&after={urllib.parse.quote(cursor)}"),
        ]
    return targets, {username: session_cookie(username) for username in roles}


def time_escalation(wanted: int = 50_000, rounds: int = 3) -> dict[str, float]:
    """Escalating exactly ``wanted`` overdue cases (the Must-show's 50,000; fewer where fewer are being
    handled) with ``servicehall.tasks.escalate_overdue`` (flag, timeline events, the audit event, one notice
    per department head) beside a baseline on the same rows in the same run: a bare ``UPDATE`` of those cases'
    escalation columns plus an ``INSERT … SELECT`` of their timeline rows (the same note), inside a
    transaction rolled back. Interleaved ``rounds`` times, the median of each;
    after each escalation its marks are undone (flag, revision, events), so a rerun measures the same work.

    The set is made once and kept: every case being handled and overdue, topped up to ``wanted`` by
    moving the deadlines of the first others (by number) to yesterday, or trimmed by marking the last ones
    escalated by an earlier run (``escalation_run`` empty: never undone here)."""
    import datetime as dt
    import statistics
    import uuid

    from django.db import connection, transaction
    from django.db.models import F
    from django.utils import timezone

    from talentcloud.notifications.texts import CodedText
    from talentcloud.servicehall.enums import CaseState
    from talentcloud.servicehall.models import Case, CaseEvent
    from talentcloud.servicehall.tasks import escalate_overdue

    today = timezone.localdate()
    running = Case.objects.filter(state=CaseState.IN_PROGRESS)

    def undo() -> None:  # this benchmark's marks (an interrupted run's too)
        marked = Case.objects.filter(escalation_run__isnull=False)
        CaseEvent.objects.filter(action="escalate", actor__isnull=True, case__in=marked).delete()
        marked.update(escalated_at=None, escalation_run=None, revision=F("revision") - 1)

    undo()
    wanted = min(wanted, running.count())
    overdue = running.filter(due_on__lt=today, escalated_at__isnull=True)
    have = overdue.count()
    if have < wanted:
        more = running.filter(due_on__gte=today).order_by("number").values_list("pk", flat=True)
        yesterday = today - dt.timedelta(days=1)
        Case.objects.filter(pk__in=list(more[: wanted - have])).update(
            due_on=yesterday, yellow_on=yesterday - dt.timedelta(days=2)
        )
    elif have > wanted:
        excess = list(overdue.order_by("-number").values_list("pk", flat=True)[: have - wanted])
        Case.objects.filter(pk__in=excess).update(escalated_at=timezone.now() - dt.timedelta(days=1))
    ids = [str(pk) for pk in overdue.values_list("pk", flat=True)]
    assert len(ids) == wanted, len(ids)
    prefix, suffix = CodedText("case.overdue", due="\x00").stored().split("\\u0000")
    baseline_sql = (
        "UPDATE servicehall_case SET escalated_at = %s, escalation_run = %s, revision = revision + 1, "
        "updated_at = %s WHERE id = ANY(%s::uuid[])",
        "INSERT INTO servicehall_caseevent (case_id, at, actor_id, action, from_state, to_state, note) "
        "SELECT id, %s, NULL, 'escalate', state, state, %s || due_on::text || %s FROM servicehall_case "
        "WHERE id = ANY(%s::uuid[])",
    )

    def baseline() -> float:
        now = timezone.now()
        started = time.perf_counter()
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                "SET CONSTRAINTS ALL IMMEDIATE"
            )  # the events' foreign keys checked, not rolled away
            cursor.execute(baseline_sql[1], [now, prefix, suffix, ids])
            cursor.execute(baseline_sql[0], [now, uuid.uuid4(), now, ids])
            elapsed = time.perf_counter() - started
            transaction.set_rollback(True)
        return elapsed

    def escalation() -> tuple[float, int]:
        started = time.perf_counter()
        with transaction.atomic():  # the notices go out at its commit: timed too
            escalated = escalate_overdue()
        elapsed = time.perf_counter() - started
        undo()
        return elapsed, escalated

    baselines, runs, escalated = [], [], 0
    for _round in range(rounds):
        baselines.append(baseline())
        seconds, escalated = escalation()
        runs.append(seconds)
    return {
        "open": running.count(),
        "overdue": len(ids),
        "escalated": escalated,
        "seconds": statistics.median(runs),
        "baseline_seconds": statistics.median(baselines),
        "rounds": rounds,
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
            f"{escalation['open']} being handled in {escalation['seconds']:.2f} s (bare UPDATE + INSERT … SELECT "
            f"of the same rows: {escalation['baseline_seconds']:.2f} s; medians of {escalation['rounds']} rounds; "
            f"{time.perf_counter() - started:.0f} s with the baseline and the undoing)"
        )
        ratio = (
            escalation["seconds"] / escalation["baseline_seconds"] if escalation["baseline_seconds"] else 0
        )
        escalated_ok = escalation["escalated"] == 50_000 and ratio <= 3
        print(
            f"RESULT hall_escalation_50k {escalation['seconds']:.2f} s "
            f"baseline={escalation['baseline_seconds']:.2f} ratio={ratio:.2f} goal=ratio<=3 "
            f"ok={str(escalated_ok).lower()}"
        )
        payload["escalation"] = escalation
    write_json(args.json, payload)


if __name__ == "__main__":
    main()
