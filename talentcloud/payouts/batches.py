"""Payment batches: drafting the due lines, and the effects of the batch table's moves (``workflow.BATCHES``).

A line joins at most one batch: drafting claims lines by one conditional UPDATE (``status = due AND batch IS
NULL``), so two drafts never share a line, and the key on the line is unique in the database — a line can
never be in two bank files. Export and return import each run inside the engine's one transaction: a process
killed midway (kill -9) leaves the batch as it was, and the rerun does it all (ADR 0024)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from talentcloud.accounts.permissions import require_perm
from talentcloud.audit.services import audit_record
from talentcloud.common.crypto import sm3_hex
from talentcloud.common.errors import Conflict, PermissionDenied, ValidationFailed
from talentcloud.notifications.services import notify
from talentcloud.policies.models import Policy
from talentcloud.workflow.engine import transition
from talentcloud.workflow.tables import Step

from . import ledger
from .bankfiles import FAILED, GENERIC, PAID, BankRow, ReturnRow
from .enums import Account, AwardStatus, BatchState, EntryKind, LineStatus
from .models import Award, BankFile, Batch, BatchEvent, FileKind, PayoutLine, Posting
from .permissions import PayoutPerm
from .services import awards_suspend, failing_in_batch
from .workflow import BATCHES


def batch_draft(*, actor: Any, due_by: dt.date) -> Batch:
    """A batch of every line due by ``due_by`` of an award that is paying, whose account is confirmed."""
    require_perm(actor, PayoutPerm.MANAGE)
    with transaction.atomic():
        batch = Batch.objects.create(number=f"PB{uuid.uuid4().hex[:10].upper()}", due_by=due_by, maker=actor)
        claimed = PayoutLine.objects.filter(
            status=LineStatus.DUE,
            batch__isnull=True,
            pays_on__lte=due_by,
            award__status=AwardStatus.ACTIVE,
            award__payee_confirmed=True,
        ).update(batch=batch, status=LineStatus.BATCHED)
        if not claimed:
            raise ValidationFailed(fields={"due_by": [_("No line is due by this day.")]})
        BatchEvent.objects.create(
            batch=batch,
            at=timezone.now(),
            actor=actor,
            action="draft",
            from_state="",
            to_state=BatchState.DRAFT,
        )
        audit_record(
            actor=actor,
            action="payouts.batch_draft",
            object_type="batch",
            object_id=batch.pk,
            details={"number": batch.number, "lines": claimed, "due_by": due_by.isoformat()},
        )
    return batch


def batch_move(
    *, actor: Any, batch: Batch, action: str, expected_revision: int | None = None, **payload: Any
) -> Batch:
    moved: Batch = transition(
        BATCHES, actor=actor, obj=batch, action=action, expected_revision=expected_revision, **payload
    )
    return moved


# --- effects -----------------------------------------------------------------------------------------------


@BATCHES.after("recheck")
def _recheck(step: Step) -> None:
    """Every line's continuing conditions as of the month it pays for, set-based: per policy and month of
    the batch, the database finds the payees who fail and what failed (``services.failing_in_batch``: no
    line is read into Python). A failure suspends the award from its first failing month and takes its
    lines from that month on out of the batch (one update per month); the suspensions are recorded and the
    payees told in bulk (``services.awards_suspend``)."""
    batch = step.obj
    groups = (
        PayoutLine.objects.filter(batch=batch)
        .values_list("award__policy_id", "period")
        .distinct()
        .order_by("period", "award__policy_id")
    )
    # A programme's award has no policy and so no continuing conditions of one (ADR 0030).
    pairs = [pair for pair in groups if pair[0] is not None]
    policies = {p.pk: p for p in Policy.objects.filter(pk__in={policy_id for policy_id, _period in pairs})}
    found: dict[Any, tuple[dt.date, list[str]]] = {}
    for policy_id, period in pairs:  # by month: an award's first failing month is found first
        for award_id, reasons in failing_in_batch(policies[policy_id], batch.pk, period).items():
            found.setdefault(award_id, (period, reasons))
    by_month: dict[dt.date, list[Any]] = defaultdict(list)
    for award_id, (period, _reasons) in found.items():
        by_month[period].append(award_id)
    for period, ids in by_month.items():
        PayoutLine.objects.filter(batch=batch, award_id__in=ids, period__gte=period).update(
            batch=None, status=LineStatus.DUE
        )
    awards_suspend(actor=step.actor, found=found)


@BATCHES.before("check")
def _checker(step: Step) -> dict[str, Any]:
    return {"checker": step.actor}


@BATCHES.before("approve")
def _approver(step: Step) -> dict[str, Any]:
    return {"approver": step.actor}


def _payee_name(award: Award) -> str:
    return award.talent.name if award.talent is not None else str(award.enterprise)


@BATCHES.after("export")
def _export(step: Step) -> None:
    """The bank file: one row per line, its key first; stored encrypted; the lines are sent."""
    batch = step.obj
    lines = list(
        PayoutLine.objects.filter(batch=batch, status=LineStatus.BATCHED)
        .select_related("award__talent", "award__enterprise", "award__policy", "award__budget_line")
        .order_by("pk")
    )
    if not lines:
        raise Conflict(_("The batch has no line left to pay."))
    rows = [
        BankRow(
            key=line.key,
            payee=_payee_name(line.award),
            account=line.award.payee_account,
            amount=line.amount,
            policy=line.award.policy.code
            if line.award.policy is not None
            else line.award.budget_line.policy_code,
            period=f"{line.period:%Y-%m}",
        )
        for line in lines
    ]
    content = GENERIC.write(rows)
    BankFile.objects.create(
        batch=batch,
        kind=FileKind.BANK,
        name=f"{batch.number}.csv",
        content=content,
        sha=sm3_hex(content.encode()),
    )
    PayoutLine.objects.filter(batch=batch, status=LineStatus.BATCHED).update(status=LineStatus.EXPORTED)


@BATCHES.before("import_return")
def _read_return(step: Step) -> dict[str, Any]:
    """Every row names a line of this batch once, and every line sent has its row: else nothing is applied
    and each problem names its row."""
    batch = step.obj
    rows: list[ReturnRow] = GENERIC.read(step.payload["return_file"])
    sent = set(
        PayoutLine.objects.filter(batch=batch, status=LineStatus.EXPORTED).values_list("key", flat=True)
    )
    problems: list[Any] = [
        _("Row %(row)s: %(key)s is not a line of this batch.") % {"row": r.number, "key": r.key}
        for r in rows
        if r.key not in sent
    ]
    missing = sent - {r.key for r in rows}
    if missing:
        problems.append(
            _("%(count)s lines of the batch have no row, e.g. %(key)s.")
            % {"count": len(missing), "key": min(missing)}
        )
    if problems:
        raise ValidationFailed(fields={"return_file": problems})
    step.payload["rows"] = rows
    return {"reconciled_at": timezone.now()}


@BATCHES.after("import_return")
def _apply_return(step: Step) -> None:
    batch = step.obj
    rows: list[ReturnRow] = step.payload["rows"]
    today = timezone.localdate()
    status = {r.key: r for r in rows}
    lines = list(
        PayoutLine.objects.filter(batch=batch, status=LineStatus.EXPORTED).select_related(
            "award__budget_line", "award__policy", "award__talent__account"
        )
    )
    paid = [line for line in lines if status[line.key].status == PAID]
    failed = [line for line in lines if status[line.key].status == FAILED]
    for start in range(0, len(paid), 5000):
        PayoutLine.objects.filter(pk__in=[line.pk for line in paid[start : start + 5000]]).update(
            status=LineStatus.PAID, paid_on=today
        )
    for line in failed:
        PayoutLine.objects.filter(pk=line.pk).update(
            status=LineStatus.FAILED, bank_note=status[line.key].note
        )
    postings: list[Posting] = []
    for line in paid:
        entry = uuid.uuid4()
        budget = line.award.budget_line
        for account, amount in ((Account.COMMITTED, -line.amount), (Account.PAID, line.amount)):
            postings.append(
                Posting(
                    entry=entry,
                    kind=EntryKind.PAY,
                    account=account,
                    amount=amount,
                    budget_line=budget,
                    department_id=budget.department_id,
                    policy_code=budget.policy_code,
                    month=today.replace(day=1),
                    award=line.award,
                    line=line,
                )
            )
    ledger.post_many(postings)
    BankFile.objects.create(
        batch=batch,
        kind=FileKind.RETURN,
        name=f"{batch.number}-return.csv",
        content=step.payload["return_file"],
        sha=sm3_hex(step.payload["return_file"].encode()),
    )
    for line in failed:
        recipient = line.award.talent.account if line.award.talent is not None else None
        if recipient is not None:
            notify(
                recipient=recipient,
                event="payouts.failed",
                params={
                    "policy": line.award.basis,
                    "amount": f"{line.amount:.2f}",
                    "period": f"{line.period:%Y-%m}",
                    "note": status[line.key].note,
                },
                url="/payouts/me/",
            )


def bank_file_read(*, actor: Any, batch: Batch, kind: str, fresh: bool) -> BankFile:
    """A bank or return file in clear, for finance staff after a fresh password or TOTP check; every download
    is audited (the file's SM3, never its content)."""
    require_perm(actor, PayoutPerm.FILES)
    if not fresh:
        raise PermissionDenied(_("Confirm your password or one-time code first."))
    found = BankFile.objects.filter(batch=batch, kind=kind).first()
    if found is None:
        raise Conflict(_("This file is not there (not yet made, or deleted after reconciliation)."))
    audit_record(
        actor=actor,
        action="payouts.file_download",
        object_type="batch",
        object_id=batch.pk,
        details={"kind": kind, "sha": found.sha},
    )
    return found


__all__ = ["bank_file_read", "batch_draft", "batch_move"]
