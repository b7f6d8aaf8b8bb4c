"""The one way a talent's grade and tier change (ADR 0021).

``certify`` records a certification (a staff decision, a hall case, a confirmed proposal, a programme award)
and ``project`` writes the talent's current certification into the talent's ``grade`` and ``tier`` columns:
a ``TalentChange`` row per field (the archive's history), a verified ``FactRecord`` per fact, and
``facts_changed`` (verified facts, then 免申即享 re-evaluated at once, ADR 0018). The scheduled job
``certification_daily`` expires certifications whose validity ended and starts re-certifications that were
recorded ahead (``SCHEDULED``), projecting the talents it touched. A downgrade needs a reason and is audited
as one (``certification.downgrade``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from talentcloud.accounts.permissions import require_perm
from talentcloud.audit.services import audit_record, audit_records
from talentcloud.common.errors import Conflict, ValidationFailed
from talentcloud.talents.changes import facts_changed
from talentcloud.talents.enums import CertificationGrade, FactSource, ProgrammeTier
from talentcloud.talents.models import FactRecord, Talent, TalentChange

from .enums import Basis, CertificationStatus, ProposalStatus
from .models import Certification, ClassificationRule, Proposal
from .permissions import CertPerm

if TYPE_CHECKING:
    from talentcloud.accounts.models import User
    from talentcloud.servicehall.models import Case

GRADES = tuple(CertificationGrade.values)  # best first: A is the highest grade
TIERS = tuple(ProgrammeTier.values)  # best first: 高峰, 先锋, 宁聚, 菁英
VALID_YEARS = 3  # how long a certification holds unless the decision says otherwise
S = CertificationStatus


def _rank(value: str, order: tuple[str, ...]) -> int:
    return order.index(value) if value in order else len(order)


def is_downgrade(before: tuple[str, str], after: tuple[str, str]) -> bool:
    """A lower (or no) grade, or a lower (or no) tier, than before."""
    return _rank(after[0], GRADES) > _rank(before[0], GRADES) or _rank(after[1], TIERS) > _rank(
        before[1], TIERS
    )


def years_after(day: date, years: int) -> date:
    """The last day of a validity of ``years`` years starting on ``day``."""
    try:
        end = day.replace(year=day.year + years)
    except ValueError:  # 29 February
        end = day.replace(year=day.year + years, day=28)
    return end - timedelta(days=1)


# -- the projection ---------------------------------------------------------------------------------------


def current_of(talent_ids: Iterable[Any]) -> dict[Any, Certification]:
    """Each talent's current certification (the newest in force), for those that have one."""
    found: dict[Any, Certification] = {}
    rows = Certification.objects.filter(talent_id__in=list(talent_ids), status=S.CURRENT).order_by(
        "talent_id", "-effective_from", "-created_at"
    )
    for row in rows:
        found.setdefault(row.talent_id, row)
    return found


def project(talent_ids: Iterable[Any], *, actor: User | None) -> list[Any]:
    """Write each talent's current certification into their ``grade`` and ``tier`` (none: blank). Returns
    the talents whose columns changed. Call inside the transaction of the change that caused it."""
    ids = list(dict.fromkeys(talent_ids))
    current = current_of(ids)
    today = timezone.localdate()
    now = timezone.now()
    changed: list[Any] = []
    history: list[TalentChange] = []
    facts: list[FactRecord] = []
    for talent_id, grade, tier in Talent.objects.filter(pk__in=ids).values_list("pk", "grade", "tier"):
        row = current.get(talent_id)
        want = (row.grade, row.tier) if row is not None else ("", "")
        if want == (grade, tier):
            continue
        Talent.objects.filter(pk=talent_id).update(grade=want[0], tier=want[1])
        changed.append(talent_id)
        for name, before, after in (("grade", grade, want[0]), ("tier", tier, want[1])):
            if before == after:
                continue
            history.append(
                TalentChange(
                    talent_id=talent_id,
                    actor=actor,
                    via="certification",
                    field=name,
                    before=before,
                    after=after,
                )
            )
            facts.append(
                FactRecord(
                    talent_id=talent_id,
                    key=name,
                    value=after,
                    source=FactSource.STAFF,
                    as_of=today,
                    verified=True,
                    recorded_by=actor,
                    reviewed_by=actor,
                    reviewed_at=now,
                )
            )
    TalentChange.objects.bulk_create(history)
    FactRecord.objects.bulk_create(facts)
    facts_changed(changed)  # verified facts, then 免申即享 re-evaluated for these people (ADR 0018)
    return changed


# -- certify ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Decision:
    """What a certification says."""

    grade: str
    tier: str
    basis: str
    effective_from: date | None = None  # today when not given
    effective_to: date | None = None  # VALID_YEARS from the start when not given; the last valid day
    document_number: str = ""
    reason: str = ""


def _errors(decision: Decision, start: date, end: date | None) -> dict[str, list[Any]]:
    errors: dict[str, list[Any]] = {}
    if decision.grade not in ("", *GRADES):
        errors["grade"] = [_("Choose one of the grades A–F, or none.")]
    if decision.tier not in ("", *TIERS):
        errors["tier"] = [_("Choose one of the programme tiers, or none.")]
    if decision.basis not in Basis.values:
        errors["basis"] = [_("Choose what the certification rests on.")]
    if end is not None and end < start:
        errors["effective_to"] = [_("The validity cannot end before it begins.")]
    if len(decision.document_number) > 100:
        errors["document_number"] = [_("At most 100 characters.")]
    return errors


def record(
    *,
    actor: User | None,
    talent: Talent,
    decision: Decision,
    case: Case | None = None,
    rule: ClassificationRule | None = None,
) -> Certification:
    """Record a certification and project it (no permission check: the callers check theirs — the staff
    door ``certify``, the hall's conclusion of a 人才认定 case, a confirmed proposal)."""
    today = timezone.localdate()
    start = decision.effective_from or today
    end = decision.effective_to if decision.effective_to is not None else years_after(start, VALID_YEARS)
    errors = _errors(decision, start, end)
    if end < today and "effective_to" not in errors:
        errors["effective_to"] = [_("The validity has already ended.")]
    with transaction.atomic():
        locked = Talent.objects.select_for_update().only("pk", "grade", "tier").get(pk=talent.pk)
        before = (locked.grade, locked.tier)
        after = (decision.grade, decision.tier)
        downgrade = start <= today and is_downgrade(before, after)
        if downgrade and not decision.reason.strip():
            errors["reason"] = [_("Say why the grade or tier goes down.")]
        if errors:
            raise ValidationFailed(fields=errors)
        status = S.CURRENT if start <= today else S.SCHEDULED
        if status == S.CURRENT:
            Certification.objects.filter(talent=talent, status=S.CURRENT).update(
                status=S.SUPERSEDED, ended_on=today
            )
        else:
            Certification.objects.filter(talent=talent, status=S.SCHEDULED).update(
                status=S.SUPERSEDED, ended_on=today
            )
        row = Certification.objects.create(
            talent=talent,
            grade=decision.grade,
            tier=decision.tier,
            basis=decision.basis,
            effective_from=start,
            effective_to=end,
            document_number=decision.document_number.strip(),
            reason=decision.reason.strip()[:4000],
            status=status,
            decided_by=actor,
            case=case,
            rule=rule,
        )
        project([talent.pk], actor=actor)
        talent.refresh_from_db(fields=["grade", "tier"])
        audit_record(
            actor=actor,
            action="certification.downgrade" if downgrade else "certification.record",
            object_type="talent",
            object_id=talent.pk,
            details={
                "certification": str(row.pk),
                "grade": [before[0], after[0]],
                "tier": [before[1], after[1]],
                "basis": decision.basis,
                "from": start.isoformat(),
                "to": end.isoformat(),
                **({"case": case.number or str(case.pk)} if case is not None else {}),
                **({"rule": rule.pk} if rule is not None else {}),
                **({"reason": row.reason} if downgrade else {}),
            },
        )
    return row


def certify(*, actor: User, talent: Talent, decision: Decision) -> Certification:
    """A staff member's certification (the talent found through the scoped selectors): the only way staff
    change a grade or tier."""
    require_perm(actor, CertPerm.MANAGE)
    if decision.basis in (Basis.RULE, Basis.CASE, Basis.RECORDED):
        raise ValidationFailed(fields={"basis": [_("This basis is recorded by its own process.")]})
    return record(actor=actor, talent=talent, decision=decision)


def renew(
    *, actor: User, certification: Certification, years: int = VALID_YEARS, reason: str = ""
) -> Certification:
    """到期复核: the same grade and tier again from the day after the current validity ends, recorded now and
    taking effect then (the daily job starts it)."""
    require_perm(actor, CertPerm.MANAGE)
    if certification.status != S.CURRENT or certification.effective_to is None:
        raise Conflict(_("Only a current certification with an end date can be renewed."))
    start = certification.effective_to + timedelta(days=1)
    return record(
        actor=actor,
        talent=certification.talent,
        decision=Decision(
            grade=certification.grade,
            tier=certification.tier,
            basis=Basis.DECISION,
            effective_from=start,
            effective_to=years_after(start, years),
            document_number=certification.document_number,
            reason=reason or str(_("Renewed on review (到期复核)")),
        ),
    )


# -- the daily job ----------------------------------------------------------------------------------------


def daily(on: date | None = None) -> dict[str, int]:
    """到期复核 by the scheduler: certifications whose last valid day has passed expire; re-certifications
    recorded ahead start on their day; the talents touched are projected (their entitlements re-evaluated
    at once). One audit event per talent whose certification expired or started."""
    today = on or timezone.localdate()
    with transaction.atomic():
        due = list(
            Certification.objects.select_for_update()
            .filter(status=S.CURRENT, effective_to__lt=today)
            .values_list("pk", "talent_id", "grade", "tier")
        )
        starting = list(
            Certification.objects.select_for_update()
            .filter(status=S.SCHEDULED, effective_from__lte=today)
            .filter(Q(effective_to__isnull=True) | Q(effective_to__gte=today))
            .values_list("pk", "talent_id")
        )
        Certification.objects.filter(pk__in=[pk for pk, *_rest in due]).update(
            status=S.EXPIRED, ended_on=today
        )
        started_talents = [talent_id for _pk, talent_id in starting]
        Certification.objects.filter(talent_id__in=started_talents, status=S.CURRENT).update(
            status=S.SUPERSEDED, ended_on=today
        )
        Certification.objects.filter(pk__in=[pk for pk, _t in starting]).update(status=S.CURRENT)
        touched = [talent_id for _pk, talent_id, *_rest in due] + started_talents
        changed = project(touched, actor=None)
        renewed = set(started_talents)
        audit_records(
            action="certification.expire",
            object_type="talent",
            events=[
                (talent_id, {"certification": str(pk), "grade": grade, "tier": tier})
                for pk, talent_id, grade, tier in due
                if talent_id not in renewed
            ],
        )
        audit_records(
            action="certification.renew",
            object_type="talent",
            events=[(talent_id, {"certification": str(pk)}) for pk, talent_id in starting],
        )
    return {"expired": len(due), "started": len(starting), "changed": len(changed)}


def daily_job() -> dict[str, int]:
    """The scheduled job (``jobs.py``)."""
    return daily()


# -- proposals --------------------------------------------------------------------------------------------


def proposal_confirm(*, actor: User, proposal: Proposal, document_number: str = "") -> Certification:
    """Staff confirm a proposed grade: it is certified through ``record`` (basis: the rule)."""
    require_perm(actor, CertPerm.MANAGE)
    with transaction.atomic():
        if not Proposal.objects.filter(pk=proposal.pk, status=ProposalStatus.PENDING).update(
            status=ProposalStatus.CONFIRMED, decided_by=actor, decided_at=timezone.now()
        ):
            raise Conflict(_("This proposal has been decided already."))
        rule = proposal.rule
        row = record(
            actor=actor,
            talent=proposal.talent,
            decision=Decision(
                grade=proposal.grade,
                tier=rule.tier or proposal.talent.tier,
                basis=Basis.RULE,
                document_number=document_number or rule.document_number,
                reason=str(_("Confirmed proposal of the classification rule “%(label)s”"))
                % {"label": rule.label},
            ),
            rule=rule,
        )
        Proposal.objects.filter(pk=proposal.pk).update(certification=row)
        audit_record(
            actor=actor,
            action="certification.proposal_confirm",
            object_type="talent",
            object_id=proposal.talent_id,
            details={"proposal": proposal.pk, "grade": proposal.grade, "rule": rule.pk},
        )
    return row


def proposal_dismiss(*, actor: User, proposal: Proposal) -> None:
    require_perm(actor, CertPerm.MANAGE)
    with transaction.atomic():
        if not Proposal.objects.filter(pk=proposal.pk, status=ProposalStatus.PENDING).update(
            status=ProposalStatus.DISMISSED, decided_by=actor, decided_at=timezone.now()
        ):
            raise Conflict(_("This proposal has been decided already."))
        audit_record(
            actor=actor,
            action="certification.proposal_dismiss",
            object_type="talent",
            object_id=proposal.talent_id,
            details={"proposal": proposal.pk, "grade": proposal.grade},
        )
