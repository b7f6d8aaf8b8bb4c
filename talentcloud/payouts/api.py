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
from talentcloud.accounts.types import AuthedRequest
from talentcloud.common.access import api_access
from talentcloud.common.errors import NotFound, ValidationFailed
from talentcloud.policies.models import Policy
from talentcloud.privacy.masking import mask_bank_account
from talentcloud.privacy.services import pii_api_door
from talentcloud.talents.selectors import talent_get

from . import batches as batch_services
from . import selectors, services
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
    return [
        {
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
        for f in selectors.budget(viewer=request.user)
    ]


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
