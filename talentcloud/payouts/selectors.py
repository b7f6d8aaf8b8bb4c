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
from talentcloud.talents.selectors import talent_own_archive

from . import ledger
from .enums import Account
from .models import Award, Batch, BudgetLine, PayoutLine
from .permissions import PayoutPerm


def own_awards(*, viewer: Any) -> list[Award]:
    """The signed-in talent's awards with their lines and recoveries (empty with no archive)."""
    talent = talent_own_archive(viewer=viewer, related=False)
    if talent is None:
        return []
    return list(
        Award.objects.filter(talent=talent)
        .select_related("policy", "budget_line")
        .prefetch_related("lines", "recoveries")
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
