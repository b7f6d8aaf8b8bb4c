"""The payout API: a payee's own awards; the office's budget lines; payment batches (list, draft, move by
the batch table: recheck, check, approve, export, import_return) and their bank files in clear for finance
after a step-up (the personal-data API door)."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from talentcloud.accounts.permissions import require_perm
from talentcloud.accounts.reauth import step_up_fresh
from talentcloud.accounts.types import AuthedRequest
from talentcloud.common.access import api_access
from talentcloud.common.errors import Conflict, NotFound, StepUpRequired, ValidationFailed
from talentcloud.policies.models import Policy
from talentcloud.privacy.masking import mask_bank_account
from talentcloud.privacy.services import pii_api_door
from talentcloud.talents.selectors import talent_get

from . import batches as batch_services
from . import office, selectors, services
from .enums import RecoveryStatus
from .models import Award, FileKind
from .permissions import PayoutPerm

router = Router(tags=["payouts"])


class PayoutLineOut(Schema):
    key: str
    period: date
    pays_on: date
    amount: Decimal
    status: str
    bank_note: str
    milestone: str = ""


class PayoutRecoveryOut(Schema):
    reason: str
    amount: Decimal
    received: Decimal
    written_off: Decimal
    status: str


class PayoutAwardOut(Schema):
    id: uuid.UUID
    policy: str
    title: str = ""
    period_amount: Decimal
    periods: int
    cadence: str
    total: Decimal
    status: str
    suspended_from: date | None
    suspension_reason: str
    payee_account: str
    lines: list[PayoutLineOut]
    recoveries: list[PayoutRecoveryOut]


def _award(a: Any) -> dict[str, object]:
    return {
        "id": a.pk,
        "policy": a.policy.code if a.policy is not None else a.budget_line.policy_code,
        "title": a.basis,
        "period_amount": a.period_amount,
        "periods": a.periods,
        "cadence": a.cadence,
        "total": a.total,
        "status": a.status,
        "suspended_from": a.suspended_from,
        "suspension_reason": services.reason_words(a.policy, a.suspension_reason)
        if a.suspension_reason
        else "",
        "payee_account": mask_bank_account(a.payee_account),
        "lines": list(a.lines.all()),
        "recoveries": list(a.recoveries.all()),
    }


@router.get("/me", response=list[PayoutAwardOut], openapi_extra=api_access("own"))
def payouts_mine(request: HttpRequest) -> object:
    return [_award(a) for a in selectors.own_awards(viewer=request.user)]


class PayoutAwardIn(Schema):
    policy: str = Field(..., max_length=60)
    starts: date
    payee_account: str = Field(..., max_length=40)
    period_amount: Decimal | None = Field(None, gt=0, max_digits=14, decimal_places=3)
    periods: int | None = Field(None, ge=1, le=600)
    cadence: str | None = Field(None, max_length=10)
    obligation_months: int = Field(0, ge=0, le=600)


@router.post(
    "/talents/{uuid:talent_id}/awards", response={201: PayoutAwardOut}, openapi_extra=api_access("scoped")
)
def payouts_award(request: AuthedRequest, talent_id: uuid.UUID, payload: PayoutAwardIn) -> object:
    """Confirm a benefit as an award: what the payload leaves out, the policy's formula gives."""
    require_perm(request.user, PayoutPerm.MANAGE)
    person = talent_get(viewer=request.user, talent_id=talent_id)
    policy = Policy.objects.filter(code=payload.policy, status="published").first()
    if policy is None:
        raise ValidationFailed(fields={"policy": [_("No published policy has this code.")]})
    proposed = services.proposed_award(policy, talent=person, on=timezone.localdate())
    period_amount = payload.period_amount or proposed.get("period_amount")
    if period_amount is None:
        raise ValidationFailed(fields={"period_amount": [_("The formula gives no amount: give one.")]})
    award = services.award_make(
        actor=request.user,
        policy=policy,
        talent=person,
        source="sweep",
        period_amount=period_amount,
        periods=payload.periods or proposed.get("periods", 1),
        cadence=payload.cadence or proposed.get("cadence", "once"),
        starts=payload.starts,
        payee_account=payload.payee_account,
        obligation_months=payload.obligation_months,
        service_start=payload.starts if payload.obligation_months else None,
        snapshot=proposed.get("snapshot", {}),
    )
    return Status(201, _award(Award.objects.select_related("policy").get(pk=award.pk)))


class PayoutMilestoneIn(Schema):
    due_on: date


@router.post(
    "/awards/{uuid:award_id}/lines/{key}/milestone",
    response=PayoutAwardOut,
    openapi_extra=api_access("scoped"),
)
def payouts_milestone(
    request: AuthedRequest, award_id: uuid.UUID, key: str, payload: PayoutMilestoneIn
) -> object:
    """The office confirms the milestone an instalment waits for: the line becomes due by ``due_on``."""
    award = selectors.award_get(viewer=request.user, award_id=award_id)
    line = award.lines.filter(key=key).first()
    if line is None:
        raise NotFound()
    services.milestone_confirm(actor=request.user, line=line, due_on=payload.due_on)
    return _award(Award.objects.select_related("policy", "budget_line").get(pk=award.pk))


class PayoutBudgetLineOut(Schema):
    policy_code: str
    fiscal_year: int
    department: str
    amount: Decimal
    committed_unpaid: Decimal
    paid: Decimal
    available: Decimal
    recovery_due: Decimal
    recovered: Decimal
    closed: bool


@router.get("/budget", response=list[PayoutBudgetLineOut], openapi_extra=api_access("scoped"))
def payouts_budget(request: HttpRequest) -> object:
    return [_budget_row(f) for f in selectors.budget(viewer=request.user)]


def _budget_row(f: Any) -> dict[str, object]:
    return {
        "policy_code": f.line.policy_code,
        "fiscal_year": f.line.fiscal_year,
        "department": f.line.department.code,
        "amount": f.line.amount,
        "committed_unpaid": f.committed,
        "paid": f.paid,
        "available": f.available,
        "recovery_due": f.recovery_due,
        "recovered": f.recovered,
        "closed": f.line.closed,
    }


class PayoutBatchOut(Schema):
    id: int
    number: str
    due_by: date
    state: str
    revision: int
    lines: int

    @staticmethod
    def resolve_lines(obj: object) -> int:
        return obj.lines.count()  # type: ignore[attr-defined]


@router.get("/batches", response=list[PayoutBatchOut], openapi_extra=api_access("scoped"))
def payouts_batches(request: HttpRequest) -> object:
    return list(selectors.batches(viewer=request.user)[:200])


class PayoutDraftIn(Schema):
    due_by: date


@router.post("/batches", response={201: PayoutBatchOut}, openapi_extra=api_access("scoped"))
def payouts_batch_draft(request: AuthedRequest, payload: PayoutDraftIn) -> object:
    return Status(201, batch_services.batch_draft(actor=request.user, due_by=payload.due_by))


class PayoutMoveIn(Schema):
    action: str = Field(..., max_length=20)
    expected_revision: int | None = None
    return_file: str | None = Field(None, max_length=20 * 1024 * 1024)


@router.post("/batches/{int:batch_id}/moves", response=PayoutBatchOut, openapi_extra=api_access("scoped"))
def payouts_batch_move(request: AuthedRequest, batch_id: int, payload: PayoutMoveIn) -> object:
    batch = selectors.batch_get(viewer=request.user, batch_id=batch_id)
    extra = {"return_file": payload.return_file} if payload.return_file is not None else {}
    return batch_services.batch_move(
        actor=request.user,
        batch=batch,
        action=payload.action,
        expected_revision=payload.expected_revision,
        **extra,
    )


class PayoutFileOut(Schema):
    name: str
    kind: str
    sha: str
    content: str


@router.get(
    "/batches/{int:batch_id}/files/{kind}", response=PayoutFileOut, openapi_extra=api_access("scoped")
)
def payouts_batch_file(request: AuthedRequest, batch_id: int, kind: str) -> object:
    batch = selectors.batch_get(viewer=request.user, batch_id=batch_id)
    if kind not in FileKind.values:
        raise NotFound()
    pii_api_door(request)
    return batch_services.bank_file_read(actor=request.user, batch=batch, kind=kind, fresh=True)


# --- an enterprise's own awards ---------------------------------------------------------------------------


@router.get("/enterprise/me", response=list[PayoutAwardOut], openapi_extra=api_access("own"))
def payouts_enterprise_mine(request: HttpRequest) -> object:
    """What the enterprise the account acts for was awarded, paid, failed, suspended, and recoveries due."""
    return [_award(a) for a in selectors.enterprise_awards(viewer=request.user)[1]]


# --- the payee: ask to resume, change the account --------------------------------------------------------


@router.post("/me/{uuid:award_id}/resume-request", response=PayoutAwardOut, openapi_extra=api_access("own"))
def payouts_resume_request(request: AuthedRequest, award_id: uuid.UUID) -> object:
    award = selectors.own_award(viewer=request.user, award_id=award_id)
    services.award_resume_request(actor=request.user, award=award)
    return _award(selectors.own_award(viewer=request.user, award_id=award_id))


class PayoutOwnAccountIn(Schema):
    payee_account: str = Field(..., max_length=40)


@router.post("/me/{uuid:award_id}/account", response=PayoutAwardOut, openapi_extra=api_access("own"))
def payouts_own_account(request: AuthedRequest, award_id: uuid.UUID, payload: PayoutOwnAccountIn) -> object:
    """The payee changes the account after a fresh step-up (``POST /auth/step-up``); a second person checks
    the new account before the next payment."""
    award = selectors.own_award(viewer=request.user, award_id=award_id)
    if not step_up_fresh(request):
        raise StepUpRequired()
    services.payee_account_change(actor=request.user, award=award, account=payload.payee_account, fresh=True)
    return _award(selectors.own_award(viewer=request.user, award_id=award_id))


# --- the office on one award: resume, payee, recovery, returned and re-issued lines -----------------------


@router.get("/awards/{uuid:award_id}", response=PayoutAwardOut, openapi_extra=api_access("scoped"))
def payouts_award_get(request: AuthedRequest, award_id: uuid.UUID) -> object:
    return _award(selectors.award_get(viewer=request.user, award_id=award_id))


class PayoutResumeIn(Schema):
    eligible_from: date


@router.post("/awards/{uuid:award_id}/resume", response=PayoutAwardOut, openapi_extra=api_access("scoped"))
def payouts_resume(request: AuthedRequest, award_id: uuid.UUID, payload: PayoutResumeIn) -> object:
    award = selectors.award_get(viewer=request.user, award_id=award_id)
    services.award_resume(actor=request.user, award=award, eligible_from=payload.eligible_from)
    return _award(selectors.award_get(viewer=request.user, award_id=award_id))


class PayoutPayeeIn(Schema):
    payee_account: str = Field(..., max_length=40)
    reason: str = Field(..., max_length=200)


@router.post("/awards/{uuid:award_id}/payee", response=PayoutAwardOut, openapi_extra=api_access("scoped"))
def payouts_payee_change(request: AuthedRequest, award_id: uuid.UUID, payload: PayoutPayeeIn) -> object:
    award = selectors.award_get(viewer=request.user, award_id=award_id)
    services.payee_account_change(
        actor=request.user, award=award, account=payload.payee_account, fresh=False, reason=payload.reason
    )
    return _award(selectors.award_get(viewer=request.user, award_id=award_id))


@router.post(
    "/awards/{uuid:award_id}/payee/check", response=PayoutAwardOut, openapi_extra=api_access("scoped")
)
def payouts_payee_check(request: AuthedRequest, award_id: uuid.UUID) -> object:
    award = selectors.award_get(viewer=request.user, award_id=award_id)
    services.payee_change_check(actor=request.user, award=award)
    return _award(selectors.award_get(viewer=request.user, award_id=award_id))


class PayoutRecoveryIn(Schema):
    reason: str = Field(..., max_length=12)
    departed_on: date | None = None
    instalments: int = Field(1, ge=1, le=120)
    bar_until: date | None = None


class PayoutInstalmentOut(Schema):
    number: int
    due_on: date
    amount: Decimal
    covered: Decimal
    state: str


class PayoutRecoveryPlanOut(Schema):
    id: int
    reason: str
    amount: Decimal
    received: Decimal
    written_off: Decimal
    status: str
    overdue: Decimal
    plan: list[PayoutInstalmentOut]


def _recovery(r: Any) -> dict[str, object]:
    rows = office.plan_rows(r)
    return {
        "id": r.pk,
        "reason": r.reason,
        "amount": r.amount,
        "received": r.received,
        "written_off": r.written_off,
        "status": r.status,
        "overdue": sum((x.amount - x.covered for x in rows if x.state == "overdue"), Decimal("0.00")),
        "plan": [x.__dict__ for x in rows],
    }


def _open_recovery(award: Award) -> Any:
    found = award.recoveries.filter(status=RecoveryStatus.OPEN).order_by("-created_at").first()
    if found is None:
        raise Conflict(_("No recovery is open on this award."))
    return found


@router.post(
    "/awards/{uuid:award_id}/recovery",
    response={201: PayoutRecoveryPlanOut},
    openapi_extra=api_access("scoped"),
)
def payouts_recovery_raise(request: AuthedRequest, award_id: uuid.UUID, payload: PayoutRecoveryIn) -> object:
    award = selectors.award_get(viewer=request.user, award_id=award_id)
    recovery = services.recovery_raise(actor=request.user, award=award, **payload.dict())
    return Status(201, _recovery(recovery))


@router.get(
    "/awards/{uuid:award_id}/recovery",
    response=list[PayoutRecoveryPlanOut],
    openapi_extra=api_access("scoped"),
)
def payouts_recoveries(request: AuthedRequest, award_id: uuid.UUID) -> object:
    award = selectors.award_get(viewer=request.user, award_id=award_id)
    return [_recovery(r) for r in award.recoveries.prefetch_related("plan").order_by("created_at")]


class PayoutAmountIn(Schema):
    amount: Decimal = Field(..., gt=0, max_digits=14, decimal_places=2)


@router.post(
    "/awards/{uuid:award_id}/recovery/receipts",
    response=PayoutRecoveryPlanOut,
    openapi_extra=api_access("scoped"),
)
def payouts_recovery_receive(request: AuthedRequest, award_id: uuid.UUID, payload: PayoutAmountIn) -> object:
    award = selectors.award_get(viewer=request.user, award_id=award_id)
    return _recovery(
        services.recovery_receive(actor=request.user, recovery=_open_recovery(award), amount=payload.amount)
    )


@router.post(
    "/awards/{uuid:award_id}/recovery/write-offs",
    response=PayoutRecoveryPlanOut,
    openapi_extra=api_access("scoped"),
)
def payouts_recovery_write_off(
    request: AuthedRequest, award_id: uuid.UUID, payload: PayoutAmountIn
) -> object:
    award = selectors.award_get(viewer=request.user, award_id=award_id)
    return _recovery(
        services.recovery_write_off(actor=request.user, recovery=_open_recovery(award), amount=payload.amount)
    )


class PayoutPlanIn(Schema):
    first_due: date
    instalments: int = Field(..., ge=1, le=120)


@router.post(
    "/awards/{uuid:award_id}/recovery/plan",
    response=PayoutRecoveryPlanOut,
    openapi_extra=api_access("scoped"),
)
def payouts_recovery_plan(request: AuthedRequest, award_id: uuid.UUID, payload: PayoutPlanIn) -> object:
    award = selectors.award_get(viewer=request.user, award_id=award_id)
    recovery = office.recovery_plan_set(
        actor=request.user,
        recovery=_open_recovery(award),
        first_due=payload.first_due,
        instalments=payload.instalments,
    )
    return _recovery(recovery)


class PayoutReturnedIn(Schema):
    note: str = Field("", max_length=200)


def _line(award: Award, key: str) -> Any:
    found = award.lines.filter(key=key).first()
    if found is None:
        raise NotFound()
    return found


@router.post(
    "/batches/{int:batch_id}/lines/{key}/returned", response=PayoutLineOut, openapi_extra=api_access("scoped")
)
def payouts_line_returned(
    request: AuthedRequest, batch_id: int, key: str, payload: PayoutReturnedIn
) -> object:
    """退汇: the bank returns a payment of this batch it reported paid (finance); the posting is reversed and
    the line re-issued (the answer: the new line)."""
    batch = selectors.batch_get(viewer=request.user, batch_id=batch_id)
    line = selectors.batch_lines(batch).filter(key=key).first()
    if line is None:
        raise NotFound()
    return services.line_returned(actor=request.user, line=line, note=payload.note)


@router.post(
    "/awards/{uuid:award_id}/lines/{key}/reissue", response=PayoutLineOut, openapi_extra=api_access("scoped")
)
def payouts_line_reissue(request: AuthedRequest, award_id: uuid.UUID, key: str) -> object:
    award = selectors.award_get(viewer=request.user, award_id=award_id)
    return services.line_reissue(actor=request.user, line=_line(award, key))


# --- 免申即享 grants confirmed as awards, many at once ----------------------------------------------------


class PayoutPendingOut(Schema):
    talent_id: uuid.UUID
    name: str
    period_amount: Decimal | None
    periods: int | None
    cadence: str | None
    total: Decimal
    account_on_record: bool


def _money_policy(code: str) -> Policy:
    policy = Policy.objects.filter(code=code, status="published").first()
    if policy is None or policy.benefit.get("kind") != "money":
        raise ValidationFailed(fields={"policy": [_("No published money policy has this code.")]})
    return policy


@router.get("/grants", response=list[PayoutPendingOut], openapi_extra=api_access("scoped"))
def payouts_grants(request: AuthedRequest, policy: str) -> object:
    """Who in the viewer's scope the newest sweep granted ``policy`` (verified facts) with no award yet."""
    require_perm(request.user, PayoutPerm.MANAGE)
    return [
        {
            "talent_id": p.talent.pk,
            "name": p.talent.name,
            "period_amount": p.proposed.get("period_amount"),
            "periods": p.proposed.get("periods"),
            "cadence": p.proposed.get("cadence"),
            "total": p.total,
            "account_on_record": bool(p.account),
        }
        for p in office.grants_pending(viewer=request.user, policy=_money_policy(policy))
    ]


class PayoutConfirmIn(Schema):
    policy: str = Field(..., max_length=60)
    starts: date
    talents: list[uuid.UUID] = Field(default_factory=list, max_length=100_000)
    everyone: bool = False


class PayoutRefusedOut(Schema):
    talent_id: str
    name: str
    reason: str


class PayoutConfirmedOut(Schema):
    made: int
    total: Decimal
    awards: list[uuid.UUID]
    refused: list[PayoutRefusedOut]


@router.post("/grants/confirm", response=PayoutConfirmedOut, openapi_extra=api_access("scoped"))
def payouts_grants_confirm(request: AuthedRequest, payload: PayoutConfirmIn) -> object:
    """The department's confirmation of many grants: each an award in its own transaction; the refused are
    listed per person with the reason (e.g. the budget line ran out)."""
    require_perm(request.user, PayoutPerm.MANAGE)
    policy = _money_policy(payload.policy)
    ids: list[Any] = list(payload.talents)
    if payload.everyone:
        ids = [p.talent.pk for p in office.grants_pending(viewer=request.user, policy=policy, limit=100_000)]
    done = office.grants_confirm(actor=request.user, policy=policy, talent_ids=ids, starts=payload.starts)
    return {
        "made": len(done.made),
        "total": done.total,
        "awards": [a.pk for a in done.made],
        "refused": [{"talent_id": pk, "name": name, "reason": why} for pk, name, why in done.refused],
    }


# --- budget lines: changes with approval, the year's close ------------------------------------------------


class PayoutBudgetChangeIn(Schema):
    policy_code: str = Field(..., max_length=60, pattern=r"^[-a-zA-Z0-9_]+$")
    fiscal_year: int = Field(..., ge=2000, le=2100)
    amount: Decimal = Field(..., ge=0, max_digits=16, decimal_places=2)
    reason: str = Field(..., max_length=200)


class PayoutBudgetChangeOut(Schema):
    id: int
    policy_code: str
    fiscal_year: int
    amount: Decimal
    reason: str
    status: str


@router.get("/budget/changes", response=list[PayoutBudgetChangeOut], openapi_extra=api_access("scoped"))
def payouts_budget_changes(request: AuthedRequest) -> object:
    return list(selectors.budget_changes(viewer=request.user)[:200])


@router.post("/budget/changes", response={201: PayoutBudgetChangeOut}, openapi_extra=api_access("scoped"))
def payouts_budget_change(request: AuthedRequest, payload: PayoutBudgetChangeIn) -> object:
    """Ask to open, raise or lower a budget line; it takes effect when a second person approves it."""
    change = office.budget_change_request(actor=request.user, department=request.user.unit, **payload.dict())
    return Status(201, change)


class PayoutDecisionIn(Schema):
    approve: bool


@router.post(
    "/budget/{code}/{int:year}/changes/decision",
    response=PayoutBudgetChangeOut,
    openapi_extra=api_access("scoped"),
)
def payouts_budget_decide(request: AuthedRequest, code: str, year: int, payload: PayoutDecisionIn) -> object:
    change = selectors.budget_change_pending(viewer=request.user, policy_code=code, fiscal_year=year)
    return office.budget_change_decide(actor=request.user, change=change, approve=payload.approve)


class PayoutCloseIn(Schema):
    carry_over: bool


@router.post(
    "/budget/{code}/{int:year}/close", response=PayoutBudgetLineOut, openapi_extra=api_access("scoped")
)
def payouts_year_close(request: AuthedRequest, code: str, year: int, payload: PayoutCloseIn) -> object:
    """Close the fiscal year: the uncommitted lapses; the committed but unpaid carries over or is released."""
    line = selectors.budget_line_get(viewer=request.user, policy_code=code, fiscal_year=year)
    services.budget_year_close(actor=request.user, line=line, carry_over=payload.carry_over)
    return next(_budget_row(f) for f in selectors.budget(viewer=request.user) if f.line.pk == line.pk)
