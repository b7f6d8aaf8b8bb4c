"""The ledger reconciles to the fen: every entry balances, and what it says was paid is the sum of the lines
the bank confirmed, per budget line and in total — over many batches, with failed lines re-issued and a
payment returned after "paid" (退汇)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db.models import Sum

from talentcloud.audit.models import AuditEvent
from talentcloud.common.errors import Conflict, PermissionDenied, ValidationFailed
from talentcloud.payouts import ledger
from talentcloud.payouts.batches import batch_draft, batch_move
from talentcloud.payouts.enums import Account, LineStatus
from talentcloud.payouts.models import BudgetLine, PayoutLine, Posting
from talentcloud.payouts.money import month_end
from talentcloud.payouts.services import line_returned, payee_account_change, payee_change_check

from .world import RENTAL, award, pay, talent, world

pytestmark = pytest.mark.django_db
D = Decimal


def reconciles() -> None:
    """Each entry sums to zero; per budget line, paid = the bank-confirmed lines, and appropriation =
    available + committed + paid + lapsed; committed = the open lines of the line's awards."""
    unbalanced = Posting.objects.values("entry").annotate(total=Sum("amount")).exclude(total=0)
    assert not unbalanced.exists()
    for line in BudgetLine.objects.all():
        confirmed = PayoutLine.objects.filter(award__budget_line=line, status=LineStatus.PAID).aggregate(
            total=Sum("amount")
        )["total"] or D(0)
        assert ledger.balance(Account.PAID, budget_line=line) == confirmed
        open_lines = PayoutLine.objects.filter(
            award__budget_line=line,
            status__in=[LineStatus.DUE, LineStatus.BATCHED, LineStatus.EXPORTED, LineStatus.FAILED],
        ).aggregate(total=Sum("amount"))["total"] or D(0)
        assert ledger.balance(Account.COMMITTED, budget_line=line) == open_lines
        parts = sum(
            (
                ledger.balance(a, budget_line=line)
                for a in (Account.AVAILABLE, Account.COMMITTED, Account.PAID, Account.LAPSED)
            ),
            D(0),
        )
        assert -ledger.balance(Account.APPROPRIATION, budget_line=line) == line.amount == parts
        assert line.committed == ledger.balance(Account.COMMITTED, budget_line=line) + ledger.balance(
            Account.PAID, budget_line=line
        )
    total_paid = PayoutLine.objects.filter(status=LineStatus.PAID).aggregate(total=Sum("amount"))[
        "total"
    ] or D(0)
    assert ledger.balance(Account.PAID) == total_paid


def test_ten_thousand_payouts_over_many_batches_reconcile_to_the_fen(make_user, kfq_firm):
    w = world(make_user, kfq_firm)
    people = [talent(kfq_firm) for _ in range(40)]
    odd = [D("800"), D("1000"), D("633.335"), D("600.01")]  # 633.335 rounds once, to 633.34
    awards = [award(w, people[i % 40], months=12, amount=odd[i % 4]) for i in range(834)]  # 10,008 lines
    assert awards[2].period_amount == D("633.34")
    assert PayoutLine.objects.count() == 10008
    failed_once: set[str] = set()
    for month in range(2, 14):  # twelve monthly batches
        due = month_end(dt.date(2025 + (month - 1) // 12, (month - 1) % 12 + 1, 1))
        keys = list(
            PayoutLine.objects.filter(status=LineStatus.DUE, pays_on__lte=due).values_list("key", flat=True)[
                :3
            ]
        )
        failed_once |= set(keys)
        pay(w, due, failed=set(keys))
        reconciles()
    # The failed lines: their accounts corrected (a second person checks), re-issued, paid in a later batch.
    failed_awards = {
        line.award for line in PayoutLine.objects.filter(status=LineStatus.FAILED).select_related("award")
    }
    for n, failing in enumerate(failed_awards):
        payee_account_change(
            actor=w.maker, award=failing, account=f"621700{n:013d}", fresh=False, reason="销户"
        )
        payee_change_check(actor=w.checker, award=failing)
    pay(w, dt.date(2026, 2, 28))
    reconciles()
    assert PayoutLine.objects.filter(key__in=failed_once, status=LineStatus.REISSUED).count() == len(
        failed_once
    )
    paid = PayoutLine.objects.filter(status=LineStatus.PAID)
    assert paid.count() == 10008
    assert ledger.balance(Account.PAID) == sum(a.total for a in awards)
    # Per department, policy and month the figures come from the same postings.
    by_month = ledger.balances("policy_code", "month", account=Account.PAID)
    assert sum(v[Account.PAID] for v in by_month.values()) == ledger.balance(Account.PAID)
    assert {k[0] for k in by_month} == {RENTAL}


def test_a_return_after_paid_reverses_and_reissues_the_line(make_user, kfq_firm):
    w = world(make_user, kfq_firm)
    a = award(w, talent(kfq_firm), months=3)
    pay(w, dt.date(2025, 2, 28))
    first = PayoutLine.objects.get(award=a, period=dt.date(2025, 1, 1), status=LineStatus.PAID)
    with pytest.raises(PermissionDenied):
        line_returned(actor=w.maker, line=first, note="退汇")  # finance records what the bank says
    again = line_returned(actor=w.finance, line=first, note="账户冻结，退汇")
    first.refresh_from_db()
    assert first.status == LineStatus.RETURNED
    assert again.key != first.key
    assert again.status == LineStatus.DUE
    reconciles()
    assert ledger.balance(Account.PAID) == 0
    pay(w, dt.date(2025, 4, 30))
    reconciles()
    assert ledger.balance(Account.PAID) == D("2400.00")
    assert set(PayoutLine.objects.filter(award=a).values_list("status", flat=True)) == {"paid", "returned"}


def test_the_maker_cannot_check_and_every_move_is_audited(make_user, kfq_firm):
    w = world(make_user, kfq_firm)
    award(w, talent(kfq_firm), months=2)
    batch = batch_draft(actor=w.maker, due_by=dt.date(2025, 3, 31))
    batch = batch_move(actor=w.maker, batch=batch, action="recheck")
    with pytest.raises(PermissionDenied):
        batch_move(actor=w.maker, batch=batch, action="check")
    with pytest.raises(Conflict):
        batch_move(actor=w.finance, batch=batch, action="approve")  # not checked yet
    batch = batch_move(actor=w.checker, batch=batch, action="check")
    with pytest.raises(PermissionDenied):
        batch_move(actor=w.checker, batch=batch, action="approve")
    batch = batch_move(actor=w.finance, batch=batch, action="approve")
    batch = batch_move(actor=w.finance, batch=batch, action="export")
    with pytest.raises(ValidationFailed) as bad:
        batch_move(
            actor=w.finance, batch=batch, action="import_return", return_file="key,status,note\nNOPE,paid,\n"
        )
    assert any("NOPE" in str(p) for p in bad.value.fields["return_file"])
    assert not PayoutLine.objects.filter(status=LineStatus.PAID).exists()
    actions = list(
        AuditEvent.objects.filter(object_type="batch", object_id=str(batch.pk))
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == ["payouts.batch_draft", "batch.recheck", "batch.check", "batch.approve", "batch.export"]
    assert list(batch.events.order_by("pk").values_list("to_state", flat=True)) == [
        "draft",
        "rechecked",
        "checked",
        "approved",
        "exported",
    ]


def test_a_changed_account_waits_for_a_second_persons_check(make_user, kfq_firm):
    w = world(make_user, kfq_firm)
    person = talent(kfq_firm, account=make_user("talent", None))
    a = award(w, person, months=2)
    with pytest.raises(PermissionDenied):
        payee_account_change(actor=person.account, award=a, account="6217000011112222333", fresh=False)
    with pytest.raises(ValidationFailed) as bad:
        payee_account_change(actor=person.account, award=a, account="12ab", fresh=True)
    assert "payee_account" in bad.value.fields
    old = a.payee_account
    payee_account_change(actor=person.account, award=a, account="6217000011112222333", fresh=True)
    assert a.payee_changes.get().old_account == old
    with pytest.raises(ValidationFailed):
        batch_draft(actor=w.maker, due_by=dt.date(2025, 3, 31))  # nothing may go to the unchecked account
    with pytest.raises(PermissionDenied):
        payee_change_check(actor=person.account, award=a)
    payee_change_check(actor=w.checker, award=a)
    assert batch_draft(actor=w.maker, due_by=dt.date(2025, 3, 31)).lines.count() == 2
