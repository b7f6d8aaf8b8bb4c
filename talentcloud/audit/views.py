from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from talentcloud.common.access import access
from talentcloud.common.excel import xlsx_response

from .forms import AuditFilterForm
from .models import AuditEvent
from .permissions import AuditPerm
from .registry import action_label, object_refs, object_type_label
from .selectors import DENIED_ACTION, AuditFilters, audit_event_list, denied_counts
from .services import audit_record, request_ip

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser
    from django.contrib.auth.models import AnonymousUser

    from talentcloud.accounts.types import AuthedRequest


@access("admin", perm=AuditPerm.VIEW)
@require_GET
def audit_list_view(request: AuthedRequest) -> HttpResponse:
    form = AuditFilterForm(request.GET or None)
    filters = AuditFilters(**form.cleaned_data) if form.is_valid() else AuditFilters()
    events = audit_event_list(viewer=request.user, filters=filters)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    rows = audit_rows(viewer=request.user, events=list(page.object_list))
    return render(request, "audit/list.html", {"form": form, "page": page, "rows": rows})


@dataclass(frozen=True)
class AuditRow:
    """One event as its reader sees it: the action by its name, the object by its name (with a link where
    the reader may open it), the result as text plus colour, and a refusal's count."""

    event: AuditEvent
    action_label: str
    object_type_label: str
    object_name: str
    object_url: str
    outcome_class: str
    denied_count: int | None
    door: str


def audit_rows(*, viewer: AbstractBaseUser | AnonymousUser, events: list[AuditEvent]) -> list[AuditRow]:
    refs = object_refs(viewer=viewer, events=events)
    counts = denied_counts(events=events)
    rows = []
    for e in events:
        ref = refs.get((e.object_type, e.object_id))
        counter = counts.get(e.pk)
        rows.append(
            AuditRow(
                event=e,
                action_label=action_label(e.action),
                object_type_label=ref.type_label if ref else object_type_label(e.object_type),
                object_name=ref.name if ref else e.object_id,
                object_url=ref.url if ref else "",
                outcome_class=f"outcome-{e.outcome}",
                denied_count=counter.count if counter else None,
                door=str(e.details.get("door", "")) if e.action == DENIED_ACTION else "",
            )
        )
    return rows


EXPORT_LIMIT = 100_000


def _denied_count(event: AuditEvent) -> int | str:
    if event.action != DENIED_ACTION:
        return ""
    counter = denied_counts(events=[event]).get(event.pk)
    return counter.count if counter else ""


@access("admin", perm=AuditPerm.VIEW)
@require_GET
def audit_export_view(request: AuthedRequest) -> HttpResponse:
    """The filtered audit log as .xlsx (at most 100,000 rows); the export itself is an audit event."""
    form = AuditFilterForm(request.GET or None)
    filters = AuditFilters(**form.cleaned_data) if form.is_valid() else AuditFilters()
    events = audit_event_list(viewer=request.user, filters=filters)[:EXPORT_LIMIT]
    audit_record(
        actor=request.user,
        action="audit.export",
        source_ip=request_ip(request),
        details={
            "filters": {k: str(v) for k, v in form.cleaned_data.items() if v} if form.is_valid() else {}
        },
    )
    header = [
        _("Time"),
        _("Actor"),
        _("Action"),
        _("Action code"),
        _("Object type"),
        _("Object id"),
        _("Outcome"),
        _("Source IP"),
        _("Denied attempts"),
        _("Details"),
    ]
    rows = (
        (
            timezone.localtime(e.occurred_at).strftime("%Y-%m-%d %H:%M:%S"),
            e.actor_username,
            action_label(e.action),
            e.action,
            object_type_label(e.object_type),
            e.object_id,
            e.get_outcome_display(),
            e.source_ip or "",
            _denied_count(e),
            json.dumps(e.details, ensure_ascii=False),
        )
        for e in events.iterator()
    )
    return xlsx_response(filename="audit-log.xlsx", sheet="audit", header=[str(h) for h in header], rows=rows)
