from __future__ import annotations

import uuid

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from talentcloud.accounts.forms import apply_domain_error
from talentcloud.accounts.permissions import Perm, has_perm
from talentcloud.accounts.types import AuthedRequest
from talentcloud.common.access import access
from talentcloud.common.errors import DomainError, PermissionDenied

from . import selectors, services
from .forms import AnnualReportForm


@access("scoped")
@require_GET
def enterprise_list_view(request: AuthedRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:100]
    chain = request.GET.get("chain", "")
    enterprises = selectors.enterprise_list(viewer=request.user, query=query, chain=chain)
    page = Paginator(enterprises, 25).get_page(request.GET.get("page"))
    context = {"page": page, "query": query, "chain": chain, "chains": selectors.chain_list()}
    template = "enterprises/list.html#results" if request.htmx else "enterprises/list.html"
    return render(request, template, context)


@access("scoped")
@require_http_methods(["GET", "POST"])
def enterprise_detail_view(request: AuthedRequest, enterprise_id: uuid.UUID) -> HttpResponse:
    enterprise = selectors.enterprise_get(viewer=request.user, enterprise_id=enterprise_id)
    can_edit = has_perm(request.user, Perm.ENTERPRISE_EDIT)
    form = AnnualReportForm(request.POST or None) if can_edit else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied()
        if form.is_valid():
            try:
                services.annual_report_submit(actor=request.user, enterprise=enterprise, **form.cleaned_data)
            except DomainError as exc:
                apply_domain_error(form, exc)
            else:
                messages.success(request, _("Figures saved."))
                return redirect("enterprises:detail", enterprise_id=enterprise.pk)
    context = {
        "enterprise": enterprise,
        "figures": services.annual_figures(enterprise),
        "key_people": enterprise.key_people.select_related("talent"),
        "form": form,
    }
    return render(
        request, "enterprises/detail.html", context, status=400 if form is not None and form.errors else 200
    )
