"""Approval into the ledger (#24, ADR 0030): an approval makes the ledger's award on the call's budget line,
its instalments tied to milestones (the first due at once, the others waiting until the office confirms their
milestone), with the service obligation; the talent sees the first instalment in "my payments"; exclusion
groups across programmes and policies refuse a second award at application, nomination, approval and in the
ledger itself; the budget line, not the call's figure, bounds the approvals."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from talentcloud.accounts.models import OrgUnit
from talentcloud.common.errors import Conflict, ValidationFailed
from talentcloud.payouts import services as payouts
from talentcloud.payouts.enums import LineStatus
from talentcloud.payouts.models import Award as LedgerAward
from talentcloud.payouts.models import BudgetLine, PayoutLine
from talentcloud.payouts.tests.world import RENTAL
from talentcloud.payouts.tests.world import world as payout_world
from talentcloud.programs import services
from talentcloud.programs.enums import SeatStatus
from talentcloud.programs.models import Application, Award, Call

from .world import make_call, make_world, reviewer

pytestmark = pytest.mark.django_db
D = Decimal


def _scored(world, application, mark=85):
    ceremony = world.call.ceremonies.first() or services.ceremony_record(
        actor=world.office, call=world.call, digits="20261130", witnesses="公证员甲"
    )
    row = services.draw_panel(actor=world.office, application=application, ceremony=ceremony)
    criteria = list(application.call.criteria.all())
    for seat in row.seats.filter(status=SeatStatus.SEATED):
        services.score_submit(
            actor=reviewer(seat), seat=seat, values={c.pk: mark for c in criteria}, comments={}
        )


@pytest.fixture
def world(make_user):
    w = make_world(make_user)
    w.experts(6)
    return w


def test_approval_makes_the_ledger_award_with_instalments_tied_to_milestones(world, login):
    application = world.application(state="accepted")
    _scored(world, application)
    award = services.approve(actor=world.office, application=application)
    assert award.ledger_id is not None
    ledger = LedgerAward.objects.get(pk=award.ledger_id)
    assert ledger.policy is None
    assert ledger.talent_id == application.talent_id
    assert ledger.total == D("1000000.00")
    assert ledger.obligation_months == 60
    assert ledger.service_start == timezone.localdate()
    assert ledger.source == "programme"
    assert ledger.source_ref == application.number
    lines = list(ledger.lines.order_by("period"))
    assert [(line.amount, line.milestone, line.status) for line in lines] == [
        (D("500000.00"), "立项", LineStatus.DUE),
        (D("300000.00"), "中期", LineStatus.AWAITING),
        (D("200000.00"), "结项", LineStatus.AWAITING),
    ]
    assert lines[0].pays_on == timezone.localdate()
    line = BudgetLine.objects.get(policy_code=world.call.code)
    assert line.committed == D("1000000.00")
    # the talent sees the first instalment in "my payments", page and API
    me = login(application.talent.account)
    page = me.get("/payouts/me/").content.decode()
    assert world.call.title in page
    assert "500000.00" in page
    assert "立项" in page
    mine = me.get("/api/v1/payouts/me").json()
    assert mine[0]["title"].startswith(world.call.title)
    assert [(x["milestone"], x["status"]) for x in mine[0]["lines"]] == [
        ("立项", "due"),
        ("中期", "awaiting"),
        ("结项", "awaiting"),
    ]


def test_the_office_confirms_a_milestone_and_the_instalment_falls_due(world, login):
    application = world.application(state="accepted")
    _scored(world, application)
    ledger = services.approve(actor=world.office, application=application).ledger
    assert ledger is not None
    first, middle, _last = ledger.lines.order_by("period")
    with pytest.raises(Conflict):
        payouts.milestone_confirm(actor=world.office, line=first, due_on=timezone.localdate())
    with pytest.raises(ValidationFailed) as refused:
        payouts.milestone_confirm(
            actor=world.office, line=middle, due_on=timezone.localdate() - dt.timedelta(days=1)
        )
    assert "due_on" in refused.value.fields
    due = timezone.localdate() + dt.timedelta(days=30)
    office = login(world.office)
    response = office.post(
        f"/payouts/awards/{ledger.pk}/", {"do": "milestone", "key": middle.key, "due_on": due.isoformat()}
    )
    assert response.status_code == 302
    middle.refresh_from_db()
    assert (middle.status, middle.pays_on) == (LineStatus.DUE, due)
    # the API does the same for the last one
    last = ledger.lines.get(milestone="结项")
    answer = office.post(
        f"/api/v1/payouts/awards/{ledger.pk}/lines/{last.key}/milestone",
        {"due_on": due.isoformat()},
        content_type="application/json",
    )
    assert answer.status_code == 200, answer.content
    assert PayoutLine.objects.get(pk=last.pk).status == LineStatus.DUE


def test_the_ledger_line_bounds_approvals_and_a_refusal_writes_nothing(make_user):
    world = make_world(make_user, budget=D("3000000"), places=5)
    world.experts(6)
    office_unit = OrgUnit.objects.get(code="320115-ZZB")
    payouts.budget_line_set(
        actor=world.office,
        policy_code=world.call.code,
        fiscal_year=timezone.localdate().year,
        department=office_unit,
        amount=D("1500000"),
    )
    a = world.application(state="accepted")
    b = world.application(state="accepted")
    _scored(world, a, 90)
    _scored(world, b, 80)
    services.approve(actor=world.office, application=a)
    with pytest.raises(Conflict, match="1000000"):
        services.approve(actor=world.office, application=b)
    assert Application.objects.get(pk=b.pk).state == "accepted"
    assert Award.objects.filter(application=b).count() == 0
    assert LedgerAward.objects.count() == 1
    assert BudgetLine.objects.get(policy_code=world.call.code).committed == D("1000000.00")


def test_no_bank_account_no_approval(world):
    application = world.application(state="accepted", payee_account="")
    _scored(world, application)
    with pytest.raises(Conflict, match=r"银行账户|bank account"):
        services.approve(actor=world.office, application=application)
    with pytest.raises(ValidationFailed) as refused:
        world.application(payee_account="12ab")
    assert "payee_account" in refused.value.fields


def test_one_project_is_not_supported_twice_across_programmes(world):
    Call.objects.filter(pk=world.call.pk).update(exclusion_group="zijinshan")
    world.call.refresh_from_db()
    second = make_call("zjs-2026-2", exclusion_group="zijinshan")
    talent = world.talent()
    nominated = world.application(talent, state="nominated", call=second)
    first = world.application(talent, state="accepted")
    _scored(world, first)
    services.approve(actor=world.office, application=first)
    # applying again in the group is refused with the reason at the call
    with pytest.raises(ValidationFailed) as refused:
        world.application(talent, call=make_call("zjs-2026-3", exclusion_group="zijinshan"))
    assert "zijinshan" in str(refused.value.fields["call"][0])
    # another talent is not held back by the group
    waiting = world.application(world.talent(), state="submitted", call=second)
    services.move(actor=world.hr, application=waiting, action="nominate")
    # the ledger itself refuses the talent a second award in the group
    assert nominated.state == "nominated"
    with pytest.raises(Conflict, match="zijinshan"):
        _staged(world, second, talent)


def _staged(world, call, talent):
    """The ledger's staged award for ``talent`` on ``call``'s line; a refusal as a Conflict."""
    try:
        payouts.award_make_staged(
            actor=world.office,
            budget_code=call.code,
            title="x",
            talent=talent,
            instalments=[payouts.Instalment(D("1"), "立项")],
            payee_account="6222020000123456789",
            starts=timezone.localdate(),
            exclusion_group=call.exclusion_group,
        )
    except ValidationFailed as refused:
        raise Conflict(str(refused.fields)) from None


def test_nomination_is_refused_while_the_talent_holds_an_award_in_the_group(world):
    Call.objects.filter(pk=world.call.pk).update(exclusion_group="zijinshan")
    world.call.refresh_from_db()
    second = make_call("zjs-2026-2", exclusion_group="zijinshan")
    talent = world.talent()
    submitted = world.application(talent, state="submitted", call=second)
    first = world.application(talent, state="accepted")
    _scored(world, first)
    services.approve(actor=world.office, application=first)
    with pytest.raises(Conflict, match="zijinshan"):
        services.move(actor=world.hr, application=submitted, action="nominate")


def test_exclusion_groups_reach_across_policies_and_programmes(world, make_user, kfq_firm):
    """A talent with the rental subsidy (policy group "housing") cannot apply to a call in that group; a
    talent with a programme award in "housing" cannot get the rental subsidy: the ledger refuses it."""
    pw = payout_world(make_user, kfq_firm, year=timezone.localdate().year)
    Call.objects.filter(pk=world.call.pk).update(exclusion_group="housing")
    world.call.refresh_from_db()
    assert pw.policy.exclusion_group == "housing"
    renter = world.talent()
    payouts.award_make(
        actor=world.office,
        policy=pw.policy,
        talent=renter,
        period_amount=D("800"),
        periods=12,
        cadence="monthly",
        starts=timezone.localdate(),
        payee_account="6222020000123456780",
    )
    with pytest.raises(ValidationFailed) as refused:
        world.application(renter)
    assert "housing" in str(refused.value.fields["call"][0])
    funded = world.talent()
    application = world.application(funded, state="accepted")
    _scored(world, application)
    services.approve(actor=world.office, application=application)
    with pytest.raises(ValidationFailed) as ledger_refused:
        payouts.award_make(
            actor=world.office,
            policy=pw.policy,
            talent=funded,
            period_amount=D("800"),
            periods=12,
            cadence="monthly",
            starts=timezone.localdate(),
            payee_account="6222020000123456781",
        )
    assert "housing" in str(ledger_refused.value.fields["talent"][0])
    assert BudgetLine.objects.get(policy_code=RENTAL, fiscal_year=timezone.localdate().year).committed == D(
        "9600.00"
    )


def test_a_call_created_by_the_office_opens_its_budget_line(world):
    call = services.call_create(
        actor=world.office,
        data=services.CallInput(
            programme_code="zijinshan-talents",
            code="zjs-2027",
            title="2027 年紫金山英才计划",
            opens_on=timezone.localdate(),
            closes_on=timezone.localdate() + dt.timedelta(days=30),
            rule={"all": [{"fact": "age", "op": "<=", "value": 45}]},
            places=2,
            budget=D("2000000"),
            award_amount=D("1000000"),
            grade="B",
            criteria=(("创新性", 100),),
            exclusion_group="zijinshan",
        ),
    )
    line = BudgetLine.objects.get(policy_code=call.code, fiscal_year=timezone.localdate().year)
    assert (line.amount, line.committed, line.department.code) == (D("2000000.00"), 0, "320115-ZZB")
    assert call.exclusion_group == "zijinshan"
