"""Writes to infrastructure reference data (the holiday calendar). Permission checks happen in the caller."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from talentcloud.audit.services import audit_record

from .errors import NotFound, ValidationFailed
from .models import CalendarOverride


def calendar_override_set(
    *, actor: Any, day: date, is_workday: bool, name: str = "", source: str = ""
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


def calendar_override_delete(*, actor: Any, override_id: int) -> None:
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
