"""Clawback: leaving before the service obligation ends refunds pro rata, fraud everything and bars new
awards; receipts and an approved write-off settle it; the recovery is traced to the payments it recovers and
the ledger still reconciles."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from talentcloud.common.errors import PermissionDenied, ValidationFailed
from talentcloud.payouts import ledger
from talentcloud.payouts.enums import Account, AwardStatus, LineStatus, RecoveryStatus
from talentcloud.payouts.models import Award, PayoutLine
from talentcloud.payouts.services import recovery_raise, recovery_receive, recovery_write_off

from .test_ledger import reconciles
from .world import award, pay, talent, world

pytestmark = pytest.mark.django_db
D = Decimal


def purchase(w, person, **kw):
    return award(
        w,
        person,
        months=1,
        cadence="once",
        amount=D("100000"),
        obligation_months=60,
        service_start=dt.date(2025, 1, 1),
        **kw,
    )


@pytest.mark.parametrize(
    ("departed", "refund"),
    [
        (dt.date(2025, 1, 20), D("100000.00")),  # left in the first month: nothing served
        (dt.date(2029, 12, 31), D("1666.67")),  # one day before the obligation ends: 59 months served
        (dt.date(2030, 1, 1), D("0.00")),  # served in full
    ],
)
def test_leaving_early_refunds_the_unserved_share(make_user, kfq_firm, departed, refund):
    w = world(make_user, kfq_firm)
    a = purchase(w, talent(kfq_firm))
    pay(w, dt.date(2025, 2, 28))
    r = recovery_raise(actor=w.maker, award=a, reason="left_early", departed_on=departed, instalments=12)
    assert r.amount == refund
    assert list(r.lines.values_list("status", flat=True)) == [LineStatus.PAID]
    assert ledger.balance(Account.RECEIVABLE) == refund
    reconciles()


def test_more_paid_than_the_served_share_is_no_negative_refund_and_unpaid_months_are_released(
    make_user, kfq_firm
):
    """A monthly award of 1,000 for 60 months with a 60-month obligation: 12 paid, left after 30 months
    served → max(0, 12,000 − 60,000 ÷ 60 × 30) = 0; the 48 unpaid months go back to the budget."""
    w = world(make_user, kfq_firm)
    a = award(
        w,
        talent(kfq_firm),
        months=60,
        amount=D("1000"),
        obligation_months=60,
        service_start=dt.date(2022, 7, 1),
    )
    pay(w, dt.date(2026, 1, 31))
    assert PayoutLine.objects.filter(award=a, status=LineStatus.PAID).count() == 12
    r = recovery_raise(actor=w.maker, award=a, reason="left_early", departed_on=dt.date(2025, 1, 15))
    assert (r.amount, r.months_served, r.status) == (D("0.00"), 30, RecoveryStatus.SETTLED)
    assert PayoutLine.objects.filter(award=a, status=LineStatus.CANCELLED).count() == 48
    assert Award.objects.get(pk=a.pk).status == AwardStatus.ENDED
    reconciles()


def test_receipts_and_a_write_off_approved_by_a_second_person_settle_a_recovery(make_user, kfq_firm):
    w = world(make_user, kfq_firm)
    a = purchase(w, talent(kfq_firm))
    pay(w, dt.date(2025, 2, 28))
    r = recovery_raise(actor=w.maker, award=a, reason="left_early", departed_on=dt.date(2027, 1, 1))
    assert r.amount == D("60000.00")  # 24 of 60 months served
    with pytest.raises(ValidationFailed) as bad:
        recovery_receive(actor=w.maker, recovery=r, amount=D("60000.01"))
    assert "amount" in bad.value.fields
    recovery_receive(actor=w.maker, recovery=r, amount=D("50000"))
    with pytest.raises(PermissionDenied):
        recovery_write_off(actor=w.maker, recovery=r, amount=D("10000"))  # who raised it cannot
    r = recovery_write_off(actor=w.checker, recovery=r, amount=D("10000"))
    assert r.status == RecoveryStatus.WRITTEN_OFF
    assert ledger.balance(Account.RECEIVABLE) == 0
    assert ledger.balance(Account.RECOVERED) == D("50000.00")
    assert ledger.balance(Account.WRITTEN_OFF) == D("10000.00")
    reconciles()


def test_fraud_recovers_everything_and_bars_new_awards(make_user, kfq_firm):
    w = world(make_user, kfq_firm)
    person = talent(kfq_firm)
    a = purchase(w, person)
    pay(w, dt.date(2025, 2, 28))
    with pytest.raises(ValidationFailed) as bad:
        recovery_raise(actor=w.maker, award=a, reason="fraud")
    assert "bar_until" in bad.value.fields
    r = recovery_raise(actor=w.maker, award=a, reason="fraud", bar_until=dt.date(2028, 12, 31))
    assert r.amount == D("100000.00")
    with pytest.raises(ValidationFailed) as barred:
        award(w, person, starts=dt.date(2025, 6, 1))
    assert "talent" in barred.value.fields
    reconciles()
