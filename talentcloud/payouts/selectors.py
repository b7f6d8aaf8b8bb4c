"""The payout ledger's reads, each for a viewer: a payee's own awards, the office's budget lines with their
ledger figures, batches and their lines (finance and the office)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet

from talentcloud.accounts.permissions import require_perm
from talentcloud.accounts.scope import scope_queryset
from talentcloud.common.errors import NotFound
from talentcloud.enterprises.selectors import enterprise_own
from talentcloud.talents.selectors import talent_own_archive

from . import ledger
from .enums import Account
from .models import Award, Batch, BudgetChange, BudgetChangeStatus, BudgetLine, PayoutLine
from .permissions import PayoutPerm


def own_awards(*, viewer: Any) -> list[Award]:
    """The signed-in talent's awards with their lines and recoveries (empty with no archive)."""
    talent = talent_own_archive(viewer=viewer, related=False)
    if talent is None:
        return []
    return list(
        Award.objects.filter(talent=talent)
        .select_related("policy", "budget_line")
        .prefetch_related("lines", "recoveries__plan")
        .order_by("-starts")
    )


def own_award(*, viewer: Any, award_id: Any) -> Award:
    for award in own_awards(viewer=viewer):
        if award.pk == award_id:
            return award
    raise NotFound()


@dataclass(frozen=True)
class LineFigures:
    line: BudgetLine
    available: Decimal
    committed: Decimal
    paid: Decimal
    recovery_due: Decimal
    recovered: Decimal


def budget(*, viewer: Any) -> list[LineFigures]:
    """Every budget line with what the ledger says of it (one grouped query for all lines)."""
    require_perm(viewer, PayoutPerm.VIEW)
    figures = ledger.balances("budget_line")
    out = []
    for line in BudgetLine.objects.select_related("department"):
        f = figures.get((line.pk,), {})
        zero = Decimal("0.00")
        out.append(
            LineFigures(
                line,
                f.get(Account.AVAILABLE, zero),
                f.get(Account.COMMITTED, zero),
                f.get(Account.PAID, zero),
                f.get(Account.RECEIVABLE, zero),
                f.get(Account.RECOVERED, zero),
            )
        )
    return out


def batches(*, viewer: Any) -> QuerySet[Batch]:
    require_perm(viewer, PayoutPerm.VIEW)
    return Batch.objects.select_related("maker", "checker", "approver").order_by("-created_at")


def batch_get(*, viewer: Any, batch_id: int) -> Batch:
    require_perm(viewer, PayoutPerm.VIEW)
    found = batches(viewer=viewer).filter(pk=batch_id).first()
    if found is None:
        raise NotFound()
    return found


def batch_lines(batch: Batch) -> QuerySet[PayoutLine]:
    return PayoutLine.objects.filter(batch=batch).select_related(
        "award__talent", "award__enterprise", "award__policy"
    )


def award_get(*, viewer: Any, award_id: Any) -> Award:
    """An award in the viewer's data scope (its talent's), for holders of ``payouts.view``."""
    require_perm(viewer, PayoutPerm.VIEW)
    found = (
        scope_queryset(Award.objects.all(), viewer)
        .select_related("policy", "talent", "enterprise", "budget_line")
        .filter(pk=award_id)
        .first()
    )
    if found is None:
        raise NotFound()
    return found


def enterprise_awards(*, viewer: Any) -> tuple[Any, list[Award]]:
    """The awards of the enterprise the signed-in account acts for (its confirmed membership), with lines
    and recoveries: (the enterprise or None, its awards)."""
    firm = enterprise_own(viewer=viewer)
    if firm is None:
        return None, []
    awards = list(
        Award.objects.filter(enterprise=firm)
        .select_related("policy")
        .prefetch_related("lines", "recoveries__plan")
        .order_by("-starts")
    )
    return firm, awards


def enterprise_award(*, viewer: Any, award_id: Any) -> Award:
    for award in enterprise_awards(viewer=viewer)[1]:
        if award.pk == award_id:
            return award
    raise NotFound()


def awards(*, viewer: Any) -> QuerySet[Award]:
    """The awards in the viewer's data scope (their talent's unit), for holders of ``payouts.view``."""
    require_perm(viewer, PayoutPerm.VIEW)
    return scope_queryset(Award.objects.all(), viewer).select_related(
        "policy", "talent", "enterprise", "budget_line"
    )


def budget_line_get(*, viewer: Any, policy_code: str, fiscal_year: int) -> BudgetLine:
    require_perm(viewer, PayoutPerm.VIEW)
    found = (
        scope_queryset(BudgetLine.objects.all(), viewer)
        .filter(policy_code=policy_code, fiscal_year=fiscal_year)
        .select_related("department")
        .first()
    )
    if found is None:
        raise NotFound()
    return found


def budget_changes(*, viewer: Any) -> QuerySet[BudgetChange]:
    require_perm(viewer, PayoutPerm.VIEW)
    return BudgetChange.objects.select_related("department", "requested_by", "decided_by").order_by(
        "-requested_at"
    )


def budget_change_pending(*, viewer: Any, policy_code: str, fiscal_year: int) -> BudgetChange:
    found = (
        budget_changes(viewer=viewer)
        .filter(policy_code=policy_code, fiscal_year=fiscal_year, status=BudgetChangeStatus.PENDING)
        .first()
    )
    if found is None:
        raise NotFound()
    return found


def ledger_rows(*, viewer: Any) -> list[tuple[Any, ...]]:
    """The ledger's figures per budget line, department, policy and month: each account's sum (one grouped
    query), for the export."""
    require_perm(viewer, PayoutPerm.VIEW)
    figures = ledger.balances("budget_line", "month")
    lines = {line.pk: line for line in BudgetLine.objects.select_related("department")}
    rows = []
    for (line_id, month), accounts in sorted(
        figures.items(), key=lambda item: (str(lines[item[0][0]]), item[0][1])
    ):
        line = lines[line_id]
        rows.append(
            (
                line.policy_code,
                line.fiscal_year,
                line.department.name,
                month,
                *(accounts.get(account, Decimal("0.00")) for account in Account.values),
            )
        )
    return rows
