from __future__ import annotations

import uuid

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from talentcloud.accounts.permissions import Perm, has_perm
from talentcloud.accounts.types import AuthedRequest
from talentcloud.audit.services import request_ip
from talentcloud.common.access import access
from talentcloud.common.errors import NotFound, ValidationFailed
from talentcloud.privacy.services import pii_unmask

from . import selectors
from .enums import PyramidCategory
from .models import Talent

PII_FIELDS = ("id_number", "phone", "email")


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
    context = {
        "talent": talent,
        "pii": _pii_rows(talent),
        "can_unmask": has_perm(request.user, Perm.PII_UNMASK),
    }
    return render(request, "talents/detail.html", context)


PII_LABELS = {"id_number": _("ID number"), "phone": _("Mobile number"), "email": _("E-mail")}


def _pii_rows(talent: Talent) -> list[tuple[str, object, str]]:
    return [(name, PII_LABELS[name], getattr(talent, name)) for name in PII_FIELDS]


@access("scoped")
@require_POST
def talent_unmask_view(request: AuthedRequest, talent_id: uuid.UUID) -> HttpResponse:
    talent = selectors.talent_get(viewer=request.user, talent_id=talent_id)
    field = request.POST.get("field", "")
    if field not in PII_FIELDS:
        raise NotFound()
    context = {"talent": talent, "field": field, "value": getattr(talent, field), "can_unmask": True}
    try:
        context["clear"] = pii_unmask(
            actor=request.user,
            obj=talent,
            field=field,
            reason=request.POST.get("reason", ""),
            source_ip=request_ip(request),
        )
    except ValidationFailed as exc:
        context.update(clear=None, error=" ".join(str(m) for msgs in exc.fields.values() for m in msgs))
        return render(request, "talents/_pii.html", context, status=422)
    return render(request, "talents/_pii.html", context)
