"""The public service guide (办事指南): the list by theme with search, one service's guide, and the
example sheet of each material."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET
from django_ratelimit.decorators import ratelimit

from talentcloud.common.access import access

from .. import guide
from ..catalogue import label_of, services_open
from ..enums import Theme


@access("public")
@require_GET
def guide_list_view(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[: guide.QUERY_MAX]
    theme = request.GET.get("theme", "")
    theme = theme if theme in Theme.values else ""
    services = guide.guide_services(query=query, theme=theme)
    groups = guide.grouped(services)
    context = {
        "groups": groups,
        "count": sum(len(group.services) for group in groups),
        "query": query,
        "theme": theme,
        "themes": Theme.choices,
    }
    return render(request, "servicehall/guide_list.html", context)


@access("public")
@require_GET
def guide_service_view(request: HttpRequest, code: str) -> HttpResponse:
    service = get_object_or_404(services_open().prefetch_related("co_departments"), code=code)
    version = service.current
    assert version is not None
    parts = guide.guide_parts(service)
    context = {
        "service": service,
        "version": version,
        "conditions": guide.service_conditions(service),
        "guide_parts": parts,
        "steps": guide.process_steps(service, version),
        "limit": guide.limit_words(version),
        "materials": guide.materials(version),
        "fields": [label_of(f) for f in version.form_fields],
        "legal_basis": guide.legal_basis(service, parts),
    }
    return render(request, "servicehall/guide_service.html", context)


@access("public")
@ratelimit(key="ip", rate=lambda g, r: settings.RATELIMIT_GUIDE_PDF, block=True)
@require_GET
def guide_material_view(request: HttpRequest, code: str, key: str) -> HttpResponse:
    """The example sheet of one material (PDF), always as a download."""
    service = get_object_or_404(services_open(), code=code)
    assert service.current is not None
    data = guide.material_example_pdf(service, service.current, key)
    if data is None:
        raise Http404
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{service.code}-{key}.pdf"'
    return response


@access("public")
@ratelimit(key="ip", rate=lambda g, r: settings.RATELIMIT_GUIDE_PDF, block=True)
@require_GET
def guide_form_view(request: HttpRequest, code: str) -> HttpResponse:
    """The service's application form, blank (PDF), always as a download."""
    service = get_object_or_404(services_open(), code=code)
    assert service.current is not None
    response = HttpResponse(guide.blank_form_pdf(service, service.current), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{service.code}-form.pdf"'
    return response
