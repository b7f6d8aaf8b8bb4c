"""Before every payment the continuing conditions are judged again, as of the month the line pays for; entry
conditions never suspend a running award. A failure suspends with its reason and tells the person; a resumed
award pays the months it was eligible for (补发), never the suspended ones."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from talentcloud.common.errors import ValidationFailed
from talentcloud.notifications.models import Notification
from talentcloud.payouts.enums import AwardStatus, LineStatus
from talentcloud.payouts.models import Award, PayoutLine
from talentcloud.payouts.services import award_resume, award_resume_request, reason_words
from talentcloud.talents.models import Talent

from .test_ledger import reconciles
from .world import award, pay, talent, world

pytestmark = pytest.mark.django_db


def test_a_24_month_subsidy_outlives_its_entry_window_and_a_failed_continuing_condition_suspends(
    make_user, kfq_firm
):
    """毕业 3 年以内 is an entry condition: graduated 2022-06, the window closes 2025-06, the 24 months run to
    2026-12 and are all paid. Beside it, a person who bought a home is suspended."""
    w = world(make_user, kfq_firm, year=2025)
    keeps = talent(kfq_firm, graduated_on=dt.date(2022, 6, 30))
    buyer = talent(kfq_firm, account=make_user("talent", None))
    a = award(w, keeps, months=24, amount=Decimal("1000"))
    b = award(w, buyer, months=24, amount=Decimal("800"))
    Talent.objects.filter(pk=buyer.pk).update(owns_home_in_city=True)  # an authoritative import: a home
    pay(w, dt.date(2027, 1, 31))
    assert PayoutLine.objects.filter(award=a, status=LineStatus.PAID).count() == 24
    b.refresh_from_db()
    assert b.status == AwardStatus.SUSPENDED
    assert b.suspended_from == dt.date(2025, 1, 1)
    assert b.suspension_reason == ["owns_home_in_city"]
    assert not PayoutLine.objects.filter(award=b, status=LineStatus.PAID).exists()
    told = Notification.objects.get(recipient=buyer.account, event="payouts.suspended")
    assert "住房" in told.body
    reconciles()


def test_resumption_pays_only_the_eligible_months(make_user, kfq_firm):
    w = world(make_user, kfq_firm)
    person = talent(kfq_firm, account=make_user("talent", None))
    a = award(w, person, months=12, cadence="quarterly")
    award(w, talent(kfq_firm), months=12, cadence="quarterly")  # someone steady: no batch is empty
    pay(w, dt.date(2025, 4, 30))  # Q1 paid
    Talent.objects.filter(pk=person.pk).update(owns_home_in_city=True)
    pay(w, dt.date(2025, 7, 31))  # Q2: the re-check suspends from April
    a = Award.objects.get(pk=a.pk)
    assert (a.status, a.suspended_from) == (AwardStatus.SUSPENDED, dt.date(2025, 4, 1))
    assert "住房" in reason_words(a.policy, a.suspension_reason) or "home" in reason_words(
        a.policy, a.suspension_reason
    )
    award_resume_request(actor=person.account, award=a)
    with pytest.raises(ValidationFailed) as still:
        award_resume(actor=w.maker, award=a, eligible_from=dt.date(2025, 6, 1))
    assert "eligible_from" in still.value.fields  # the home is still theirs: nothing changes
    Talent.objects.filter(pk=person.pk).update(owns_home_in_city=False)  # sold in June
    with pytest.raises(ValidationFailed):
        award_resume(actor=w.maker, award=a, eligible_from=dt.date(2025, 3, 1))  # before the suspension
    award_resume(actor=w.maker, award=a, eligible_from=dt.date(2025, 6, 1))
    pay(w, dt.date(2026, 1, 31))
    paid = set(
        PayoutLine.objects.filter(award=a, status=LineStatus.PAID).values_list("period__month", flat=True)
    )
    assert paid == {1, 2, 3, 6, 7, 8, 9, 10, 11, 12}  # April and May: never paid
    assert set(
        PayoutLine.objects.filter(award=a, status=LineStatus.SUSPENDED).values_list(
            "period__month", flat=True
        )
    ) == {4, 5}
    reconciles()
