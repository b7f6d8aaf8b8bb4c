from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import QuerySet
from django.utils import timezone

from talentcloud.accounts.permissions import require_perm

from .models import AuditEvent, DeniedAttempt
from .permissions import AuditPerm

DENIED_ACTION = "security.denied"


@dataclass(frozen=True)
class AuditFilters:
    action: str = ""
    actor: str = ""
    outcome: str = ""
    object_type: str = ""
    object_id: str = ""
    date_from: date | None = None
    date_to: date | None = None
    denied_only: bool = False


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def audit_event_list(*, viewer: object, filters: AuditFilters) -> QuerySet[AuditEvent]:
    """Audit events for the audit administrator: the audit log is readable by its permission only."""
    require_perm(viewer, AuditPerm.VIEW)
    qs = AuditEvent.objects.all()
    if filters.action:
        qs = qs.filter(action__startswith=filters.action)
    if filters.actor:
        qs = qs.filter(actor_username=filters.actor)
    if filters.outcome:
        qs = qs.filter(outcome=filters.outcome)
    if filters.object_type:
        qs = qs.filter(object_type=filters.object_type)
    if filters.object_id:
        qs = qs.filter(object_id=filters.object_id)
    if filters.denied_only:
        qs = qs.filter(action=DENIED_ACTION)
    if filters.date_from:
        qs = qs.filter(occurred_at__gte=_day_start(filters.date_from))
    if filters.date_to:
        qs = qs.filter(occurred_at__lt=_day_start(filters.date_to + timedelta(days=1)))
    return qs.order_by("-id")


def denied_counts(*, events: list[AuditEvent]) -> dict[int, DeniedAttempt]:
    """event id -> the counter of the window each ``security.denied`` event opened (how many refusals)."""
    ids = [e.pk for e in events if e.action == DENIED_ACTION]
    return {d.event_id: d for d in DeniedAttempt.objects.filter(event_id__in=ids) if d.event_id is not None}
