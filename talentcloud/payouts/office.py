"""The office's writes beside the ledger's core (``services.py``): budget changes with a second person's
approval, the department's confirmation of many 免申即享 grants at once, and recovery instalment plans.
Each service takes ``actor=``, writes its audit event in its transaction and answers bad input by field
(ADR 0028)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import numpy as np
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from talentcloud.accounts.models import OrgUnit
from talentcloud.accounts.permissions import require_perm
from talentcloud.accounts.scope import scope_filter
from talentcloud.audit.services import audit_record
from talentcloud.common.errors import Conflict, PermissionDenied, ValidationFailed
from talentcloud.policies.models import (
    GRANTED,
    STATE_CODES,
    EntitlementStatus,
    Policy,
    SubjectResult,
    SweepResult,
    SweepRun,
    SweepStatus,
)
from talentcloud.talents.models import Talent

from .enums import AwardSource, RecoveryStatus
from .models import (
    Award,
    BudgetChange,
    BudgetChangeStatus,
    BudgetLine,
    Recovery,
    RecoveryInstalment,
)
from .money import fen, plan_split
from .permissions import PayoutPerm
from .services import award_make, budget_line_set, proposed_award

ZERO = Decimal("0.00")

# --- budget changes: requested by the office, approved by a second person --------------------------------


def budget_change_request(
    *,
    actor: Any,
    policy_code: str,
    fiscal_year: int,
    department: OrgUnit | None,
    amount: Decimal,
    reason: str,
) -> BudgetChange:
    """Ask to open a budget line or to raise or lower it. Refused at once when it would go below what is
    committed (checked again when approved); one request waits per line at a time."""
    require_perm(actor, PayoutPerm.MANAGE)
    errors: dict[str, list[Any]] = {}
    try:
        amount = fen(amount)
    except ArithmeticError:
        errors["amount"] = [_("Give an amount in yuan.")]
    else:
        if amount < 0:
            errors["amount"] = [_("The amount cannot be negative.")]
    if not reason.strip():
        errors["reason"] = [_("Say why the budget line changes.")]
    if not 2000 <= fiscal_year <= 2100:
        errors["fiscal_year"] = [_("Give a fiscal year such as 2026.")]
    line = BudgetLine.objects.filter(policy_code=policy_code, fiscal_year=fiscal_year).first()
    if line is None and department is None:
        errors["policy_code"] = [_("A new budget line needs a department: your account has none.")]
    if line is not None and line.closed:
        errors["fiscal_year"] = [_("The budget line is closed for the year.")]
    if line is not None and "amount" not in errors and amount < line.committed:
        errors["amount"] = [
            _("%(committed)s yuan is already committed on this line: it cannot be lower.")
            % {"committed": line.committed}
        ]
    if BudgetChange.objects.filter(
        policy_code=policy_code, fiscal_year=fiscal_year, status=BudgetChangeStatus.PENDING
    ).exists():
        errors["amount"] = [_("A change of this line already waits for approval.")]
    if errors:
        raise ValidationFailed(fields=errors)
    owner = line.department if line is not None else department
    assert owner is not None  # refused above otherwise
    with transaction.atomic():
        change = BudgetChange.objects.create(
            policy_code=policy_code,
            fiscal_year=fiscal_year,
            department=owner,
            amount=amount,
            reason=reason.strip()[:200],
            requested_by=actor,
        )
        audit_record(
            actor=actor,
            action="payouts.budget_request",
            object_type="budget_change",
            object_id=change.pk,
            details={"policy": policy_code, "year": fiscal_year, "amount": str(amount)},
        )
    return change


def budget_change_decide(*, actor: Any, change: BudgetChange, approve: bool) -> BudgetChange:
    """A second person (``payouts.check``, not the requester) approves — the line is set
    (``services.budget_line_set``, never below what is committed) — or refuses the request."""
    require_perm(actor, PayoutPerm.CHECK)
    if change.requested_by_id == actor.pk:
        raise PermissionDenied(_("The person who asked for the change cannot approve it."))
    with transaction.atomic():
        change = BudgetChange.objects.select_for_update().get(pk=change.pk)
        if change.status != BudgetChangeStatus.PENDING:
            raise Conflict(_("This change has been decided already."))
        if approve:
            budget_line_set(
                actor=actor,
                policy_code=change.policy_code,
                fiscal_year=change.fiscal_year,
                department=change.department,
                amount=change.amount,
            )
        change.status = BudgetChangeStatus.APPROVED if approve else BudgetChangeStatus.REFUSED
        change.decided_by = actor
        change.decided_at = timezone.now()
        change.save(update_fields=["status", "decided_by", "decided_at"])
        audit_record(
            actor=actor,
            action="payouts.budget_decide",
            object_type="budget_change",
            object_id=change.pk,
            details={"approved": approve, "amount": str(change.amount)},
        )
    return change


# --- 免申即享 grants confirmed as awards, many at once ----------------------------------------------------


@dataclass
class Pending:
    """A talent the newest sweep granted a money benefit to, with no award for it yet."""

    talent: Talent
    proposed: dict[str, Any]
    account: str  # the payee account on record (the newest award's), "" when none

    @property
    def total(self) -> Decimal:
        amount = self.proposed.get("period_amount")
        if amount is None:
            return ZERO
        periods = 1 if self.proposed.get("cadence") == "once" else int(self.proposed.get("periods", 1))
        return Decimal(str(fen(amount))) * periods


def _granted_numbers(policy: Policy) -> set[int]:
    """The talent numbers the newest finished sweep granted ``policy`` to (verified facts: ``granted``),
    with anyone re-evaluated since (``SubjectResult``, ADR 0018) read from their own results instead."""
    run = SweepRun.objects.filter(status=SweepStatus.DONE).order_by("-pk").first()
    granted: set[int] = set()
    if run is not None:
        result = SweepResult.objects.filter(run=run, policy_code=policy.code, target="talent").first()
        if result is not None and result.state:
            state = np.frombuffer(bytes(result.state), dtype=np.uint8)
            granted = {int(n) for n in np.flatnonzero(state == GRANTED)}
    for number, results in SubjectResult.objects.filter(target="talent").values_list("number", "results"):
        codes = {code: STATE_CODES.get(state) for _pid, code, state, _day in results}
        if codes.get(policy.code) == EntitlementStatus.GRANTED:
            granted.add(number)
        else:
            granted.discard(number)
    return granted


def grants_pending(*, viewer: Any, policy: Policy, limit: int = 2000) -> list[Pending]:
    """Who in the viewer's scope the newest sweep granted ``policy`` without an award for it yet, with what
    its formula gives each (amount per period, periods, cadence) and the payee account on record."""
    require_perm(viewer, PayoutPerm.MANAGE)
    numbers = _granted_numbers(policy)
    if not numbers:
        return []
    people = Talent.objects.filter(sweep_number__number__in=sorted(numbers))
    condition = scope_filter(Talent, viewer)
    if condition is not None:
        people = people.filter(condition)
    people = people.exclude(awards__policy__code=policy.code).order_by("name", "pk")[:limit]
    today = timezone.localdate()
    chosen = list(people)
    accounts: dict[Any, str] = {}
    for award in (
        Award.objects.filter(talent__in=chosen).order_by("decided_at").only("talent_id", "payee_account")
    ):
        accounts[award.talent_id] = award.payee_account
    return [
        Pending(person, proposed_award(policy, talent=person, on=today), accounts.get(person.pk, ""))
        for person in chosen
    ]


@dataclass
class Confirmed:
    made: list[Award] = field(default_factory=list)
    refused: list[tuple[str, str, str]] = field(default_factory=list)  # (talent id, name, why)

    @property
    def total(self) -> Decimal:
        return sum((a.total for a in self.made), ZERO)


def grants_confirm(*, actor: Any, policy: Policy, talent_ids: list[Any], starts: dt.date) -> Confirmed:
    """The department confirms many 免申即享 grants at once. Each is one ``award_make`` (the decision,
    audited, committing under the budget line's lock) in its own transaction, so a refusal (the budget line
    run out, no payee account on record, a bar) refuses that person only, with the reason, and writes
    nothing for them. Only people still pending for the viewer (granted, in scope, no award yet) are
    confirmed; anyone else named is refused."""
    require_perm(actor, PayoutPerm.MANAGE)
    wanted = {str(pk) for pk in talent_ids}
    if not wanted:
        raise ValidationFailed(fields={"talents": [_("Choose at least one person.")]})
    pending = {str(p.talent.pk): p for p in grants_pending(viewer=actor, policy=policy, limit=100_000)}
    done = Confirmed()
    for pk in sorted(wanted, key=lambda k: (pending[k].talent.name, k) if k in pending else ("", k)):
        item = pending.get(pk)
        if item is None:
            done.refused.append((pk, "", _("Not a pending grant of this policy for you.")))
            continue
        if not item.proposed.get("period_amount"):
            done.refused.append((pk, item.talent.name, _("The formula gives no amount for this person.")))
            continue
        if not item.account:
            done.refused.append(
                (
                    pk,
                    item.talent.name,
                    _("No payee account on record: confirm this person on their award page."),
                )
            )
            continue
        try:
            with transaction.atomic():
                # The person's row lock: a confirmation running at the same time waits, then finds the award.
                Talent.objects.select_for_update().filter(pk=item.talent.pk).exists()
                if Award.objects.filter(talent=item.talent, policy__code=policy.code).exists():
                    raise ValidationFailed(
                        fields={"talents": [_("Already confirmed: this person has an award of this policy.")]}
                    )
                award = award_make(
                    actor=actor,
                    policy=policy,
                    talent=item.talent,
                    source=AwardSource.SWEEP,
                    source_ref=f"confirmed {timezone.localdate().isoformat()}",
                    period_amount=item.proposed["period_amount"],
                    periods=item.proposed.get("periods", 1),
                    cadence=item.proposed.get("cadence", "once"),
                    starts=starts,
                    payee_account=item.account,
                    snapshot=item.proposed.get("snapshot", {}),
                )
        except ValidationFailed as problem:
            words = "; ".join(str(m) for messages in problem.fields.values() for m in messages)
            done.refused.append((pk, item.talent.name, words or str(problem)))
        else:
            done.made.append(award)
    return done


# --- recovery instalment plans ------------------------------------------------------------------------------


def recovery_plan_set(*, actor: Any, recovery: Recovery, first_due: dt.date, instalments: int) -> Recovery:
    """Set (or reset) a recovery's dated plan: what is still outstanding in monthly instalments from
    ``first_due``; what was received before stays received."""
    require_perm(actor, PayoutPerm.MANAGE)
    errors: dict[str, list[Any]] = {}
    if not 1 <= instalments <= 120:
        errors["instalments"] = [_("Between 1 and 120 instalments.")]
    if errors:
        raise ValidationFailed(fields=errors)
    with transaction.atomic():
        recovery = Recovery.objects.select_for_update().get(pk=recovery.pk)
        if recovery.status != RecoveryStatus.OPEN:
            raise Conflict(_("The recovery is settled."))
        outstanding = recovery.amount - recovery.received - recovery.written_off
        RecoveryInstalment.objects.filter(recovery=recovery).delete()
        settled = recovery.received + recovery.written_off
        rows = []
        if settled:
            # what was received or written off before the new plan: one instalment, settled
            rows.append(
                RecoveryInstalment(recovery=recovery, number=1, due_on=timezone.localdate(), amount=settled)
            )
        offset = len(rows)
        rows += [
            RecoveryInstalment(recovery=recovery, number=n + offset, due_on=due, amount=share)
            for n, due, share in plan_split(outstanding, instalments, first_due)
            if share
        ]
        RecoveryInstalment.objects.bulk_create(rows)
        Recovery.objects.filter(pk=recovery.pk).update(instalments=len(rows))
        recovery.instalments = len(rows)
        audit_record(
            actor=actor,
            action="payouts.recovery_plan",
            object_type="recovery",
            object_id=recovery.pk,
            details={
                "first_due": first_due.isoformat(),
                "instalments": instalments,
                "outstanding": str(outstanding),
            },
        )
    return recovery


@dataclass(frozen=True)
class PlanRow:
    number: int
    due_on: dt.date
    amount: Decimal
    covered: Decimal  # how much of it what was received (or written off) covers
    state: str  # "paid", "due", "overdue"


def plan_rows(recovery: Recovery, today: dt.date | None = None) -> list[PlanRow]:
    """The plan with each instalment paid, due, or overdue: receipts and write-offs settle instalments in
    order of their due days."""
    today = today or timezone.localdate()
    pool = recovery.received + recovery.written_off
    rows = []
    for item in recovery.plan.all():
        covered = min(pool, item.amount)
        pool -= covered
        state = "paid" if covered == item.amount else ("overdue" if item.due_on < today else "due")
        rows.append(PlanRow(item.number, item.due_on, item.amount, covered, state))
    return rows


def overdue_amount(recovery: Recovery, today: dt.date | None = None) -> Decimal:
    return sum((r.amount - r.covered for r in plan_rows(recovery, today) if r.state == "overdue"), ZERO)
