"""Pages for applicants: the catalogue, applying (draft, upload, submit), following a case, rating it."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from talentcloud.accounts.forms import apply_domain_error
from talentcloud.accounts.types import AuthedRequest
from talentcloud.common.access import access
from talentcloud.common.errors import DomainError, PermissionDenied

from .. import cases
from ..catalogue import build_form, eligibility_problem, services_open
from ..forms import MaterialForm, RateForm
from ..workflow import case_transition
from .case import case_page
from .guide import guide_service_view


@access("public")
@require_GET
def catalogue_view(request: HttpRequest) -> HttpResponse:
    """The service catalogue: anyone may browse; signed-in talents see what they may apply for."""
    talent = cases._applicant_talent(request.user) if request.user.is_authenticated else None
    rows = [
        (service, eligibility_problem(service, talent) if talent is not None else None)
        for service in services_open().prefetch_related("co_departments")
    ]
    return render(request, "servicehall/catalogue.html", {"rows": rows, "talent": talent})


@access("public")
@require_GET
def service_view(request: HttpRequest, code: str) -> HttpResponse:
    """A service's page in the catalogue is its full guide (办事指南), with the way to apply."""
    return guide_service_view(request, code)


@access("own")
@require_http_methods(["GET", "POST"])
def apply_view(request: AuthedRequest, code: str) -> HttpResponse:
    """The service's form; saving makes a draft case (materials are added on the case's page)."""
    service = get_object_or_404(services_open(), code=code)
    assert service.current is not None
    problem = cases.may_apply(user=request.user, service=service)
    if problem:
        raise PermissionDenied(problem)
    form = build_form(service.current, data=request.POST or None)
    key = request.POST.get("idempotency_key") or cases.new_idempotency_key()
    if request.method == "POST":
        for field in form.fields.values():
            field.required = False  # a draft may be incomplete; submitting checks everything
        if form.is_valid():
            try:
                data = {name: request.POST[name] for name in form.fields if name in request.POST}
                case = cases.case_draft_save(
                    actor=request.user, service=service, data=data, idempotency_key=key
                )
            except DomainError as exc:
                apply_domain_error(form, exc)
            else:
                messages.success(request, _("Draft saved. Add the materials, then submit."))
                return redirect("servicehall:case", case_id=case.pk)
    context = {"service": service, "form": form, "idempotency_key": key}
    return render(request, "servicehall/apply.html", context, status=400 if form.errors else 200)


@access("own")
@require_GET
def my_cases_view(request: AuthedRequest) -> HttpResponse:
    return render(request, "servicehall/my_cases.html", {"cases": cases.my_cases(viewer=request.user)[:100]})


@access("scoped")
@require_http_methods(["GET", "POST"])
def case_edit_view(request: AuthedRequest, case_id: uuid.UUID) -> HttpResponse:
    case = cases.case_get(viewer=request.user, case_id=case_id)
    form = build_form(case.version, data=request.POST or None, initial=cases.answers(case))
    if request.method == "GET" and request.GET.get("check") and case.applicant_id == request.user.pk:
        # Arrived from a refused submission's summary: each field's problem at the field.
        for key, problems in cases.submission_problems(case).items():
            if key in form.fields:  # an unbound form: its (empty) error dict is kept, so fill it in
                form.errors[key] = form.error_class([str(p) for p in problems])
        for field in form.fields.values():
            field.required = False
        if form.is_valid():
            data = {name: request.POST.get(name, "") for name in form.fields}
            try:
                cases.case_draft_save(actor=request.user, service=case.service, data=data, case=case)
            except DomainError as exc:
                apply_domain_error(form, exc)
            else:
                messages.success(request, _("Saved."))
                return redirect("servicehall:case", case_id=case.pk)
    return render(request, "servicehall/apply.html", {"service": case.service, "form": form, "case": case})


@access("scoped")
@require_POST
def material_add_view(request: AuthedRequest, case_id: uuid.UUID) -> HttpResponse:
    case = cases.case_get(viewer=request.user, case_id=case_id)
    form = MaterialForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            cases.material_add(
                actor=request.user,
                case=case,
                key=form.cleaned_data["key"],
                upload=form.cleaned_data["upload"],
            )
        except DomainError as exc:
            messages.error(
                request, " ".join(str(m) for msgs in exc.fields.values() for m in msgs) or str(exc.message)
            )
        else:
            messages.success(request, _("File added."))
    else:
        messages.error(request, _("Choose a file to upload."))
    return redirect("servicehall:case", case_id=case.pk)


@access("scoped")
@require_POST
def material_remove_view(request: AuthedRequest, case_id: uuid.UUID, material_id: uuid.UUID) -> HttpResponse:
    case = cases.case_get(viewer=request.user, case_id=case_id)
    cases.material_remove(actor=request.user, case=case, material_id=material_id)
    messages.success(request, _("File removed."))
    return redirect("servicehall:case", case_id=case.pk)


@access("scoped")
@require_POST
def submit_view(request: AuthedRequest, case_id: uuid.UUID) -> HttpResponse:
    """Submit a draft, or resubmit after materials were asked for."""
    case = cases.case_get(viewer=request.user, case_id=case_id)
    answers = {
        name.removeprefix("answer-"): value
        for name, value in request.POST.items()
        if name.startswith("answer-")
    }
    try:
        cases.case_submit(
            actor=request.user,
            service=case.service,
            data={},
            idempotency_key="",
            case=case,
            request_answers=answers,
        )
    except DomainError as exc:
        # The summary at the top names each problem and links to its place, where it is shown again.
        if not exc.fields:
            messages.error(request, str(exc.message))
        return case_page(request, case, status=400, problems=exc.fields)
    messages.success(request, _("Submitted. You can follow the case here."))
    return redirect("servicehall:case", case_id=case.pk)


@access("scoped")
@require_POST
def rate_view(request: AuthedRequest, case_id: uuid.UUID) -> HttpResponse:
    case = cases.case_get(viewer=request.user, case_id=case_id)
    form = RateForm(request.POST)
    if not form.is_valid():
        return case_page(request, case, rate_form=form, status=400)
    case_transition(actor=request.user, case=case, action="rate", **form.cleaned_data)
    messages.success(request, _("Thank you for rating the service."))
    return redirect("servicehall:case", case_id=case.pk)
