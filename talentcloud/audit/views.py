from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from talentcloud.accounts.types import AuthedRequest
from talentcloud.common.access import access

from .forms import AuditFilterForm
from .selectors import AuditFilters, audit_event_list


@access("admin")
@require_GET
def audit_list_view(request: AuthedRequest) -> HttpResponse:
    form = AuditFilterForm(request.GET or None)
    filters = AuditFilters(**form.cleaned_data) if form.is_valid() else AuditFilters()
    events = audit_event_list(viewer=request.user, filters=filters)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(request, "audit/list.html", {"form": form, "page": page})
