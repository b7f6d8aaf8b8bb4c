"""The payment batch's table on the shared workflow engine (ADR 0012, ADR 0024).

draft → recheck (the maker: every line's continuing conditions judged as of the month it pays for) →
check (a second person: the maker may not) → approve (finance) → export (finance: the bank file) →
import_return (finance: the bank's return; lines paid or failed). Each move is one transaction with its
timeline row and its audit event; the effects live in ``batches.py``."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from talentcloud.accounts.permissions import has_perm
from talentcloud.workflow.tables import Texts, Workflow, row

from .enums import BatchState as S
from .models import Batch, BatchEvent
from .permissions import PayoutPerm

MAKER, CHECKER, FINANCE, SYSTEM = "maker", "checker", "finance", "system"

TABLE = (
    row("recheck", S.DRAFT, S.RECHECKED, {MAKER, SYSTEM}, _("Re-check eligibility")),
    row("check", S.RECHECKED, S.CHECKED, {CHECKER}, _("Check the batch")),
    row("approve", S.CHECKED, S.APPROVED, {FINANCE}, pgettext_lazy("payment batch", "Approve")),
    row("export", S.APPROVED, S.EXPORTED, {FINANCE}, _("Export the bank file")),
    row(
        "import_return",
        S.EXPORTED,
        S.RETURNED,
        {FINANCE},
        _("Import the bank's return"),
        needs=("return_file",),
    ),
)


def roles_on(actor: Any, batch: Batch) -> set[str]:
    """The maker drafted it; a checker holds ``payouts.check`` and is not the maker; finance holds
    ``payouts.approve`` and neither made nor checked it."""
    if actor is None:
        return {SYSTEM}
    roles: set[str] = set()
    if actor.pk == batch.maker_id:
        roles.add(MAKER)
    elif has_perm(actor, PayoutPerm.CHECK):
        roles.add(CHECKER)
    if has_perm(actor, PayoutPerm.APPROVE) and actor.pk not in (batch.maker_id, batch.checker_id):
        roles.add(FINANCE)
    return roles


def _timeline(batch: Batch, *, actor: Any, action: str, source: str, target: str, note: Any) -> BatchEvent:
    return BatchEvent(
        batch=batch,
        at=timezone.now(),
        actor=actor,
        action=action,
        from_state=source,
        to_state=target,
        note=str(note or ""),
    )


BATCHES = Workflow(
    name="payout_batch",
    model=Batch,
    table=TABLE,
    roles_of=roles_on,
    timeline=_timeline,
    audit_object="batch",
    audit_details=lambda batch: {"number": batch.number},
    stamp_field="updated_at",
    system_role=SYSTEM,
    initial=S.DRAFT,
    texts=Texts(
        not_allowed=_("“%(action)s” is not possible while the batch is “%(state)s”."),
        denied=_("You may not do this on this batch (the maker cannot check their own batch)."),
    ),
    action_labels={t.action: t.label for t in TABLE},
    effects_module="talentcloud.payouts.batches",
)
