"""Personal-data requests (PIPL arts. 45–47) and what answering them does: a copy, a correction, deletion."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from talentcloud.accounts.permissions import has_perm, require_perm
from talentcloud.audit.services import audit_record
from talentcloud.common.errors import Conflict, PermissionDenied, ValidationFailed
from talentcloud.common.registries import Declarations
from talentcloud.common.workdays import WorkCalendar
from talentcloud.talents.permissions import TalentPerm

from ..changes import facts_changed
from ..enums import DeletionOutcome, RightsRequestKind, RightsRequestStatus
from ..models import ContributionPeriod, FactRecord, FamilyMember, RightsRequest, Talent, month_text

if TYPE_CHECKING:
    from talentcloud.accounts.models import User

ANONYMISED_NAME = "（已删除）"


def _may_act_for(actor: User, talent: Talent) -> bool:
    return (talent.account_id is not None and talent.account_id == actor.pk) or has_perm(
        actor, TalentPerm.PIPL_HANDLE
    )


def rights_request_create(*, actor: User, talent: Talent, kind: str, details: str = "") -> RightsRequest:
    """Record a request, made by the person themself or taken down by the office for them."""
    if not _may_act_for(actor, talent):
        raise PermissionDenied()
    if kind not in RightsRequestKind.values:
        raise ValidationFailed(fields={"kind": [_("Choose what is asked for.")]})
    if kind == RightsRequestKind.CORRECT and not details.strip():
        raise ValidationFailed(fields={"details": [_("Say which data is wrong and what it should be.")]})
    today = timezone.localdate()
    with transaction.atomic():
        request = RightsRequest.objects.create(
            talent=talent,
            kind=kind,
            details=details.strip()[:2000],
            received_on=today,
            due_on=WorkCalendar().add_working_days(today, settings.PIPL_ANSWER_WORKING_DAYS),
            submitted_by=actor,
        )
        audit_record(
            actor=actor,
            action="pipl.request",
            object_type="rights_request",
            object_id=request.pk,
            details={"kind": kind, "talent": str(talent.pk)},
        )
    return request


def _close(
    *, actor: User, request: RightsRequest, status: str, answer: str, deletion_outcome: str = ""
) -> RightsRequest:
    updated = RightsRequest.objects.filter(pk=request.pk, status=RightsRequestStatus.RECEIVED).update(
        status=status,
        answer=answer,
        deletion_outcome=deletion_outcome,
        handled_by=actor,
        completed_at=timezone.now(),
    )
    if not updated:
        raise Conflict(_("This request has already been answered."))
    request.refresh_from_db()
    return request


def rights_request_complete(
    *, actor: User, request: RightsRequest, answer: str, deletion_outcome: str = ""
) -> RightsRequest:
    """Answer a request and carry it out: a deletion anonymises the person's data, or, where a law requires
    keeping it, restricts the record to storage only."""
    require_perm(actor, TalentPerm.PIPL_HANDLE)
    errors: dict[str, list[Any]] = {}
    if not answer.strip():
        errors["answer"] = [_("Write the answer the person will receive.")]
    if request.kind == RightsRequestKind.DELETE and deletion_outcome not in DeletionOutcome.values:
        errors["deletion_outcome"] = [
            _("Choose whether the data is deleted or, where a law requires keeping it, restricted.")
        ]
    if errors:
        raise ValidationFailed(fields=errors)
    with transaction.atomic():
        request = _close(
            actor=actor,
            request=request,
            status=RightsRequestStatus.COMPLETED,
            answer=answer.strip(),
            deletion_outcome=deletion_outcome if request.kind == RightsRequestKind.DELETE else "",
        )
        talent = Talent.objects.select_for_update().get(pk=request.talent_id)
        if request.kind == RightsRequestKind.DELETE:
            if deletion_outcome == DeletionOutcome.DELETED:
                talent_anonymise(talent)
            else:
                talent.restricted = True
                talent.save(update_fields=["restricted", "updated_at"])
        audit_record(
            actor=actor,
            action="pipl.complete",
            object_type="rights_request",
            object_id=request.pk,
            details={
                "kind": request.kind,
                "deletion_outcome": request.deletion_outcome,
                "talent": str(talent.pk),
            },
        )
    return request


def rights_request_refuse(*, actor: User, request: RightsRequest, answer: str) -> RightsRequest:
    require_perm(actor, TalentPerm.PIPL_HANDLE)
    if not answer.strip():
        raise ValidationFailed(fields={"answer": [_("Give the reason for refusing, with its legal ground.")]})
    with transaction.atomic():
        request = _close(
            actor=actor, request=request, status=RightsRequestStatus.REFUSED, answer=answer.strip()
        )
        audit_record(actor=actor, action="pipl.refuse", object_type="rights_request", object_id=request.pk)
    return request


def talent_anonymise(talent: Talent) -> None:
    """Remove what identifies the person; keep what statistics need (category, degree, chain, arrival). Their
    family records go (the relatives' names, ID numbers and birth dates, and so the children's birth dates the
    rules read: ADR 0019), and the rules hear of it."""
    talent.name = ANONYMISED_NAME
    talent.id_number = ""
    talent.phone = ""
    talent.email = ""
    talent.birth_date = date(talent.birth_date.year, 1, 1)
    talent.post = ""
    talent.account = None
    talent.save()
    FamilyMember.objects.filter(talent=talent).delete()  # their children's birth dates with them (cascade)
    facts_changed([talent.pk])
    for hook in ANONYMISE_HOOKS.items():
        hook.after(talent)


@dataclass(frozen=True)
class AnonymiseHook:
    """What an app above this one removes with a person's archive when it is anonymised (their talent code
    and photo, …): declared in the app's ``talent_anonymise.py`` as ``TALENT_ANONYMISE_HOOKS``; ``after``
    runs in the anonymisation's transaction, after the archive's own fields are blanked."""

    name: str
    after: Callable[[Talent], None]


ANONYMISE_HOOKS: Declarations[AnonymiseHook] = Declarations("talent_anonymise", "TALENT_ANONYMISE_HOOKS")


@dataclass(frozen=True)
class CopySection:
    """A part of a person's data copy (PIPL art. 45) that an app above this one holds: declared in that app's
    ``data_copy.py`` as ``DATA_COPY = [CopySection("key", read)]``; ``read(talent)`` gives plain values."""

    key: str
    read: Callable[[Talent], list[dict[str, Any]]]


DATA_COPY: Declarations[CopySection] = Declarations("data_copy", "DATA_COPY")


def _month(index: int | None) -> str | None:
    return month_text(index) if index is not None else None


def _archive_sections(talent: Talent) -> dict[str, Any]:
    """What the archive holds beside the record: education, titles, family, social insurance, facts."""
    return {
        "programme_tier": talent.get_tier_display() or None,
        "certification_grade": talent.get_grade_display() or None,
        "contract_term_months": talent.contract_term_months,
        "education": [
            {
                "degree": e.get_degree_display(),
                "school": e.school,
                "graduated_on": e.graduated_on.isoformat() if e.graduated_on else None,
                "full_time": e.full_time,
            }
            for e in talent.education.order_by("graduated_on", "id")
        ],
        "titles_and_awards": [
            {
                "kind": q.get_kind_display(),
                "name": str(q.programme) if q.programme else q.name,
                "level": q.programme.get_level_display() if q.programme else q.level,
                "year": q.year,
            }
            for q in talent.qualifications.select_related("programme").order_by("kind", "year", "id")
        ],
        "family": [
            {"relation": m.get_relation_display(), "name": m.name, "birth_date": m.birth_date or None}
            for m in talent.family.order_by("relation", "id")
        ],
        "social_insurance": [
            {
                "from_month": _month(p.first_month),
                "to_month": _month(p.last_month),
                "source": p.get_source_display(),
            }
            for p in ContributionPeriod.objects.filter(talent=talent).order_by("first_month")
        ],
        "facts": [
            {
                "fact": r.key,
                "value": r.value,
                "source": r.get_source_display(),
                "as_of": r.as_of.isoformat() if r.as_of else None,
                "verified": r.verified,
            }
            for r in FactRecord.objects.filter(talent=talent).order_by("key", "as_of", "id")
        ],
    }


def talent_data_copy(*, actor: User, talent: Talent) -> dict[str, Any]:
    """Everything the platform holds about the person, in clear, for the person (PIPL art. 45). Audited."""
    if not _may_act_for(actor, talent):
        raise PermissionDenied()
    data = {
        "name": talent.name,
        "gender": talent.get_gender_display(),
        "birth_date": talent.birth_date.isoformat(),
        "id_number": talent.id_number,
        "phone": talent.phone,
        "email": talent.email,
        "highest_degree": talent.get_highest_degree_display(),
        "pyramid_category": talent.get_category_display(),
        "employer": talent.employer.name if talent.employer else None,
        "post": talent.post,
        "industry_chain": str(talent.chain) if talent.chain else None,
        "street_of_residence": str(talent.residence_street) if talent.residence_street else None,
        "arrived_on": talent.arrived_on.isoformat() if talent.arrived_on else None,
        **_archive_sections(talent),
        "requests": [
            {"kind": r.kind, "status": r.status, "received_on": r.received_on.isoformat(), "answer": r.answer}
            for r in talent.rights_requests.order_by("received_on")
        ],
    }
    for section in DATA_COPY.items():  # what the apps above hold about the person (recorded facts, …)
        data[section.key] = section.read(talent)
    audit_record(actor=actor, action="pipl.copy", object_type="talent", object_id=talent.pk)
    return {str(k): v for k, v in data.items()}
