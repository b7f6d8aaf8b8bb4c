"""Writes to infrastructure data (the holiday calendar, a rerun of a failed periodic job). Permission checks
happen in the caller."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from talentcloud.audit.services import audit_record
from talentcloud.common.errors import Conflict, NotFound, ValidationFailed
from talentcloud.common.models import CalendarOverride, ScheduledSlot, SlotOutcome

from .scheduling import configured_jobs, current_slot, slot_enqueue

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser


def calendar_override_set(
    *, actor: AbstractBaseUser, day: date, is_workday: bool, name: str = "", source: str = ""
) -> CalendarOverride:
    if not name.strip() and not is_workday:
        raise ValidationFailed(fields={"name": [_("Name the holiday, for example 春节.")]})
    with transaction.atomic():
        row, created = CalendarOverride.objects.update_or_create(
            day=day, defaults={"is_workday": is_workday, "name": name.strip(), "source": source.strip()}
        )
        audit_record(
            actor=actor,
            action="calendar.set",
            object_type="calendar_override",
            object_id=row.pk,
            details={"day": day.isoformat(), "is_workday": is_workday, "created": created},
        )
    return row


def calendar_override_delete(*, actor: AbstractBaseUser, override_id: int) -> None:
    with transaction.atomic():
        row = CalendarOverride.objects.filter(pk=override_id).first()
        if row is None:
            raise NotFound()
        row.delete()
        audit_record(
            actor=actor,
            action="calendar.delete",
            object_type="calendar_override",
            object_id=override_id,
            details={"day": row.day.isoformat()},
        )


def scheduled_slot_rerun(
    *, actor: AbstractBaseUser, slot_id: int, source_ip: str | None = None
) -> ScheduledSlot:
    """Run a failed periodic job again now: a new slot of the same job, enqueued the way the scheduler does
    (``scheduling.slot_enqueue``: unique per job and second, the worker runs it once, two runs of one job
    never overlap). Periodic jobs are written to be rerun. The caller checks ``system.status``."""

    failed = ScheduledSlot.objects.filter(pk=slot_id).first()
    if failed is None:
        raise NotFound()
    if failed.outcome != SlotOutcome.FAILED:
        raise Conflict(_("Only a failed run can be run again."))
    if failed.job not in {job.name for job in configured_jobs()}:
        raise Conflict(_("This job is no longer scheduled, so it cannot be run again."))
    with transaction.atomic():  # the new slot, its task and the audit event together, or none of them
        new = slot_enqueue(job=failed.job, slot=current_slot())
        if new is None:
            raise Conflict(_("A run of this job was started this very second. Wait a moment and try again."))
        audit_record(
            actor=actor,
            action="schedule.rerun",
            object_type="scheduled_slot",
            object_id=failed.pk,
            source_ip=source_ip,
            details={"job": failed.job, "slot": failed.slot.isoformat(), "new_slot": new.pk},
        )
    new.refresh_from_db()
    return new
