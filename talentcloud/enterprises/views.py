from __future__ import annotations

import uuid

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from talentcloud.accounts.types import AuthedRequest
from talentcloud.common.access import access

from . import selectors


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
@require_GET
def enterprise_detail_view(request: AuthedRequest, enterprise_id: uuid.UUID) -> HttpResponse:
    enterprise = selectors.enterprise_get(viewer=request.user, enterprise_id=enterprise_id)
    return render(request, "enterprises/detail.html", {"enterprise": enterprise})
