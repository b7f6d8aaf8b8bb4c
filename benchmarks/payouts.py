"""Benchmark: drafting and re-checking a payment batch (政策兑现, issue #22) beside reading the same lines.

    python benchmarks/payouts.py [--quick] [--lines N] [--people M]

Needs PostgreSQL: its own database (``PAYOUT_BENCH_DATABASE_URL``, default
``postgres://postgres@127.0.0.1:5432/tc_payouts_bench``), migrated and filled here each run (emptied first):
the reference data, the policy library, M talents employed in the district (every one eligible for the
graduate rental subsidy; one in a hundred has since bought a home), and N/12 awards of 12 monthly lines, all
due — written in bulk, each award's commitment posted, as ``services.award_make`` would.

Measured in the same run:
  baseline   reading the N due lines (key, award, month, amount) — what any batch must at least read;
  draft      ``batches.batch_draft``: the due lines claimed into one batch (one conditional UPDATE);
  recheck    the batch's ``recheck`` move: every line's continuing conditions judged as of its month,
             set-based (per policy and month one statement finds who fails among the batch's payees, one
             per condition names what failed), failures suspended, audited and told in bulk.
Goal (issue #22): draft + recheck ≤ 10 s end to end for 100,000 lines over 1,000,000 people, and ≤ 10× the
baseline. Defaults: the goal's 100,000 lines over 1,000,000 people (the fill takes minutes).
``--quick``: 1,200 lines over 2,000 people. ``--reuse``: measure again on the database the last run filled
(migrated first, its lines due again).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import time
import uuid
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup(url: str, *, reuse: bool = False) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    if not reuse:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def fill(lines: int, people: int) -> dict[str, object]:
    from talentcloud.accounts.models import Role
    from talentcloud.accounts.services import user_create
    from talentcloud.demo.seed import seed_reference
    from talentcloud.enterprises.models import Enterprise
    from talentcloud.payouts import ledger
    from talentcloud.payouts.enums import Account, EntryKind
    from talentcloud.payouts.models import Award, BudgetLine, PayoutLine, Posting
    from talentcloud.payouts.money import add_months
    from talentcloud.payouts.services import schedule
    from talentcloud.policies.loader import library_install
    from talentcloud.policies.models import Policy
    from talentcloud.servicehall.seed import catalogue_install
    from talentcloud.talents.models import Talent

    units = seed_reference()
    catalogue_install()
    library_install()
    roles = {r.code: r for r in Role.objects.all()}
    users = {
        name: user_create(
            actor=None,
            username=name,
            password=uuid.uuid4().hex,
            unit=units[unit],
            roles=[roles[role]],
            validate_password=False,
        )
        for name, role, unit in (
            ("office", "talent-office", "320115-ZZB"),
            ("head", "talent-office-head", "320115-ZZB"),
            ("czj", "finance-bureau", "320115-CZJ"),
        )
    }
    firm = Enterprise.objects.create(
        name="南京兑现基准有限公司",
        credit_code="91320115MA1BENCH01",
        park=units["320115-P-KFQ"],
        street=units["320115-S-ML"],
    )
    today = dt.date.today()
    start = add_months(today.replace(day=1), -13)
    t0 = time.perf_counter()
    for first in range(0, people, 10_000):
        Talent.objects.bulk_create(
            Talent(
                name=f"基准人才{n}",
                gender="F",
                birth_date=dt.date(1998, 1, 1),
                highest_degree="master",
                graduated_on=start - dt.timedelta(days=200),
                social_insurance_since=start - dt.timedelta(days=100),
                owns_home_in_city=n % 100 == 7,  # one in a hundred bought a home since the award
                employer=firm,
            )
            for n in range(first, min(people, first + 10_000))
        )
    policy = Policy.objects.get(code="graduate-rental-subsidy", status="published")
    budget = BudgetLine.objects.create(
        policy_code=policy.code,
        fiscal_year=start.year,
        department=units["320115-ZZB"],
        amount=Decimal(800) * lines,
        committed=Decimal(800) * lines,
    )
    ids = list(Talent.objects.order_by("pk").values_list("pk", flat=True)[: lines // 12])
    for first in range(0, len(ids), 2000):
        awards = Award.objects.bulk_create(
            Award(
                policy=policy,
                budget_line=budget,
                talent_id=pk,
                source="sweep",
                period_amount=Decimal(800),
                periods=12,
                cadence="monthly",
                starts=start,
                total=Decimal(9600),
                payee_account="6217000011112222333",
                decided_by=users["office"],
            )
            for pk in ids[first : first + 2000]
        )
        PayoutLine.objects.bulk_create(
            [line for award in awards for line in schedule(award)], batch_size=5000
        )
        postings = []
        for award in awards:
            entry = uuid.uuid4()
            for account, amount in ((Account.AVAILABLE, -award.total), (Account.COMMITTED, award.total)):
                postings.append(
                    Posting(
                        entry=entry,
                        kind=EntryKind.COMMIT,
                        account=account,
                        amount=amount,
                        budget_line=budget,
                        department_id=budget.department_id,
                        policy_code=policy.code,
                        month=start,
                        award=award,
                    )
                )
        ledger.post_many(postings)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {"users": users, "due_by": today, "fill_s": round(time.perf_counter() - t0, 1), "awards": len(ids)}


def refill(url: str) -> dict[str, object]:
    """``--reuse``: the database a previous run filled, its lines due again and its awards paying (the
    batches of earlier runs and their suspensions undone, the tables vacuumed): the fill of a
    million people takes a long while and is not what is measured."""
    import psycopg

    from talentcloud.accounts.models import User

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("UPDATE payouts_payoutline SET batch_id = NULL, status = 'due' WHERE status <> 'due'")
        conn.execute(
            "UPDATE payouts_award SET status = 'active', suspended_from = NULL, suspension_reason = '[]' "
            "WHERE status <> 'active'"
        )
        conn.execute("DELETE FROM payouts_batchevent")
        conn.execute("DELETE FROM payouts_batch")
        conn.execute("VACUUM ANALYZE")
        awards = conn.execute("SELECT count(*) FROM payouts_award").fetchone()
    return {
        "users": {name: User.objects.get(username=name) for name in ("office", "head", "czj")},
        "due_by": dt.date.today(),
        "fill_s": "reused",
        "awards": awards[0] if awards else 0,
    }


def measure(world: dict[str, object]) -> dict[str, object]:
    from talentcloud.payouts.batches import batch_draft, batch_move
    from talentcloud.payouts.enums import AwardStatus, LineStatus
    from talentcloud.payouts.models import Award, PayoutLine

    users, due_by = world["users"], world["due_by"]
    t0 = time.perf_counter()
    rows = list(
        PayoutLine.objects.filter(status=LineStatus.DUE, pays_on__lte=due_by).values_list(
            "key", "award_id", "period", "amount"
        )
    )
    baseline = time.perf_counter() - t0
    t0 = time.perf_counter()
    batch = batch_draft(actor=users["office"], due_by=due_by)  # type: ignore[index]
    draft = time.perf_counter() - t0
    t0 = time.perf_counter()
    batch_move(actor=users["office"], batch=batch, action="recheck")  # type: ignore[index]
    recheck = time.perf_counter() - t0
    return {
        "lines": len(rows),
        "baseline_s": round(baseline, 3),
        "draft_s": round(draft, 3),
        "recheck_s": round(recheck, 3),
        "total_s": round(draft + recheck, 3),
        "ratio": round((draft + recheck) / baseline, 1) if baseline else None,
        "suspended": Award.objects.filter(status=AwardStatus.SUSPENDED).count(),
        "in_batch": batch.lines.count(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--lines", type=int, default=100_000)
    parser.add_argument("--people", type=int, default=1_000_000)
    parser.add_argument("--reuse", action="store_true", help="measure again on the last run's database")
    args = parser.parse_args()
    lines, people = (1_200, 2_000) if args.quick else (args.lines, args.people)
    url = os.environ.get("PAYOUT_BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/tc_payouts_bench")
    setup(url, reuse=args.reuse)
    world = refill(url) if args.reuse else fill(lines, people)
    if args.reuse:
        from talentcloud.talents.models import Talent

        people = Talent.objects.count()
    result = measure(world)
    goal = result["total_s"] <= 10 and (result["ratio"] or 0) <= 10  # type: ignore[operator]
    print(f"population {people:,} talents, {world['awards']:,} awards, {result['lines']:,} due lines")
    print(f"  fill (bulk, not measured)     {world['fill_s']:>9} s")
    print(f"  baseline: read the due lines  {result['baseline_s']:>9} s")
    print(f"  draft the batch               {result['draft_s']:>9} s")
    print(f"  re-check every line           {result['recheck_s']:>9} s   ({result['suspended']} suspended)")
    print(f"  draft + re-check              {result['total_s']:>9} s   = {result['ratio']} × baseline")
    print(
        "RESULT "
        + json.dumps({"figure": "payout_batch_draft_recheck", "people": people, **result, "ok": goal})
    )


if __name__ == "__main__":
    main()
