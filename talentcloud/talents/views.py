from __future__ import annotations

import uuid

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from talentcloud.accounts.types import AuthedRequest
from talentcloud.common.access import access

from . import selectors
from .enums import PyramidCategory


@access("scoped")
@require_GET
def talent_list_view(request: AuthedRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:100]
    category = request.GET.get("category", "")
    if category not in PyramidCategory.values:
        category = ""
    talents = selectors.talent_list(viewer=request.user, query=query, category=category)
    page = Paginator(talents, 25).get_page(request.GET.get("page"))
    context = {"page": page, "query": query, "category": category, "categories": PyramidCategory.choices}
    template = "talents/list.html#results" if request.htmx else "talents/list.html"
    return render(request, template, context)


@access("scoped")
@require_GET
def talent_detail_view(request: AuthedRequest, talent_id: uuid.UUID) -> HttpResponse:
    talent = selectors.talent_get(viewer=request.user, talent_id=talent_id)
    return render(request, "talents/detail.html", {"talent": talent})
