"""The office's catalogue editor: services, their time limits, form fields and materials (each change to
the form, the materials or the limit makes a new version), and the hall's settings."""

from __future__ import annotations

import copy
from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from talentcloud.accounts.forms import apply_domain_error
from talentcloud.accounts.permissions import require_perm
from talentcloud.accounts.types import AuthedRequest
from talentcloud.common.access import access
from talentcloud.common.errors import DomainError
from talentcloud.rules import explain

from .. import catalogue
from ..enums import FieldType
from ..forms import FieldSpecForm, HallSettingsForm, LimitForm, MaterialSpecForm, ServiceForm
from ..models import HallSettings, Service
from ..permissions import HallPerm


@access("admin")
@require_GET
def services_view(request: AuthedRequest) -> HttpResponse:
    require_perm(request.user, HallPerm.SERVICE_MANAGE)
    services = Service.objects.select_related("department", "current").order_by("sort_order", "code")
    return render(request, "servicehall/manage_list.html", {"services": services})


@access("admin")
@require_http_methods(["GET", "POST"])
def service_edit_view(request: AuthedRequest, code: str | None = None) -> HttpResponse:
    require_perm(request.user, HallPerm.SERVICE_MANAGE)
    service = get_object_or_404(Service, code=code) if code else None
    form = ServiceForm(request.POST or None, instance=service)
    if request.method == "POST" and form.is_valid():
        values = {k: v for k, v in form.cleaned_data.items() if k != "co_departments"}
        try:
            saved = catalogue.service_save(
                actor=request.user,
                values=values,
                co_departments=form.cleaned_data.get("co_departments") or [],
                service=Service.objects.get(pk=service.pk) if service else None,
            )
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("servicehall:manage_service", code=saved.code)
    context: dict[str, Any] = {"form": form, "service": service}
    if service is not None and service.eligibility:
        context["eligibility_words"] = catalogue.sentences(explain.conditions(service.eligibility, {}))
    if service is not None and service.current is not None:
        version = service.current
        context.update(
            {
                "version": version,
                "limit_form": LimitForm(
                    initial={
                        "limit_kind": version.limit_kind,
                        "limit_days": version.limit_days,
                        "limit_date": version.limit_date,
                    }
                ),
                "field_form": FieldSpecForm(),
                "material_form": MaterialSpecForm(),
                "versions": service.versions.select_related("created_by")[:10],
                # each field with its kind in words ("Short text", not "text")
                "fields": [
                    (f, dict(FieldType.choices).get(f.get("type", ""), f.get("type", "")))
                    for f in version.form_fields
                ],
            }
        )
    return render(request, "servicehall/manage_service.html", context, status=400 if form.errors else 200)


def _edit_step(request: AuthedRequest, code: str, form: Any, change: Any) -> HttpResponse:
    """Run one catalogue step; on bad input show the service page with the step's form and its errors."""
    service = get_object_or_404(Service, code=code)
    if form.is_valid():
        try:
            change(service, form)
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            number = service.current.number if service.current else 0
            messages.success(request, _("Saved as version %(n)d.") % {"n": number})
            return redirect("servicehall:manage_service", code=service.code)
    messages.error(
        request,
        " ".join(
            f"{form.fields[k].label if k in form.fields else ''}: {' '.join(v)}"
            for k, v in form.errors.items()
        ),
    )
    return redirect("servicehall:manage_service", code=service.code)


@access("admin")
@require_POST
def limit_view(request: AuthedRequest, code: str) -> HttpResponse:
    require_perm(request.user, HallPerm.SERVICE_MANAGE)
    return _edit_step(
        request,
        code,
        LimitForm(request.POST),
        lambda service, form: catalogue.limit_set(
            actor=request.user,
            service=service,
            kind=form.cleaned_data["limit_kind"],
            days=form.cleaned_data["limit_days"],
            fixed=form.cleaned_data["limit_date"],
        ),
    )


@access("admin")
@require_POST
def field_add_view(request: AuthedRequest, code: str) -> HttpResponse:
    require_perm(request.user, HallPerm.SERVICE_MANAGE)
    replacing = request.POST.get("replacing") or None
    return _edit_step(
        request,
        code,
        FieldSpecForm(request.POST),
        lambda service, form: catalogue.form_field_save(
            actor=request.user, service=service, spec=form.spec(), replacing=replacing
        ),
    )


@access("admin")
@require_POST
def field_change_view(request: AuthedRequest, code: str, key: str) -> HttpResponse:
    """Move a field up or down, or remove it."""
    require_perm(request.user, HallPerm.SERVICE_MANAGE)
    service = get_object_or_404(Service, code=code)
    operation = request.POST.get("op", "")
    if operation == "remove":
        catalogue.form_field_remove(actor=request.user, service=service, key=key)
    elif operation in ("up", "down"):
        catalogue.form_field_move(
            actor=request.user, service=service, key=key, step=-1 if operation == "up" else 1
        )
    messages.success(
        request, _("Saved as version %(n)d.") % {"n": service.current.number if service.current else 0}
    )
    return redirect("servicehall:manage_service", code=service.code)


@access("admin")
@require_POST
def material_spec_view(request: AuthedRequest, code: str) -> HttpResponse:
    require_perm(request.user, HallPerm.SERVICE_MANAGE)
    if request.POST.get("op") == "remove":
        service = get_object_or_404(Service, code=code)
        catalogue.material_remove(actor=request.user, service=service, key=request.POST.get("key", ""))
        messages.success(request, _("Saved."))
        return redirect("servicehall:manage_service", code=service.code)
    return _edit_step(
        request,
        code,
        MaterialSpecForm(request.POST),
        lambda service, form: catalogue.material_save(
            actor=request.user, service=service, spec=form.cleaned_data
        ),
    )


@access("admin")
@require_http_methods(["GET", "POST"])
def settings_view(request: AuthedRequest) -> HttpResponse:
    require_perm(request.user, HallPerm.SERVICE_MANAGE)
    # The form checks the values on a copy; the service writes them.
    form = HallSettingsForm(request.POST or None, instance=copy.copy(HallSettings.load()))
    if request.method == "POST" and form.is_valid():
        catalogue.hall_settings_save(actor=request.user, values=form.cleaned_data)
        messages.success(request, _("Saved."))
        return redirect("servicehall:settings")
    return render(request, "servicehall/settings.html", {"form": form}, status=400 if form.errors else 200)
