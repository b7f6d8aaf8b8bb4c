"""The office's doors beside the batch workflow, through the pages and the API: many 免申即享 grants confirmed
at once (a budget line running out midway refuses the rest per person, writing nothing for them), budget
changes approved by a second person, the fiscal year's close, the exports, an enterprise's payments, the
award API (resume, payee change and its check, recovery with a dated plan, 退汇 and re-issue)."""

from __future__ import annotations

import datetime as dt
import io
import json
from decimal import Decimal

import numpy as np
import pytest
from django.urls import reverse
from openpyxl import load_workbook

from talentcloud.accounts.models import OrgUnit
from talentcloud.audit.models import AuditEvent
from talentcloud.enterprises.models import EnterpriseMember
from talentcloud.policies.models import (
    GRANTED,
    Policy,
    SubjectResult,
    SweepResult,
    SweepRun,
    TalentNumber,
)
from talentcloud.talents.models import Talent

from ..enums import Account
from ..models import Award, BudgetChange, BudgetLine, PayoutLine, Posting, Recovery
from ..money import plan_split
from ..office import overdue_amount, plan_rows
from ..services import award_make, budget_line_set, recovery_raise
from .world import RENTAL, award, pay, talent, world

pytestmark = pytest.mark.django_db

LIVING = "graduate-living-allowance"


def granted_by_sweep(people: list[Talent], policy: Policy, *, override: Talent | None = None) -> None:
    """The newest finished sweep granted ``policy`` to ``people`` (their byte is 1); ``override`` was
    re-evaluated since and is granted through its own results (ADR 0018)."""
    numbers = [TalentNumber.objects.get_or_create(talent=p)[0].number for p in [*people, override] if p]
    state = np.zeros(max(numbers) + 1, dtype=np.uint8)
    for person in people:
        state[person.sweep_number.number] = GRANTED
    run = SweepRun.objects.create(on=dt.date(2025, 1, 1), status="done")
    SweepResult.objects.create(
        run=run, policy=policy, policy_code=policy.code, target="talent", state=state.tobytes()
    )
    if override is not None:
        SubjectResult.objects.create(
            target="talent",
            number=override.sweep_number.number,
            on=dt.date(2025, 1, 2),
            results=[[policy.pk, policy.code, GRANTED, 0]],
            read_at=dt.datetime(2025, 1, 2, tzinfo=dt.UTC),
        )


def account_on_record(w, person: Talent) -> None:
    """An earlier award of another policy: the payee account the office has on record for the person."""
    living = Policy.objects.get(code=LIVING, status="published")
    award_make(
        actor=w.maker,
        policy=living,
        talent=person,
        period_amount=Decimal("100"),
        periods=1,
        cadence="once",
        starts=dt.date(2025, 1, 1),
        payee_account=f"62170000{person.pk.int % 10**11:011d}",
    )


def test_many_grants_are_confirmed_at_once_and_a_budget_line_running_out_refuses_per_person(
    make_user, kfq_firm, login
):
    per_person = Decimal("800") * 36  # master's degree: 800 a month for 36 months (the library's formula)
    w = world(make_user, kfq_firm, budget=per_person * 2)  # room for two
    budget_line_set(
        actor=w.maker,
        policy_code=LIVING,
        fiscal_year=2025,
        department=OrgUnit.objects.get(code="320115-ZZB"),
        amount=Decimal("100000"),
    )
    people = [talent(kfq_firm) for _ in range(4)]
    late = talent(kfq_firm)  # granted since the sweep (re-evaluated): pending too
    for person in [*people[:3], late]:
        account_on_record(w, person)
    granted_by_sweep(people, w.policy, override=late)
    office = login(w.maker)

    page = office.get(reverse("payouts:grants"), {"policy": RENTAL})
    assert page.status_code == 200
    listed = page.content.decode()
    assert all(p.name in listed for p in [*people, late])
    assert "无记录" in listed or "none on record" in listed  # the fourth has no account on record

    chosen = [str(p.pk) for p in people[:4]]
    review = office.post(
        reverse("payouts:grants"),
        {"policy": RENTAL, "talents": chosen, "starts": "2025-01-01", "step": "review"},
    )
    assert review.status_code == 200
    summary = review.content.decode()
    assert 'data-testid="grants-summary"' in summary
    assert "4" in summary
    assert f"{per_person * 4:.2f}" in summary
    assert not Award.objects.filter(policy=w.policy).exists()  # reviewing decides nothing

    refused = office.post(reverse("payouts:grants"), {"policy": RENTAL, "starts": "2025-01-01"})
    assert refused.status_code == 400  # nobody chosen: said at the field
    assert "至少选择一人" in refused.content.decode()

    done = office.post(
        reverse("payouts:grants"),
        {"policy": RENTAL, "talents": chosen, "starts": "2025-01-01", "step": "confirm"},
    )
    assert done.status_code == 200
    made = Award.objects.filter(policy=w.policy)
    assert made.count() == 2  # the line held two
    line = BudgetLine.objects.get(policy_code=RENTAL, fiscal_year=2025)
    assert line.committed == line.amount == per_person * 2
    text = done.content.decode()
    assert text.count("<li data-talent=") == 2
    assert "无收款账户记录" in text  # the fourth: no account on record
    assert "仅剩 0.00 元" in text  # one refused because the budget line ran out midway
    refused_budget = next(p for p in people[:3] if not made.filter(talent=p).exists())
    # nothing half-written for the refused person: no award, no line, no posting, no audit of an award
    assert not PayoutLine.objects.filter(award__talent=refused_budget, award__policy=w.policy).exists()
    assert not Posting.objects.filter(award__talent=refused_budget, policy_code=RENTAL).exists()
    assert AuditEvent.objects.filter(action="payouts.award", details__policy=RENTAL).count() == 2
    for a in made:
        assert a.source == "sweep"
        assert a.snapshot["policy"].startswith(RENTAL)
        assert a.total == per_person

    # the API: what is still pending, and confirming everyone pending (the late one, granted since)
    budget_line_set(
        actor=w.maker,
        policy_code=RENTAL,
        fiscal_year=2025,
        department=line.department,
        amount=per_person * 3,
    )
    pending = office.get("/api/v1/payouts/grants", {"policy": RENTAL}).json()
    assert {p["name"] for p in pending} == {refused_budget.name, people[3].name, late.name}
    answer = office.post(
        "/api/v1/payouts/grants/confirm",
        json.dumps({"policy": RENTAL, "starts": "2025-02-01", "everyone": True}),
        content_type="application/json",
    )
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert body["made"] == 1  # one more fits: the line was raised by one person's total
    assert {r["name"] for r in body["refused"]} == {
        people[3].name,
        next(
            p.name
            for p in (refused_budget, late)
            if not Award.objects.filter(talent=p, policy=w.policy).exists()
        ),
    }
    park = login(make_user("park-staff", "320115-P-KFQ"))
    assert park.get(reverse("payouts:grants")).status_code == 403
    assert park.get("/api/v1/payouts/grants", {"policy": RENTAL}).status_code == 403


def test_a_budget_change_takes_effect_when_a_second_person_approves_it(make_user, kfq_firm, login):
    w = world(make_user, kfq_firm, budget=Decimal("20000"))
    award(w, talent(kfq_firm), months=12)  # 9,600 committed
    maker, checker = login(w.maker), login(w.checker)
    url = reverse("payouts:budget_changes")
    low = maker.post(
        url, {"do": "request", "policy_code": RENTAL, "fiscal_year": 2025, "amount": "5000", "reason": "压减"}
    )
    assert low.status_code == 400
    assert "已承诺" in low.content.decode()  # never below what is committed: said at the amount
    assert (
        maker.post(
            url,
            {"do": "request", "policy_code": RENTAL, "fiscal_year": 2025, "amount": "30000", "reason": ""},
        ).status_code
        == 400
    )
    asked = maker.post(
        url,
        {"do": "request", "policy_code": RENTAL, "fiscal_year": 2025, "amount": "30000", "reason": "追加"},
    )
    assert asked.status_code == 302
    change = BudgetChange.objects.get()
    assert BudgetLine.objects.get(policy_code=RENTAL).amount == Decimal("20000")  # not yet
    assert maker.post(url, {"do": "approve", "change": change.pk}).status_code == 403  # not the checker
    own = make_user("talent-office-head")
    own_change = login(own)
    checker.post(url, {"do": "approve", "change": change.pk})
    assert BudgetLine.objects.get(policy_code=RENTAL).amount == Decimal("30000")
    change.refresh_from_db()
    assert change.status == "approved"
    assert change.decided_by == w.checker

    api = own_change.post(
        "/api/v1/payouts/budget/changes",
        json.dumps({"policy_code": "new-line", "fiscal_year": 2026, "amount": "1000.00", "reason": "新设"}),
        content_type="application/json",
    )
    assert api.status_code == 201, api.content
    self_decide = own_change.post(
        "/api/v1/payouts/budget/new-line/2026/changes/decision",
        json.dumps({"approve": True}),
        content_type="application/json",
    )
    assert self_decide.status_code == 403  # the requester cannot approve
    decided = checker.post(
        "/api/v1/payouts/budget/new-line/2026/changes/decision",
        json.dumps({"approve": False}),
        content_type="application/json",
    )
    assert decided.json()["status"] == "refused"
    assert not BudgetLine.objects.filter(policy_code="new-line").exists()
    assert AuditEvent.objects.filter(action="payouts.budget_decide").count() == 2


def test_closing_the_year_lapses_the_uncommitted_and_carries_over_or_releases(make_user, kfq_firm, login):
    w = world(make_user, kfq_firm, budget=Decimal("20000"))
    award(w, talent(kfq_firm), months=12)  # 9,600 committed, 10,400 uncommitted
    maker = login(w.maker)
    url = reverse("payouts:year_close", args=[RENTAL, 2025])
    shown = maker.get(url)
    assert shown.status_code == 200
    assert "10400.00" in shown.content.decode()
    assert maker.post(url, {"carry_over": "1"}).status_code == 400  # the confirmation is required
    assert maker.post(url, {"carry_over": "1", "confirm": "on"}).status_code == 302
    figures = {row["policy_code"]: row for row in maker.get("/api/v1/payouts/budget").json()}[RENTAL]
    assert figures["closed"] is True
    assert Decimal(figures["available"]) == 0
    assert Decimal(figures["committed_unpaid"]) == Decimal("9600.00")  # carried over
    again = maker.post(
        f"/api/v1/payouts/budget/{RENTAL}/2025/close",
        json.dumps({"carry_over": False}),
        content_type="application/json",
    )
    assert again.status_code == 409


def test_closing_the_year_through_the_api_can_release_the_unpaid(make_user, kfq_firm, login):
    w = world(make_user, kfq_firm, budget=Decimal("20000"))
    award(w, talent(kfq_firm), months=12)
    closed = login(w.maker).post(
        f"/api/v1/payouts/budget/{RENTAL}/2025/close",
        json.dumps({"carry_over": False}),
        content_type="application/json",
    )
    assert closed.status_code == 200, closed.content
    assert Decimal(closed.json()["committed_unpaid"]) == 0
    assert not PayoutLine.objects.filter(status="due").exists()
    park = login(make_user("park-staff", "320115-P-KFQ"))
    assert (
        park.post(
            f"/api/v1/payouts/budget/{RENTAL}/2025/close",
            json.dumps({"carry_over": False}),
            content_type="application/json",
        ).status_code
        == 403
    )


def test_the_exports_are_scoped_and_audited(make_user, kfq_firm, login, units):
    w = world(make_user, kfq_firm)
    award(w, talent(kfq_firm, name="甲园区领取人"), months=2)
    pay(w, dt.date(2025, 3, 31))
    office = login(w.maker)
    got = office.get(reverse("payouts:awards_export"))
    assert got.status_code == 200
    sheet = load_workbook(io.BytesIO(got.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 2
    assert rows[1][2] == "甲园区领取人"
    assert "*" in rows[1][-1]  # the account masked
    ledger = office.get(reverse("payouts:ledger_export"))
    table = list(load_workbook(io.BytesIO(ledger.content)).active.iter_rows(values_only=True))
    paid_column = 4 + list(Account.values).index(Account.PAID)
    assert sum(Decimal(str(r[paid_column] or 0)) for r in table[1:]) == Decimal("1600.00")
    assert AuditEvent.objects.filter(action="payouts.export").count() == 2
    finance = login(w.finance)  # the finance bureau's unit holds no talent: no award rows
    finance_rows = list(
        load_workbook(io.BytesIO(finance.get(reverse("payouts:awards_export")).content)).active.iter_rows()
    )
    assert len(finance_rows) == 1
    assert (
        login(make_user("park-staff", "320115-P-KFQ")).get(reverse("payouts:awards_export")).status_code
        == 403
    )


def test_an_enterprise_sees_its_payments(make_user, kfq_firm, login):
    w = world(make_user, kfq_firm)
    hr = make_user("enterprise-hr", None)
    EnterpriseMember.objects.create(enterprise=kfq_firm, user=hr, is_admin=True)
    granted = award_make(
        actor=w.maker,
        policy=w.policy,
        enterprise=kfq_firm,
        period_amount=Decimal("5000"),
        periods=2,
        cadence="monthly",
        starts=dt.date(2025, 1, 1),
        payee_account="6222000099990000111",
    )
    first = PayoutLine.objects.filter(award=granted).order_by("period")[0]
    pay(w, dt.date(2025, 3, 31), failed={first.key})
    page = login(hr).get(reverse("payouts:enterprise_mine"))
    text = page.content.decode()
    assert page.status_code == 200
    assert 'data-status="paid"' in text
    assert 'data-status="failed"' in text
    assert "账户已销户" in text
    api = login(hr).get("/api/v1/payouts/enterprise/me").json()
    assert sorted(line["status"] for line in api[0]["lines"]) == ["failed", "paid"]
    assert "*" in api[0]["payee_account"]
    other = make_user("enterprise-hr", None)
    assert login(other).get("/api/v1/payouts/enterprise/me").json() == []
    assert "5000" not in login(other).get(reverse("payouts:enterprise_mine")).content.decode()


def test_the_award_api_resumes_changes_the_payee_recovers_and_returns(make_user, kfq_firm, login):
    w = world(make_user, kfq_firm)
    person = talent(kfq_firm, account=make_user("talent", None))
    a = award(w, person, months=3, obligation_months=12, service_start=dt.date(2025, 1, 1))
    award(w, talent(kfq_firm), months=3)
    Talent.objects.filter(pk=person.pk).update(owns_home_in_city=True)
    pay(w, dt.date(2025, 2, 28))  # January re-checked: suspended from January
    payee, maker, checker, finance = login(person.account), login(w.maker), login(w.checker), login(w.finance)
    base = f"/api/v1/payouts/awards/{a.pk}"

    asked = payee.post(f"/api/v1/payouts/me/{a.pk}/resume-request")
    assert asked.status_code == 200, asked.content
    a.refresh_from_db()
    assert a.resume_requested
    still = maker.post(f"{base}/resume", json.dumps({"eligible_from": "2025-02-01"}), "application/json")
    assert still.status_code in (400, 422)
    assert "eligible_from" in still.content.decode()
    Talent.objects.filter(pk=person.pk).update(owns_home_in_city=False)
    resumed = maker.post(f"{base}/resume", json.dumps({"eligible_from": "2025-02-01"}), "application/json")
    assert resumed.json()["status"] == "active"

    own = payee.post(
        f"/api/v1/payouts/me/{a.pk}/account",
        json.dumps({"payee_account": "6217000011110000999"}),
        "application/json",
    )
    assert own.status_code == 403  # no fresh step-up
    changed = maker.post(
        f"{base}/payee",
        json.dumps({"payee_account": "6217000011110000999", "reason": "换卡"}),
        "application/json",
    )
    assert changed.status_code == 200
    assert "*" in changed.json()["payee_account"]
    assert maker.post(f"{base}/payee/check").status_code == 403  # the office manages, the head checks
    assert checker.post(f"{base}/payee/check").status_code == 200
    a.refresh_from_db()
    assert a.payee_confirmed

    batch = pay(w, dt.date(2025, 3, 31))
    february = PayoutLine.objects.get(award=a, period=dt.date(2025, 2, 1), status="paid")
    back = finance.post(
        f"/api/v1/payouts/batches/{batch.pk}/lines/{february.key}/returned",
        json.dumps({"note": "户名不符"}),
        "application/json",
    )
    assert back.status_code == 200, back.content
    assert back.json()["status"] == "due"
    assert back.json()["key"] != february.key
    assert (
        maker.post(
            f"/api/v1/payouts/batches/{batch.pk}/lines/{february.key}/returned",
            json.dumps({}),
            "application/json",
        ).status_code
        == 403
    )
    assert batch.pk

    pay(w, dt.date(2025, 4, 30))  # the re-issued February and March
    raised = maker.post(
        f"{base}/recovery",
        json.dumps({"reason": "left_early", "departed_on": "2025-03-15", "instalments": 3}),
        "application/json",
    )
    assert raised.status_code == 201, raised.content
    recovery = raised.json()
    assert Decimal(recovery["amount"]) == Decimal("1200.00")  # 1,600 paid − 2,400 ÷ 12 × 2 months served
    assert len(recovery["plan"]) == 3
    assert sum(Decimal(i["amount"]) for i in recovery["plan"]) == Decimal(recovery["amount"])
    receipt = maker.post(f"{base}/recovery/receipts", json.dumps({"amount": "0.01"}), "application/json")
    assert receipt.status_code == 200 or Decimal(recovery["amount"]) == 0
    if Decimal(recovery["amount"]):
        planned = maker.post(
            f"{base}/recovery/plan",
            json.dumps({"first_due": "2025-01-31", "instalments": 2}),
            "application/json",
        )
        assert planned.json()["overdue"] != "0.00"  # both due days have passed
        assert (
            maker.post(
                f"{base}/recovery/write-offs", json.dumps({"amount": "0.01"}), "application/json"
            ).status_code
            == 403
        )
        off = checker.post(f"{base}/recovery/write-offs", json.dumps({"amount": "0.01"}), "application/json")
        assert off.status_code == 200
    assert (
        AuditEvent.objects.filter(
            action__in=["payouts.resume", "payouts.payee_check", "payouts.returned", "payouts.recovery"]
        ).count()
        == 4
    )


def test_a_recovery_plan_is_dated_and_shows_what_is_overdue(make_user, kfq_firm, login):
    assert [s for _n, _d, s in plan_split(Decimal("100.00"), 3, dt.date(2025, 1, 31))] == [
        Decimal("33.34"),
        Decimal("33.33"),
        Decimal("33.33"),
    ]
    assert [d for _n, d, _s in plan_split(Decimal("1"), 3, dt.date(2025, 1, 31))] == [
        dt.date(2025, 1, 31),
        dt.date(2025, 2, 28),
        dt.date(2025, 3, 31),
    ]
    w = world(make_user, kfq_firm)
    person = talent(kfq_firm, account=make_user("talent", None))
    a = award(w, person, months=3)
    pay(w, dt.date(2025, 3, 31))
    recovery = recovery_raise(actor=w.maker, award=a, reason="finding", instalments=3)
    assert recovery.amount == Decimal("1600.00")  # January and February were paid
    assert [i.amount for i in recovery.plan.all()] == [
        Decimal("533.34"),
        Decimal("533.33"),
        Decimal("533.33"),
    ]
    maker = login(w.maker)
    page = reverse("payouts:award_detail", args=[a.pk])
    assert maker.post(page, {"do": "plan", "first_due": "2025-01-31", "instalments": "4"}).status_code == 302
    maker.post(page, {"do": "receipt", "amount": "700"})
    recovery = Recovery.objects.get(pk=recovery.pk)
    rows = plan_rows(recovery, today=dt.date(2025, 3, 1))
    assert [r.state for r in rows] == ["paid", "overdue", "due", "due"]
    assert overdue_amount(recovery, today=dt.date(2025, 3, 1)) == Decimal("100.00")
    mine = login(person.account).get(reverse("payouts:mine")).content.decode()
    assert mine.count('data-testid="instalment"') == 4
    assert 'data-state="overdue"' in mine  # the due days of 2025 have passed
    assert maker.post(page, {"do": "plan", "first_due": "", "instalments": "0"}).status_code == 400


def test_finance_records_a_return_after_payment_on_the_batch_page(make_user, kfq_firm, login):
    w = world(make_user, kfq_firm)
    award(w, talent(kfq_firm), months=1)
    batch = pay(w, dt.date(2025, 2, 28))
    line = PayoutLine.objects.get(batch=batch, status="paid")
    page = reverse("payouts:batch", args=[batch.pk])
    assert 'value="line_returned"' in login(w.finance).get(page).content.decode()
    assert 'value="line_returned"' not in login(w.maker).get(page).content.decode()
    refused = login(w.maker).post(page, {"action": "line_returned", "key": line.key, "note": "x"})
    assert refused.status_code == 403  # finance records what the bank says
    done = login(w.finance).post(page, {"action": "line_returned", "key": line.key, "note": "户名不符"})
    assert done.status_code == 302
    line.refresh_from_db()
    assert line.status == "returned"
    assert PayoutLine.objects.get(award=line.award, attempt=2).status == "due"
    assert login(w.finance).post(page, {"action": "line_returned", "key": "nope"}).status_code == 404
