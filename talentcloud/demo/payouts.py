"""The demo's payout ledger (政策兑现, #22): a year of the graduate rental subsidy paid monthly in batches
— drafted by the office, checked by its head, approved and exported by the finance bureau, the bank's return
imported — with a line failed at the bank and re-issued to a corrected account, a suspension after a home was
bought, and a housing purchase subsidy clawed back after its holder left early."""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal

from talentcloud.accounts.models import OrgUnit, User
from talentcloud.common.errors import ValidationFailed
from talentcloud.payouts.bankfiles import FAILED, PAID
from talentcloud.payouts.batches import batch_draft, batch_move
from talentcloud.payouts.models import BankFile, Batch
from talentcloud.payouts.money import add_months, month_end
from talentcloud.payouts.services import (
    award_make,
    budget_line_set,
    payee_account_change,
    payee_change_check,
    recovery_raise,
)
from talentcloud.policies.engine import ELIGIBLE, continuing_conditions_hold
from talentcloud.policies.models import Policy
from talentcloud.talents.models import Talent

RENTAL, PURCHASE = "graduate-rental-subsidy", "housing-purchase-subsidy"
AMOUNTS = {"bachelor": Decimal(600), "master": Decimal(800), "doctor": Decimal(1000)}


def _account(rng: random.Random) -> str:
    return "6217" + "".join(rng.choice("0123456789") for _ in range(15))


def _return(batch: Batch, failed: set[str]) -> str:
    rows = ["key,status,note"]
    for row in BankFile.objects.get(batch=batch, kind="bank").content.splitlines()[1:]:
        key = row.split(",", 1)[0]
        rows.append(f"{key},{FAILED if key in failed else PAID},{'账户已销户' if key in failed else ''}")
    return "\n".join(rows) + "\n"


def _pay(office: User, head: User, finance: User, due_by: date, failed: int = 0) -> Batch | None:
    try:
        batch = batch_draft(actor=office, due_by=due_by)
    except ValidationFailed:  # nothing due by that day: no batch
        return None
    batch = batch_move(actor=office, batch=batch, action="recheck")
    if not batch.lines.exists():
        return batch
    batch = batch_move(actor=head, batch=batch, action="check")
    batch = batch_move(actor=finance, batch=batch, action="approve")
    batch = batch_move(actor=finance, batch=batch, action="export")
    keys = set(list(batch.lines.order_by("pk").values_list("key", flat=True))[:failed])
    return batch_move(actor=finance, batch=batch, action="import_return", return_file=_return(batch, keys))


def seed_payouts(*, seed: int, today: date | None = None) -> int:
    """A year of payouts; returns the number of awards made."""
    rng = random.Random(seed + 22)
    today = today or date.today()
    office = User.objects.get(username="office")
    head = User.objects.get(username="office-head")
    finance = User.objects.get(username="czj")
    department = OrgUnit.objects.get(code="320115-ZZB")
    rental = Policy.objects.get(code=RENTAL, status="published")
    purchase = Policy.objects.get(code=PURCHASE, status="published")
    start = add_months(today.replace(day=1), -12)
    for code, amount in ((RENTAL, Decimal(2_000_000)), (PURCHASE, Decimal(5_000_000))):
        for year in sorted({start.year, today.year}):
            budget_line_set(
                actor=office, policy_code=code, fiscal_year=year, department=department, amount=amount
            )

    candidates = Talent.objects.filter(
        employer__isnull=False, owns_home_in_city=False, highest_degree__in=list(AMOUNTS)
    ).order_by("account__username", "pk")[:200]
    # The generated archives hold no social insurance record; the first employed ones get what the social
    # insurance bureau's import would record (insured since a year before the first payout), so that the
    # continuing conditions are known for them and the demo has a year of payouts to show.
    uninsured = [t.pk for t in candidates if t.social_insurance_since is None][:14]
    Talent.objects.filter(pk__in=uninsured).update(social_insurance_since=add_months(start, -12))
    candidates = Talent.objects.filter(
        employer__isnull=False, owns_home_in_city=False, highest_degree__in=list(AMOUNTS)
    ).order_by("account__username", "pk")[:200]
    people = [
        t for t in candidates if continuing_conditions_hold(rental, talent=t, on=start).status == ELIGIBLE
    ]
    # the purchase subsidy's holder has no rental subsidy: both are in the exclusion group "housing"
    people = people[:13]
    buyer = people.pop() if len(people) > 3 else None
    awards = []
    for person in people:
        awards.append(
            award_make(
                actor=office,
                policy=rental,
                talent=person,
                source="sweep",
                source_ref="demo",
                period_amount=AMOUNTS[person.highest_degree],
                periods=24,
                cadence="monthly",
                starts=start,
                payee_account=_account(rng),
                snapshot={"on": start.isoformat(), "facts": {"highest_degree": person.highest_degree}},
            )
        )
    if not awards:
        return 0
    # Three months paid; the fourth month's batch has a line the bank could not pay.
    for month in range(1, 5):
        _pay(office, head, finance, month_end(add_months(start, month)), failed=1 if month == 4 else 0)
    failed = awards[0].lines.filter(status="failed").first()
    if failed is not None:  # the account corrected, checked by a second person: re-issued in the next batch
        payee_account_change(
            actor=office, award=awards[0], account=_account(rng), fresh=False, reason="原账户已销户"
        )
        payee_change_check(actor=head, award=awards[0])
    # A home bought: the next batch's re-check suspends the subsidy and tells the person why.
    if len(people) > 1:
        Talent.objects.filter(pk=people[1].pk).update(owns_home_in_city=True)
    for month in range(5, 12):
        _pay(office, head, finance, month_end(add_months(start, month)))
    # A housing purchase subsidy paid once for a 5-year stay begun two years before; its holder left 32 full
    # months in: 300,000 − 300,000 ÷ 60 × 32 = 140,000 comes back, in 12 instalments.
    if buyer is not None:
        bought = award_make(
            actor=office,
            policy=purchase,
            talent=buyer,
            source="case",
            source_ref="demo",
            period_amount=Decimal(300_000),
            periods=1,
            cadence="once",
            starts=start,
            payee_account=_account(rng),
            obligation_months=60,
            service_start=add_months(start, -24),
        )
        _pay(office, head, finance, month_end(add_months(start, 12)))
        recovery_raise(
            actor=office, award=bought, reason="left_early", departed_on=add_months(start, 8), instalments=12
        )
    return len(awards) + (1 if buyer is not None else 0)
