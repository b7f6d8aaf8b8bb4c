from __future__ import annotations

import json

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from talentcloud.accounts.types import AuthedRequest
from talentcloud.common.access import access
from talentcloud.common.excel import xlsx_response

from .forms import AuditFilterForm
from .selectors import AuditFilters, audit_event_list
from .services import audit_record, request_ip


@access("admin")
@require_GET
def audit_list_view(request: AuthedRequest) -> HttpResponse:
    form = AuditFilterForm(request.GET or None)
    filters = AuditFilters(**form.cleaned_data) if form.is_valid() else AuditFilters()
    events = audit_event_list(viewer=request.user, filters=filters)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(request, "audit/list.html", {"form": form, "page": page})


EXPORT_LIMIT = 100_000


@access("admin")
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
        _("Object type"),
        _("Object id"),
        _("Outcome"),
        _("Source IP"),
        _("Details"),
    ]
    rows = (
        (
            timezone.localtime(e.occurred_at).strftime("%Y-%m-%d %H:%M:%S"),
            e.actor_username,
            e.action,
            e.object_type,
            e.object_id,
            e.get_outcome_display(),
            e.source_ip or "",
            json.dumps(e.details, ensure_ascii=False),
        )
        for e in events.iterator()
    )
    return xlsx_response(filename="audit-log.xlsx", sheet="audit", header=[str(h) for h in header], rows=rows)
