"""Liaison cadres (联系领导): contacts with the talents they look after, and needs (诉求) answered."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.db.models import Max, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from talentcloud.accounts.enums import UnitKind
from talentcloud.accounts.models import OrgUnit
from talentcloud.accounts.permissions import has_perm, require_perm
from talentcloud.accounts.scope import scope_queryset
from talentcloud.audit.services import audit_record
from talentcloud.common.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from talentcloud.common.workdays import WorkCalendar

from .enums import ContactKind, NeedStatus
from .models import Contact, Need, Talent
from .permissions import TalentPerm

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from talentcloud.accounts.models import User


@dataclass(frozen=True)
class NeedInput:
    title: str
    owner_department: OrgUnit
    details: str = ""


def contact_log(
    *,
    actor: User,
    talent: Talent,
    kind: str,
    happened_on: date,
    summary: str = "",
    needs: list[NeedInput] | None = None,
) -> Contact:
    """Record a visit or call, and any needs the talent raised in it, in one transaction."""
    require_perm(actor, TalentPerm.CONTACT_LOG)
    errors: dict[str, list[Any]] = {}
    if kind not in ContactKind.values:
        errors["kind"] = [_("Choose visit, call or meeting.")]
    today = timezone.localdate()
    if happened_on > today:
        errors["happened_on"] = [_("The date cannot be in the future.")]
    if happened_on < today - timedelta(days=366):
        errors["happened_on"] = [_("Record contacts within a year of the date.")]
    for index, need in enumerate(needs or []):
        if not need.title.strip():
            errors[f"needs.{index}.title"] = [_("Say what the talent needs.")]
        if need.owner_department.kind != UnitKind.DEPARTMENT or not need.owner_department.is_active:
            errors[f"needs.{index}.owner_department"] = [_("Choose a department.")]
    if errors:
        raise ValidationFailed(fields=errors)
    calendar = WorkCalendar()
    with transaction.atomic():
        contact = Contact.objects.create(
            talent=talent, cadre=actor, kind=kind, happened_on=happened_on, summary=summary.strip()
        )
        created = [
            Need.objects.create(
                talent=talent,
                contact=contact,
                raised_by=actor,
                title=need.title.strip()[:200],
                details=need.details.strip(),
                owner_department=need.owner_department,
                raised_on=today,
                due_on=calendar.add_working_days(today, settings.NEED_REPLY_WORKING_DAYS),
            )
            for need in needs or []
        ]
        audit_record(
            actor=actor,
            action="contact.log",
            object_type="contact",
            object_id=contact.pk,
            details={"talent": str(talent.pk), "kind": kind, "needs": [str(n.pk) for n in created]},
        )
    return contact


def need_reply(*, actor: User, need: Need, reply: str) -> Need:
    """The department in charge answers; a need is answered once (a second reply is a conflict)."""
    require_perm(actor, TalentPerm.NEED_REPLY)
    if not has_perm(actor, TalentPerm.DASHBOARD_VIEW) and actor.unit_id != need.owner_department_id:
        raise PermissionDenied(_("Only the department in charge replies to this need."))
    if len(reply.strip()) < 2:
        raise ValidationFailed(fields={"reply": [_("Write the reply the talent will read.")]})
    with transaction.atomic():
        updated = Need.objects.filter(pk=need.pk, status=NeedStatus.OPEN).update(
            status=NeedStatus.ANSWERED, reply=reply.strip(), replied_by=actor, replied_at=timezone.now()
        )
        if not updated:
            raise Conflict(_("This need has already been answered."))
        audit_record(actor=actor, action="need.reply", object_type="need", object_id=need.pk)
    need.refresh_from_db()
    return need


def need_list(*, viewer: User | AnonymousUser, status: str = "", overdue: bool = False) -> QuerySet[Need]:
    if not any(has_perm(viewer, p) for p in (TalentPerm.NEED_REPLY, TalentPerm.CONTACT_LOG, TalentPerm.VIEW)):
        return Need.objects.none()
    qs = scope_queryset(Need.objects.select_related("talent", "owner_department"), viewer)
    if status:
        qs = qs.filter(status=status)
    if overdue:
        qs = qs.filter(status=NeedStatus.OPEN, due_on__lt=timezone.localdate())
    return qs.order_by("due_on", "id")


def need_get(*, viewer: User | AnonymousUser, need_id: Any) -> Need:
    need = need_list(viewer=viewer).filter(pk=need_id).first()
    if need is None:
        raise NotFound()
    return need


@dataclass(frozen=True)
class Assignment:
    talent: Talent
    last_contact: date | None
    next_due: date | None

    @property
    def overdue(self) -> bool:
        return self.next_due is not None and self.next_due < timezone.localdate()


DEFAULT_CADENCE_DAYS = 90


def my_talents(*, viewer: User) -> list[Assignment]:
    """The talents this cadre looks after, with the last contact and when the next one is due."""
    talents = (
        Talent.objects.filter(liaison=viewer, restricted=False)
        .select_related("employer")
        .annotate(last_contact=Max("contacts__happened_on"))
        .order_by("name")
    )
    result = []
    for talent in talents:
        cadence = talent.contact_every_days or DEFAULT_CADENCE_DAYS
        last = talent.last_contact
        next_due = (last + timedelta(days=cadence)) if last else timezone.localdate()
        result.append(Assignment(talent=talent, last_contact=last, next_due=next_due))
    result.sort(key=lambda a: (a.next_due or date.max, a.talent.name))
    return result


def department_choices() -> QuerySet[OrgUnit]:
    return OrgUnit.objects.filter(kind=UnitKind.DEPARTMENT, is_active=True).order_by("sort_order")
