"""The payout ledger's writes: budget lines, awards and their schedules, payee accounts, suspension and
resumption, returns after payment (退汇), re-issue and recoveries. Every service takes ``actor=``, runs in
one transaction, writes its ledger entry (``ledger.post``) and one audit event; bad input is a
``ValidationFailed`` by field before anything is written."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import BooleanField, ExpressionWrapper, F, Sum, Value
from django.utils import timezone
from django.utils.translation import gettext as _

from talentcloud.accounts.permissions import require_perm
from talentcloud.audit.services import audit_record, audit_records
from talentcloud.common.errors import Conflict, PermissionDenied, ValidationFailed
from talentcloud.enterprises.models import Enterprise
from talentcloud.notifications.services import notify, notify_groups
from talentcloud.policies.engine import (
    NOT_ELIGIBLE,
    benefit_amount,
    benefit_facts,
    continuing_conditions_hold,
    fact_values,
    in_force,
)
from talentcloud.policies.models import Policy
from talentcloud.privacy.masking import mask_bank_account
from talentcloud.rules.explain import clause_text
from talentcloud.rules.facts import with_sql_facts
from talentcloud.rules.logic import continuing_part, facts_used, to_sql
from talentcloud.talents.models import Talent

from . import ledger
from .enums import (
    Account,
    AwardSource,
    AwardStatus,
    Cadence,
    EntryKind,
    LineStatus,
    RecoveryReason,
    RecoveryStatus,
)
from .models import (
    Award,
    Bar,
    BudgetLine,
    MoneyField,
    PayeeChange,
    PayoutLine,
    Recovery,
    RecoveryInstalment,
)
from .money import (
    add_months,
    fen,
    full_months,
    month_end,
    month_start,
    payable_by,
    plan_split,
    refund_due,
)
from .permissions import PayoutPerm

ZERO = Decimal("0.00")


# --- budget lines ------------------------------------------------------------------------------------------


def budget_line_set(
    *, actor: Any, policy_code: str, fiscal_year: int, department: Any, amount: Decimal
) -> BudgetLine:
    """Open a budget line or raise or lower it, never below what is committed on it. The difference is one
    ledger entry (appropriation ↔ available)."""
    require_perm(actor, PayoutPerm.MANAGE)
    amount = fen(amount)
    if amount < 0:
        raise ValidationFailed(fields={"amount": [_("The amount cannot be negative.")]})
    with transaction.atomic():
        line, _created = BudgetLine.objects.select_for_update().get_or_create(
            policy_code=policy_code,
            fiscal_year=fiscal_year,
            defaults={"department": department, "amount": ZERO},
        )
        if line.closed:
            raise Conflict(_("The budget line is closed for the year."))
        if amount < line.committed:
            raise ValidationFailed(
                fields={
                    "amount": [
                        _("%(committed)s yuan is already committed on this line: it cannot be lower.")
                        % {"committed": line.committed}
                    ]
                }
            )
        change = amount - line.amount
        line.amount = amount
        line.save(update_fields=["amount"])
        ledger.post(
            EntryKind.BUDGET,
            line,
            dt.date(fiscal_year, 1, 1),
            [(Account.APPROPRIATION, -change), (Account.AVAILABLE, change)],
        )
        audit_record(
            actor=actor,
            action="payouts.budget_set",
            object_type="budget_line",
            object_id=line.pk,
            details={
                "policy": policy_code,
                "year": fiscal_year,
                "amount": str(amount),
                "change": str(change),
            },
        )
    return line


def budget_year_close(*, actor: Any, line: BudgetLine, carry_over: bool) -> BudgetLine:
    """The fiscal year's end: what is uncommitted lapses. Committed but unpaid amounts carry over (the
    line stays payable) or, as the office decides, are released and lapse too."""
    require_perm(actor, PayoutPerm.MANAGE)
    with transaction.atomic():
        line = BudgetLine.objects.select_for_update().get(pk=line.pk)
        if line.closed:
            raise Conflict(_("The budget line is closed for the year."))
        open_commitment = ledger.balance(Account.COMMITTED, budget_line=line)
        if not carry_over and open_commitment:
            for award in Award.objects.filter(
                budget_line=line, status__in=[AwardStatus.ACTIVE, AwardStatus.SUSPENDED]
            ):
                _release_unpaid(award, LineStatus.CANCELLED, ended=True)
            line.refresh_from_db()
        available = ledger.left_on(line)
        ledger.post(
            EntryKind.LAPSE,
            line,
            dt.date(line.fiscal_year, 12, 1),
            [(Account.AVAILABLE, -available), (Account.LAPSED, available)],
        )
        line.closed = True
        line.save(update_fields=["closed"])
        audit_record(
            actor=actor,
            action="payouts.budget_lapse",
            object_type="budget_line",
            object_id=line.pk,
            details={
                "lapsed": str(available),
                "carried_over": str(ledger.balance(Account.COMMITTED, budget_line=line)),
            },
        )
    return line


# --- awards and schedules ----------------------------------------------------------------------------------


def schedule(award: Award) -> list[PayoutLine]:
    """The award's lines: one per accrual month (once: one line), each payable by its cadence."""
    months = 1 if award.cadence == Cadence.ONCE else award.periods
    return [
        PayoutLine(
            award=award,
            period=add_months(award.starts, i),
            pays_on=payable_by(add_months(award.starts, i), award.cadence, award.starts),
            amount=award.period_amount,
            key=line_key(award, add_months(award.starts, i), 1),
        )
        for i in range(months)
    ]


def line_key(award: Award, period: dt.date, attempt: int) -> str:
    """The idempotency key the bank sees: the award, the month and the attempt; unique in the database."""
    return f"{award.pk.hex[:16]}-{period:%Y%m}-{attempt}"


def _check_account(account: str) -> str:
    digits = "".join(account.split())
    if not (digits.isdigit() and 12 <= len(digits) <= 30):
        raise ValidationFailed(fields={"payee_account": [_("A bank account is 12 to 30 digits.")]})
    return digits


def barred(*, talent: Any = None, enterprise: Any = None, on: dt.date | None = None) -> bool:
    on = on or timezone.localdate()
    bars = Bar.objects.filter(until__gte=on)
    return (
        bars.filter(talent=talent).exists()
        if talent is not None
        else bars.filter(enterprise=enterprise).exists()
    )


def award_make(
    *,
    actor: Any,
    policy: Policy,
    talent: Any = None,
    enterprise: Any = None,
    source: str = AwardSource.SWEEP,
    source_ref: str = "",
    period_amount: Decimal,
    periods: int,
    cadence: str,
    starts: dt.date,
    payee_account: str,
    obligation_months: int = 0,
    service_start: dt.date | None = None,
    snapshot: dict[str, Any] | None = None,
) -> Award:
    """Decide an award (the department's confirmation is this call, audited). Commits its total on the
    policy's budget line for the year it starts, under the line's row lock: two concurrent awards never
    commit beyond the line."""
    require_perm(actor, PayoutPerm.MANAGE)
    errors: dict[str, list[Any]] = {}
    amount = fen(period_amount)
    if amount <= 0:
        errors["period_amount"] = [_("The amount must be more than zero.")]
    if periods < 1:
        errors["periods"] = [_("At least one period.")]
    if cadence not in Cadence.values:
        errors["cadence"] = [_("Choose a cadence.")]
    try:
        account = _check_account(payee_account)
    except ValidationFailed as problem:
        errors.update(problem.fields)
    if barred(talent=talent, enterprise=enterprise, on=starts):
        errors["talent" if talent is not None else "enterprise"] = [
            _("Barred from new awards after a fraud finding.")
        ]
    if errors:
        raise ValidationFailed(fields=errors)
    total = amount * (1 if cadence == Cadence.ONCE else periods)
    with transaction.atomic():
        _exclusion_guard(talent=talent, enterprise=enterprise, group=policy.exclusion_group, policy=policy)
        line = _locked_line(policy.code, starts.year)
        if line.committed + total > line.amount:
            raise ValidationFailed(
                fields={
                    "period_amount": [
                        _("The budget line %(line)s has %(left)s yuan left; this award needs %(total)s.")
                        % {"line": line, "left": line.amount - line.committed, "total": total}
                    ]
                }
            )
        award = Award.objects.create(
            policy=policy,
            exclusion_group=policy.exclusion_group,
            budget_line=line,
            talent=talent,
            enterprise=enterprise,
            source=source,
            source_ref=source_ref,
            snapshot=snapshot or {},
            period_amount=amount,
            periods=periods,
            cadence=cadence,
            starts=month_start(starts),
            total=total,
            obligation_months=obligation_months,
            service_start=service_start,
            payee_account=account,
            decided_by=actor,
        )
        PayoutLine.objects.bulk_create(schedule(award))
        BudgetLine.objects.filter(pk=line.pk).update(
            committed=F("committed") + Value(total, output_field=MoneyField())
        )
        ledger.post(
            EntryKind.COMMIT,
            line,
            award.starts,
            [(Account.AVAILABLE, -total), (Account.COMMITTED, total)],
            award=award,
        )
        audit_record(
            actor=actor,
            action="payouts.award",
            object_type="award",
            object_id=award.pk,
            details={"policy": policy.code, "total": str(total), "source": source, "ref": source_ref},
        )
    return award


def exclusion_holder(
    *, talent: Any = None, enterprise: Any = None, group: str, policy: Policy | None = None
) -> Award | None:
    """The subject's active (or suspended) award in the exclusion group, if any: 同一项目不重复支持 across
    programmes and policies. A policy's own awards do not exclude each other (its rule decides whether it
    pays again), so with ``policy`` its awards are left out."""
    if not group:
        return None
    subject = {"talent": talent} if talent is not None else {"enterprise": enterprise}
    held = Award.objects.filter(
        exclusion_group=group, status__in=[AwardStatus.ACTIVE, AwardStatus.SUSPENDED], **subject
    )
    if policy is not None:
        held = held.exclude(policy=policy)
    return held.select_related("policy").first()


def exclusion_reason(holder: Award) -> str:
    return str(
        _(
            "Already supported in the exclusion group “%(group)s” by “%(award)s”: the same project is not "
            "supported twice."
        )
        % {"group": holder.exclusion_group, "award": holder.basis}
    )


def _exclusion_guard(*, talent: Any, enterprise: Any, group: str, policy: Policy | None = None) -> None:
    """Inside the award's transaction: the subject's row is locked first, so two awards at once for one
    subject in one group are decided one after the other."""
    if not group:
        return
    if talent is not None:
        Talent.objects.select_for_update().filter(pk=talent.pk).first()
    else:
        Enterprise.objects.select_for_update().filter(pk=enterprise.pk).first()
    holder = exclusion_holder(talent=talent, enterprise=enterprise, group=group, policy=policy)
    if holder is not None:
        raise ValidationFailed(
            fields={"talent" if talent is not None else "enterprise": [exclusion_reason(holder)]}
        )


@dataclass(frozen=True)
class Instalment:
    """One part of a staged award: its amount and the milestone that makes it due (the first is due on the
    day the award is made)."""

    amount: Decimal
    milestone: str


def award_make_staged(
    *,
    actor: Any,
    budget_code: str,
    title: str,
    talent: Any,
    instalments: list[Instalment],
    payee_account: str,
    starts: dt.date,
    source: str = AwardSource.PROGRAMME,
    source_ref: str = "",
    exclusion_group: str = "",
    obligation_months: int = 0,
    service_start: dt.date | None = None,
    snapshot: dict[str, Any] | None = None,
) -> Award:
    """An award in instalments tied to milestones, on a programme's budget line (ADR 0030): no policy, its
    ``title`` saying what it is for. The whole total is committed on the line ``budget_code`` of the year it
    starts, under the line's row lock (concurrent awards never pass the line); the first instalment is due at
    once, each later one waits (``awaiting``) until the office confirms its milestone (``milestone_confirm``).
    Refused when the talent already holds an active award in the exclusion group."""
    require_perm(actor, PayoutPerm.MANAGE)
    errors: dict[str, list[Any]] = {}
    parts = [Instalment(fen(p.amount), p.milestone.strip()) for p in instalments]
    if not parts or any(p.amount <= 0 or not p.milestone for p in parts):
        errors["instalments"] = [_("Each instalment has an amount above zero and a milestone.")]
    if not title.strip():
        errors["title"] = [_("Say what the award is for.")]
    try:
        account = _check_account(payee_account)
    except ValidationFailed as problem:
        errors.update(problem.fields)
    if barred(talent=talent, on=starts):
        errors["talent"] = [_("Barred from new awards after a fraud finding.")]
    if errors:
        raise ValidationFailed(fields=errors)
    total = sum((p.amount for p in parts), ZERO)
    first = month_start(starts)
    with transaction.atomic():
        _exclusion_guard(talent=talent, enterprise=None, group=exclusion_group)
        line = _locked_line(budget_code, starts.year)
        if line.committed + total > line.amount:
            raise ValidationFailed(
                fields={
                    "amount": [
                        _("The budget line %(line)s has %(left)s yuan left; this award needs %(total)s.")
                        % {"line": line, "left": line.amount - line.committed, "total": total}
                    ]
                }
            )
        award = Award.objects.create(
            title=title.strip()[:200],
            exclusion_group=exclusion_group,
            budget_line=line,
            talent=talent,
            source=source,
            source_ref=source_ref,
            snapshot=snapshot or {},
            period_amount=parts[0].amount,
            periods=len(parts),
            cadence=Cadence.ONCE if len(parts) == 1 else Cadence.ANNUAL,
            starts=first,
            total=total,
            obligation_months=obligation_months,
            service_start=service_start,
            payee_account=account,
            decided_by=actor,
        )
        PayoutLine.objects.bulk_create(
            PayoutLine(
                award=award,
                period=add_months(first, seq),
                pays_on=starts if seq == 0 else add_months(first, seq),
                amount=part.amount,
                milestone=part.milestone[:200],
                status=LineStatus.DUE if seq == 0 else LineStatus.AWAITING,
                key=line_key(award, add_months(first, seq), 1),
            )
            for seq, part in enumerate(parts)
        )
        BudgetLine.objects.filter(pk=line.pk).update(
            committed=F("committed") + Value(total, output_field=MoneyField())
        )
        ledger.post(
            EntryKind.COMMIT,
            line,
            award.starts,
            [(Account.AVAILABLE, -total), (Account.COMMITTED, total)],
            award=award,
        )
        audit_record(
            actor=actor,
            action="payouts.award",
            object_type="award",
            object_id=award.pk,
            details={
                "budget": budget_code,
                "total": str(total),
                "source": source,
                "ref": source_ref,
                "instalments": len(parts),
                "group": exclusion_group,
            },
        )
    return award


def milestone_confirm(*, actor: Any, line: PayoutLine, due_on: dt.date) -> PayoutLine:
    """The office confirms the milestone an instalment waits for: the line is due, payable by ``due_on``,
    and goes into the next batch. The payee is told."""
    require_perm(actor, PayoutPerm.MANAGE)
    with transaction.atomic():
        line = (
            PayoutLine.objects.select_for_update(of=("self",))
            .select_related("award__talent__account", "award__policy")
            .get(pk=line.pk)
        )
        if line.status != LineStatus.AWAITING:
            raise Conflict(_("This instalment does not wait for a milestone."))
        if line.award.status != AwardStatus.ACTIVE:
            raise Conflict(_("The award is not paying."))
        if due_on < timezone.localdate():
            raise ValidationFailed(fields={"due_on": [_("The due date cannot be in the past.")]})
        PayoutLine.objects.filter(pk=line.pk).update(status=LineStatus.DUE, pays_on=due_on)
        line.status, line.pays_on = LineStatus.DUE, due_on
        audit_record(
            actor=actor,
            action="payouts.milestone",
            object_type="award",
            object_id=line.award_id,
            details={"line": line.key, "milestone": line.milestone, "due": due_on.isoformat()},
        )
        talent = line.award.talent
        if talent is not None and talent.account is not None:
            notify(
                recipient=talent.account,
                event="payouts.milestone",
                params={
                    "award": line.award.basis,
                    "milestone": line.milestone,
                    "amount": f"{line.amount:.2f}",
                    "due": due_on.isoformat(),
                },
                url="/payouts/me/",
            )
    return line


def _locked_line(policy_code: str, year: int) -> BudgetLine:
    try:
        line = BudgetLine.objects.select_for_update().get(policy_code=policy_code, fiscal_year=year)
    except BudgetLine.DoesNotExist:
        raise ValidationFailed(
            fields={"policy": [_("No budget line for this policy in %(year)s.") % {"year": year}]}
        ) from None
    if line.closed:
        raise ValidationFailed(fields={"policy": [_("The budget line is closed for the year.")]})
    return line


def _release_unpaid(award: Award, status: str, *, ended: bool, periods: Any = None) -> Decimal:
    """Lines not yet sent to the bank get ``status`` and their commitment goes back to the line."""
    lines = PayoutLine.objects.filter(
        award=award, status__in=[LineStatus.DUE, LineStatus.AWAITING], batch__isnull=True
    )
    if periods is not None:
        lines = lines.filter(**periods)
    released = lines.aggregate(total=Sum("amount"))["total"] or ZERO
    lines.update(status=status)
    if released:
        line = BudgetLine.objects.select_for_update().get(pk=award.budget_line_id)
        BudgetLine.objects.filter(pk=line.pk).update(
            committed=F("committed") - Value(released, output_field=MoneyField())
        )
        ledger.post(
            EntryKind.RELEASE,
            line,
            timezone.localdate(),
            [(Account.COMMITTED, -released), (Account.AVAILABLE, released)],
            award=award,
        )
    return released


# --- payee accounts ----------------------------------------------------------------------------------------


def payee_account_change(*, actor: Any, award: Award, account: str, fresh: bool, reason: str = "") -> Award:
    """The payee changes their account after a fresh password or TOTP check (``fresh``); staff change it
    with a reason. The old account stays in the history; the next payment waits for a second person's check
    (``payee_change_check``); failed lines are re-issued to the new account."""
    own = award.talent is not None and award.talent.account_id == actor.pk
    if own and not fresh:
        raise PermissionDenied(_("Confirm your password or one-time code first."))
    if not own:
        require_perm(actor, PayoutPerm.MANAGE)
        if not reason.strip():
            raise ValidationFailed(fields={"reason": [_("Say why the account changes.")]})
    digits = _check_account(account)
    with transaction.atomic():
        award = Award.objects.select_for_update().get(pk=award.pk)
        if digits == award.payee_account:
            raise ValidationFailed(fields={"payee_account": [_("This is the account already on record.")]})
        PayeeChange.objects.create(
            award=award,
            old_account=award.payee_account,
            new_account=digits,
            reason=reason[:200],
            changed_by=actor,
        )
        award.payee_account = digits
        award.payee_confirmed = False
        award.save(update_fields=["payee_account", "payee_confirmed"])
        for failed in PayoutLine.objects.filter(award=award, status=LineStatus.FAILED):
            _reissue(failed)
        audit_record(
            actor=actor,
            action="payouts.payee_change",
            object_type="award",
            object_id=award.pk,
            details={"account": mask_bank_account(digits), "by_payee": own},
        )
    return award


def payee_change_check(*, actor: Any, award: Award) -> Award:
    """A second person confirms a changed account before the first payment to it."""
    require_perm(actor, PayoutPerm.CHECK)
    with transaction.atomic():
        change = (
            PayeeChange.objects.select_for_update().filter(award=award).order_by("-changed_at", "-pk").first()
        )
        if change is None or change.checked_by_id is not None:
            raise Conflict(_("No changed account waits for a check."))
        if change.changed_by_id == actor.pk:
            raise PermissionDenied(_("The person who changed the account cannot check it."))
        change.checked_by = actor
        change.save(update_fields=["checked_by"])
        Award.objects.filter(pk=award.pk).update(payee_confirmed=True)
        award.payee_confirmed = True
        audit_record(actor=actor, action="payouts.payee_check", object_type="award", object_id=award.pk)
    return award


# --- suspension and resumption -----------------------------------------------------------------------------


def recheck(award: Award, period: dt.date) -> list[str]:
    """The continuing conditions of the award's policy as of the end of the month ``period`` pays for: the
    facts that failed (empty: it may be paid). Entry conditions are never judged again."""
    if award.policy is None:  # a programme's award has no policy conditions; its obligation is service
        return []
    verdict = continuing_conditions_hold(
        award.policy, talent=award.talent, enterprise=award.enterprise, on=month_end(period)
    )
    if verdict.status != NOT_ELIGIBLE:
        return []
    return [clause.fact for clause in verdict.outcome.failed]


def _leaf_clauses(rule: dict[str, Any]) -> list[dict[str, Any]]:
    if "all" in rule:
        return [leaf for part in rule["all"] for leaf in _leaf_clauses(part)]
    return [rule]


def failing_in_batch(policy: Policy, batch_id: int, period: dt.date) -> dict[Any, list[str]]:
    """The awards of ``policy`` with a line for ``period`` in the batch whose continuing conditions fail as
    of the month's end, each with the facts that failed: set-based in the database — one statement finds
    the failing payees among the batch's (a subquery, no list of ids travels), then one per continuing
    condition names what failed for them (the continuing part is an "all" of conditions, ``validate``)."""
    rule = continuing_part(policy.rule)
    if rule is None:
        return {}
    on = month_end(period)
    params = in_force().parameters_on(on)
    model, link = (
        (Enterprise, "award__enterprise_id")
        if policy.target == "enterprise"
        else (Talent, "award__talent_id")
    )
    lines = PayoutLine.objects.filter(batch_id=batch_id, period=period, award__policy=policy)
    payees = with_sql_facts(model.objects.filter(pk__in=lines.values(link)), on)
    holds = ExpressionWrapper(to_sql(rule, params, on), output_field=BooleanField())
    failing = list(payees.annotate(holds=holds).filter(holds=False).values_list("pk", flat=True))
    if not failing:
        return {}
    facts: dict[Any, list[str]] = {pk: [] for pk in failing}
    for clause in _leaf_clauses(rule):
        leaf = ExpressionWrapper(to_sql(clause, params, on), output_field=BooleanField())
        rows = with_sql_facts(model.objects.filter(pk__in=failing), on).annotate(holds=leaf)
        for pk in rows.filter(holds=False).values_list("pk", flat=True):
            facts[pk].append(clause["fact"])
    pairs = lines.filter(**{f"{link}__in": failing}).values_list("award_id", link)
    return {award: facts[subject] or ["continuing"] for award, subject in pairs}


def award_suspend(*, actor: Any, award: Award, period: dt.date, reasons: list[str]) -> None:
    """Suspend from ``period``: its lines wait (out of any batch) until a resumption decides which months
    are paid; the payee is told why."""
    Award.objects.filter(pk=award.pk).update(
        status=AwardStatus.SUSPENDED, suspended_from=period, suspension_reason=reasons, resume_requested=False
    )
    award.status, award.suspended_from, award.suspension_reason = AwardStatus.SUSPENDED, period, reasons
    audit_record(
        actor=actor,
        actor_username="" if actor is not None else "system",
        action="payouts.suspend",
        object_type="award",
        object_id=award.pk,
        details={"from": period.isoformat(), "facts": reasons},
    )
    recipient = award.talent.account if award.talent is not None else None
    if recipient is not None:
        notify(
            recipient=recipient,
            event="payouts.suspended",
            params={
                "policy": award.basis,
                "period": f"{period:%Y-%m}",
                "reason": reason_words(award.policy, reasons),
            },
            url="/payouts/me/",
        )


def awards_suspend(*, actor: Any, found: dict[Any, tuple[dt.date, list[str]]]) -> None:
    """``award_suspend`` for many awards at once (a batch's re-check): ``found`` maps each award to the month
    it is suspended from and the failed facts. One update per (month, reasons), one audit insert, the payees
    told in one notification insert per (policy, month, reasons)."""
    if not found:
        return
    by_reason: dict[tuple[dt.date, tuple[str, ...]], list[Any]] = {}
    for award_id, (period, reasons) in found.items():
        by_reason.setdefault((period, tuple(reasons)), []).append(award_id)
    for (month, facts), ids in by_reason.items():
        Award.objects.filter(pk__in=ids).update(
            status=AwardStatus.SUSPENDED,
            suspended_from=month,
            suspension_reason=list(facts),
            resume_requested=False,
        )
    audit_records(
        actor=actor,
        action="payouts.suspend",
        object_type="award",
        events=[
            (award_id, {"from": period.isoformat(), "facts": reasons})
            for award_id, (period, reasons) in found.items()
        ],
    )
    groups: dict[tuple[Any, dt.date, tuple[str, ...]], list[tuple[Any, str]]] = {}
    policies: dict[Any, Policy] = {}
    rows = Award.objects.filter(pk__in=list(found), talent__account__isnull=False).values_list(
        "pk", "policy_id", "talent__account_id"
    )
    for award_id, policy_id, account_id in rows:
        period, reasons = found[award_id]
        groups.setdefault((policy_id, period, tuple(reasons)), []).append((account_id, "/payouts/me/"))
    if groups:
        policies = {p.pk: p for p in Policy.objects.filter(pk__in={key[0] for key in groups})}
    notify_groups(
        event="payouts.suspended",
        groups=[
            (
                {
                    "policy": policies[policy_id],
                    "period": f"{period:%Y-%m}",
                    "reason": reason_words(policies[policy_id], list(reasons)),
                },
                recipients,
            )
            for (policy_id, period, reasons), recipients in groups.items()
        ],
    )


def reason_words(policy: Policy | None, facts: list[str]) -> str:
    """The failed continuing conditions in words (the rule's own plain words)."""
    if policy is None:
        return ", ".join(facts)
    from_rule = [c for c in _clauses(policy.rule) if c.get("fact") in facts and c.get("when") == "continuing"]
    return "; ".join(_describe(c) for c in from_rule) or ", ".join(facts)


def _clauses(rule: Any) -> list[dict[str, Any]]:
    if isinstance(rule, dict) and "fact" in rule:
        return [rule]
    if isinstance(rule, dict):
        found: list[dict[str, Any]] = []
        for key in ("all", "any"):
            for child in rule.get(key, []):
                found += _clauses(child)
        if "not" in rule:
            found += _clauses(rule["not"])
        return found
    return []


def _describe(clause: dict[str, Any]) -> str:
    return clause_text(clause["fact"], clause["op"], clause.get("value"))


def award_resume_request(*, actor: Any, award: Award) -> Award:
    """The payee asks to resume a suspended award."""
    if award.talent is None or award.talent.account_id != actor.pk:
        require_perm(actor, PayoutPerm.MANAGE)
    if award.status != AwardStatus.SUSPENDED:
        raise Conflict(_("The award is not suspended."))
    Award.objects.filter(pk=award.pk).update(resume_requested=True)
    award.resume_requested = True
    return award


def award_resume(*, actor: Any, award: Award, eligible_from: dt.date) -> Award:
    """Resume from the month the conditions hold again: the months from the suspension up to it are never
    paid (their commitment goes back to the line); the months from it on are paid, those already past due in
    the next batch (补发). Refused while the conditions still fail."""
    require_perm(actor, PayoutPerm.MANAGE)
    eligible_from = month_start(eligible_from)
    with transaction.atomic():
        award = (
            Award.objects.select_for_update(of=("self",))
            .select_related("policy", "talent", "enterprise")
            .get(pk=award.pk)
        )
        if award.status != AwardStatus.SUSPENDED or award.suspended_from is None:
            raise Conflict(_("The award is not suspended."))
        if eligible_from < award.suspended_from:
            raise ValidationFailed(fields={"eligible_from": [_("Not before the suspension began.")]})
        still = recheck(award, max(eligible_from, month_start(timezone.localdate())))
        if still:
            raise ValidationFailed(
                fields={
                    "eligible_from": [
                        _("The conditions still fail: %(why)s") % {"why": reason_words(award.policy, still)}
                    ]
                }
            )
        released = _release_unpaid(
            award,
            LineStatus.SUSPENDED,
            ended=False,
            periods={"period__gte": award.suspended_from, "period__lt": eligible_from},
        )
        Award.objects.filter(pk=award.pk).update(
            status=AwardStatus.ACTIVE, suspended_from=None, suspension_reason=[], resume_requested=False
        )
        award.status = AwardStatus.ACTIVE
        audit_record(
            actor=actor,
            action="payouts.resume",
            object_type="award",
            object_id=award.pk,
            details={"from": eligible_from.isoformat(), "not_paid": str(released)},
        )
    return award


# --- returns after payment (退汇) and re-issue --------------------------------------------------------------


def _reissue(line: PayoutLine, *, mark: bool = True) -> PayoutLine:
    """A new attempt of the line's month is due, with a new key (the bank never sees one key twice); a failed
    line becomes ``reissued`` (a returned one stays ``returned``, its story)."""
    if mark:
        PayoutLine.objects.filter(pk=line.pk).update(status=LineStatus.REISSUED)
    attempt = line.attempt + 1
    return PayoutLine.objects.create(
        award_id=line.award_id,
        period=line.period,
        pays_on=line.pays_on,
        amount=line.amount,
        attempt=attempt,
        key=line_key(line.award, line.period, attempt),
    )


def line_reissue(*, actor: Any, line: PayoutLine) -> PayoutLine:
    """Re-issue a failed line without an account change (the bank's fault was passing)."""
    require_perm(actor, PayoutPerm.MANAGE)
    with transaction.atomic():
        line = PayoutLine.objects.select_for_update(of=("self",)).select_related("award").get(pk=line.pk)
        if line.status != LineStatus.FAILED:
            raise Conflict(_("Only a failed line is re-issued."))
        new = _reissue(line)
        audit_record(
            actor=actor,
            action="payouts.reissue",
            object_type="award",
            object_id=line.award_id,
            details={"line": line.key, "new": new.key},
        )
    return new


def line_returned(*, actor: Any, line: PayoutLine, note: str) -> PayoutLine:
    """The bank returns a payment it had reported paid (退汇): the payment's posting is reversed (paid →
    committed again) and the line re-issued."""
    require_perm(actor, PayoutPerm.APPROVE)
    with transaction.atomic():
        line = (
            PayoutLine.objects.select_for_update(of=("self",))
            .select_related("award__budget_line")
            .get(pk=line.pk)
        )
        if line.status != LineStatus.PAID:
            raise Conflict(_("Only a paid line can come back from the bank."))
        PayoutLine.objects.filter(pk=line.pk).update(status=LineStatus.RETURNED, bank_note=note[:200])
        ledger.post(
            EntryKind.REVERSE,
            line.award.budget_line,
            timezone.localdate(),
            [(Account.PAID, -line.amount), (Account.COMMITTED, line.amount)],
            award=line.award,
            payout=line,
        )
        new = _reissue(line, mark=False)
        audit_record(
            actor=actor,
            action="payouts.returned",
            object_type="award",
            object_id=line.award_id,
            details={"line": line.key, "new": new.key, "amount": str(line.amount)},
        )
    return new


# --- clawback ----------------------------------------------------------------------------------------------


def recovery_raise(
    *,
    actor: Any,
    award: Award,
    reason: str,
    departed_on: dt.date | None = None,
    instalments: int = 1,
    bar_until: dt.date | None = None,
) -> Recovery:
    """Leaving early: refund = max(0, paid − total ÷ obligation months × full months served); fraud or a
    finding: everything paid. The award ends, its unpaid lines' commitment goes back to the line, the
    recovery is traced to the paid lines; fraud bars new awards until ``bar_until``."""
    require_perm(actor, PayoutPerm.MANAGE)
    errors: dict[str, list[Any]] = {}
    if reason not in RecoveryReason.values:
        errors["reason"] = [_("Choose a reason.")]
    if reason == RecoveryReason.LEFT_EARLY:
        if departed_on is None:
            errors["departed_on"] = [_("Give the day the person left.")]
        elif award.service_start is None or award.obligation_months <= 0:
            errors["reason"] = [_("This award has no service obligation.")]
        elif departed_on < award.service_start:
            errors["departed_on"] = [_("Not before the service started.")]
    if reason == RecoveryReason.FRAUD and bar_until is None:
        errors["bar_until"] = [_("Say until when the payee is barred from new awards.")]
    if instalments < 1:
        errors["instalments"] = [_("At least one instalment.")]
    if errors:
        raise ValidationFailed(fields=errors)
    with transaction.atomic():
        award = Award.objects.select_for_update(of=("self",)).select_related("budget_line").get(pk=award.pk)
        if award.status == AwardStatus.RECOVERING:
            raise Conflict(_("A recovery is already raised on this award."))
        paid_lines = PayoutLine.objects.filter(award=award, status=LineStatus.PAID)
        paid = paid_lines.aggregate(total=Sum("amount"))["total"] or ZERO
        served = None
        if reason == RecoveryReason.LEFT_EARLY:
            assert award.service_start is not None
            assert departed_on is not None
            served = full_months(award.service_start, departed_on)
            amount = refund_due(
                paid=paid, total=award.total, obligation_months=award.obligation_months, months_served=served
            )
        else:
            amount = paid
        _release_unpaid(award, LineStatus.CANCELLED, ended=True)
        recovery = Recovery.objects.create(
            award=award,
            reason=reason,
            departed_on=departed_on,
            months_served=served,
            amount=amount,
            instalments=instalments,
            created_by=actor,
            status=RecoveryStatus.OPEN if amount else RecoveryStatus.SETTLED,
        )
        recovery.lines.set(paid_lines)
        RecoveryInstalment.objects.bulk_create(  # the dated plan: monthly from a month after it is raised
            RecoveryInstalment(recovery=recovery, number=n, due_on=due, amount=share)
            for n, due, share in plan_split(amount, instalments, add_months(timezone.localdate(), 1))
            if share
        )
        ledger.post(
            EntryKind.RECOVERY,
            award.budget_line,
            timezone.localdate(),
            [(Account.RECEIVABLE, amount), (Account.CLAWBACK, -amount)],
            award=award,
            recovery=recovery,
        )
        Award.objects.filter(pk=award.pk).update(
            status=AwardStatus.RECOVERING if amount else AwardStatus.ENDED
        )
        if reason == RecoveryReason.FRAUD and bar_until is not None:
            Bar.objects.create(
                talent=award.talent, enterprise=award.enterprise, until=bar_until, recovery=recovery
            )
        audit_record(
            actor=actor,
            action="payouts.recovery",
            object_type="recovery",
            object_id=recovery.pk,
            details={
                "award": str(award.pk),
                "reason": reason,
                "amount": str(amount),
                "paid": str(paid),
                "served": served,
            },
        )
    return recovery


def recovery_receive(*, actor: Any, recovery: Recovery, amount: Decimal) -> Recovery:
    require_perm(actor, PayoutPerm.MANAGE)
    return _settle(actor=actor, recovery=recovery, amount=amount, kind=EntryKind.RECEIPT)


def recovery_write_off(*, actor: Any, recovery: Recovery, amount: Decimal) -> Recovery:
    """A write-off is approved by a second person: one holding ``payouts.check`` who did not raise it."""
    require_perm(actor, PayoutPerm.CHECK)
    if recovery.created_by_id == actor.pk:
        raise PermissionDenied(_("The person who raised the recovery cannot write it off."))
    return _settle(actor=actor, recovery=recovery, amount=amount, kind=EntryKind.WRITE_OFF)


def _settle(*, actor: Any, recovery: Recovery, amount: Decimal, kind: str) -> Recovery:
    amount = fen(amount)
    with transaction.atomic():
        recovery = (
            Recovery.objects.select_for_update(of=("self",))
            .select_related("award__budget_line")
            .get(pk=recovery.pk)
        )
        outstanding = recovery.amount - recovery.received - recovery.written_off
        if amount <= 0 or amount > outstanding:
            raise ValidationFailed(
                fields={
                    "amount": [_("Between 0.01 and the %(left)s yuan outstanding.") % {"left": outstanding}]
                }
            )
        target = Account.RECOVERED if kind == EntryKind.RECEIPT else Account.WRITTEN_OFF
        ledger.post(
            kind,
            recovery.award.budget_line,
            timezone.localdate(),
            [(Account.RECEIVABLE, -amount), (target, amount)],
            award=recovery.award,
            recovery=recovery,
        )
        if kind == EntryKind.RECEIPT:
            recovery.received += amount
        else:
            recovery.written_off += amount
        if amount == outstanding:
            recovery.status = (
                RecoveryStatus.SETTLED if kind == EntryKind.RECEIPT else RecoveryStatus.WRITTEN_OFF
            )
        recovery.save(update_fields=["received", "written_off", "status"])
        audit_record(
            actor=actor,
            action=f"payouts.{'receipt' if kind == EntryKind.RECEIPT else 'write_off'}",
            object_type="recovery",
            object_id=recovery.pk,
            details={"amount": str(amount)},
        )
    return recovery


# --- the award a policy's formula gives ---------------------------------------------------------------------

PERIOD_CADENCE = {"month": Cadence.MONTHLY, "year": Cadence.ANNUAL, "once": Cadence.ONCE}


def proposed_award(
    policy: Policy, *, talent: Any = None, enterprise: Any = None, on: dt.date
) -> dict[str, Any]:
    """What the policy's benefit formula gives this person on ``on`` (amount per period, periods, cadence) and
    the eligibility snapshot an award rests on: the facts the rule and the formula read, with the verdict.
    Empty when the benefit is not money or the formula cannot be computed for them."""
    subject = talent if talent is not None else enterprise
    keys = facts_used(policy.rule) | benefit_facts(policy.benefit)
    facts = fact_values(subject, keys, on)
    amount = benefit_amount(policy.benefit, facts, on, in_force().parameters_on(on))
    if amount is None:
        return {}
    return {
        "period_amount": amount.per_period,
        "periods": amount.periods,
        "cadence": PERIOD_CADENCE.get(amount.period, Cadence.ONCE),
        "snapshot": {
            "on": on.isoformat(),
            "policy": f"{policy.code} v{policy.version}",
            "facts": {
                k: v if isinstance(v, (str, int, float, bool)) or v is None else str(v)
                for k, v in facts.items()
            },
            "amount": amount.text() if hasattr(amount, "text") else str(amount.per_period),
            "steps": list(amount.steps),
        },
    }
