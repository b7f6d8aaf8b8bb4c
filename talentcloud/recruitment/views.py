"""The recruitment pages: enterprises post and import demand; parks, streets and the office review it within
their scope; talents keep a job-seeker profile; the office keeps the taxonomies and compiles, previews,
freezes and publishes the yearly catalogue; visitors read and download published catalogues."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from talentcloud.accounts.forms import apply_domain_error
from talentcloud.accounts.permissions import has_perm, require_perm
from talentcloud.accounts.types import AuthedRequest
from talentcloud.audit.services import audit_record, request_ip
from talentcloud.common.access import access
from talentcloud.common.errors import DomainError, NotFound, PermissionDenied
from talentcloud.common.excel import attachment, dated_name, xlsx_download, xlsx_response
from talentcloud.common.models import BackgroundJob
from talentcloud.infra.sheets import import_start, importers

from . import selectors, services, shortage
from .enums import CatalogueState, DemandState
from .forms import AdjustForm, DemandForm, ProfileForm, ReviewForm, SettingsForm, UploadForm, YearForm
from .models import Catalogue, GraduateSupply, JobSeekerProfile, Major, Post, Skill
from .permissions import RecruitPerm
from .workflow import demand_actions, demand_transition

EXPORT_CAP = 10_000
TAXONOMY_KINDS = ("post_import", "major_import", "skill_import", "graduate_import")


def _may_see_demand(request: AuthedRequest) -> None:
    if not (
        has_perm(request.user, RecruitPerm.DEMAND_REVIEW) or has_perm(request.user, RecruitPerm.DEMAND_POST)
    ):
        raise PermissionDenied()


@access("scoped")
@require_GET
def demand_list_view(request: AuthedRequest) -> HttpResponse:
    _may_see_demand(request)
    state = request.GET.get("state", "")
    state = state if state in DemandState.values else ""
    rows = selectors.demand_list(viewer=request.user, state=state)
    page = Paginator(rows, 25).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "state": state,
        "states": DemandState.choices,
        "may_post": selectors.own_enterprise(request.user) is not None,
    }
    return render(request, "recruitment/demand_list.html", context)


@access("scoped")
@require_GET
def demand_export_view(request: AuthedRequest) -> HttpResponse:
    _may_see_demand(request)
    rows = selectors.demand_list(viewer=request.user).prefetch_related("majors", "skills")[:EXPORT_CAP]
    header = [
        _("Enterprise"),
        _("Post code"),
        _("Post"),
        _("Job title"),
        _("Headcount"),
        _("Minimum degree"),
        _("Majors"),
        _("Skills"),
        _("Years of experience"),
        _("Annual salary from (yuan)"),
        _("Annual salary to (yuan)"),
        _("Work location"),
        _("Deadline"),
        _("State"),
    ]
    body = [
        [
            d.enterprise.name,
            d.post.code,
            d.post.name,
            d.title,
            d.headcount,
            d.get_degree_display(),
            "、".join(m.code for m in d.majors.all()),
            "、".join(s.term for s in d.skills.all()),
            d.experience_years,
            d.annual_min or _("Negotiable"),
            d.annual_max or "",
            d.location,
            d.deadline.isoformat(),
            d.get_state_display(),
        ]
        for d in rows
    ]
    audit_record(
        actor=request.user,
        action="demand.export",
        object_type="demand",
        source_ip=request_ip(request),
        details={"rows": len(body)},
    )
    return xlsx_response(filename=dated_name(_("Demand")), sheet=_("Demand"), header=header, rows=body)


@access("own")
@require_http_methods(["GET", "POST"])
def demand_new_view(request: AuthedRequest) -> HttpResponse:
    require_perm(request.user, RecruitPerm.DEMAND_POST)
    enterprise = selectors.own_enterprise(request.user)
    if enterprise is None:
        raise NotFound(_("Your account acts for no enterprise yet."))
    form = DemandForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            demand = services.demand_create(
                actor=request.user, enterprise=enterprise, data=form.to_input(), source_ip=request_ip(request)
            )
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("Demand posted; your park or street reviews it."))
            return redirect("recruitment:demand", demand_id=demand.pk)
    context = {"form": form, "enterprise": enterprise}
    return render(request, "recruitment/demand_form.html", context, status=400 if form.errors else 200)


@access("scoped")
@require_http_methods(["GET", "POST"])
def demand_view(request: AuthedRequest, demand_id: uuid.UUID) -> HttpResponse:
    demand = selectors.demand_get(viewer=request.user, demand_id=demand_id)
    actions = demand_actions(request.user, demand)
    review = ReviewForm(request.POST if request.POST.get("action") else None)
    editable = demand.state in (DemandState.SUBMITTED, DemandState.RETURNED) and any(
        t.action in ("resubmit", "withdraw") for t in actions
    )
    edit = DemandForm(
        request.POST if request.POST.get("edit") else None, initial=DemandForm.initial_of(demand)
    )
    if request.method == "POST" and request.POST.get("edit"):
        if not editable:
            raise PermissionDenied()
        if edit.is_valid():
            try:
                services.demand_update(
                    actor=request.user, demand=demand, data=edit.to_input(), source_ip=request_ip(request)
                )
            except DomainError as exc:
                apply_domain_error(edit, exc)
            else:
                messages.success(request, _("Saved."))
                return redirect("recruitment:demand", demand_id=demand.pk)
    elif request.method == "POST":
        if not actions:
            raise PermissionDenied()
        if review.is_valid():
            data = review.cleaned_data
            try:
                demand_transition(
                    actor=request.user,
                    demand=demand,
                    action=data["action"],
                    expected_revision=data["revision"],
                    note=data["note"],
                )
            except DomainError as exc:
                apply_domain_error(review, exc)
            else:
                messages.success(request, _("Done."))
                return redirect("recruitment:demand", demand_id=demand.pk)
    context = {
        "demand": demand,
        "actions": actions,
        "review": review,
        "edit": edit if editable else None,
        "events": demand.events.select_related("actor"),
    }
    failed = request.method == "POST" and (review.errors or edit.errors)
    return render(request, "recruitment/demand.html", context, status=400 if failed else 200)


@access("own")
@require_http_methods(["GET", "POST"])
def demand_import_view(request: AuthedRequest) -> HttpResponse:
    require_perm(request.user, RecruitPerm.DEMAND_POST)
    if selectors.own_enterprise(request.user) is None:
        raise NotFound(_("Your account acts for no enterprise yet."))
    return _import_page(request, "demand_import", reverse("recruitment:demand_template"))


@access("own")
@require_GET
def demand_template_view(request: AuthedRequest) -> HttpResponse:
    require_perm(request.user, RecruitPerm.DEMAND_POST)
    return xlsx_download(importers()["demand_import"].template(), f"{_('Demand import template')}.xlsx")


def _import_page(request: AuthedRequest, kind: str, template_url: str) -> HttpResponse:
    importer = importers()[kind]
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            job = import_start(
                importer=importer, actor=request.user, filename=upload.name, data=upload.read()
            )
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            return redirect("web:job", job_id=job.pk)
    context = {
        "form": form,
        "jobs": BackgroundJob.objects.filter(owner=request.user, kind=kind)[:10],
        "title": importer.title,
        "template_url": template_url,
        "fill_hint": _("and fill one row per record (headers in Chinese or English)."),
        "repeat_hint": _(
            "A file with any wrong row saves nothing; importing the same file again changes nothing."
        ),
    }
    return render(request, "web/import.html", context, status=400 if form.errors else 200)


@access("own")
@require_http_methods(["GET", "POST"])
def profile_view(request: AuthedRequest) -> HttpResponse:
    """A talent's job-seeker profile: counted as supply only while they opt in."""
    if "talent" not in request.user.role_kinds():
        raise PermissionDenied()
    profile = JobSeekerProfile.objects.filter(account=request.user).first()
    initial = {}
    if profile is not None:
        initial = {
            "post": profile.post_id,
            "degree": profile.degree,
            "major": profile.major_id,
            "experience_years": profile.experience_years,
            "open": profile.open,
        }
    form = ProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.profile_save(actor=request.user, source_ip=request_ip(request), **form.cleaned_data)
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("recruitment:profile")
    return render(request, "recruitment/profile.html", {"form": form}, status=400 if form.errors else 200)


@access("scoped", perm=RecruitPerm.TAXONOMY_MANAGE)
@require_http_methods(["GET", "POST"])
def taxonomy_view(request: AuthedRequest) -> HttpResponse:
    kind = request.POST.get("kind") or request.GET.get("kind") or ""
    if kind in TAXONOMY_KINDS:
        return _import_page(request, kind, reverse("recruitment:taxonomy_template", args=[kind]))
    if request.method == "POST":
        raise NotFound()
    context = {
        "counts": [
            (_("Posts"), Post.objects.filter(active=True).count(), "post_import"),
            (_("Majors"), Major.objects.count(), "major_import"),
            (_("Skills dictionary"), Skill.objects.filter(active=True).count(), "skill_import"),
            (_("Expected graduates (rows)"), GraduateSupply.objects.count(), "graduate_import"),
        ],
        "posts": Post.objects.filter(active=True).prefetch_related("majors")[:200],
        "skills": Skill.objects.filter(active=True)[:500],
    }
    return render(request, "recruitment/taxonomy.html", context)


@access("scoped", perm=RecruitPerm.TAXONOMY_MANAGE)
@require_GET
def taxonomy_template_view(request: AuthedRequest, kind: str) -> HttpResponse:
    if kind not in TAXONOMY_KINDS:
        raise NotFound()
    importer = importers()[kind]
    return xlsx_download(importer.template(), f"{importer.title}.xlsx")


# -- the catalogue (office) ------------------------------------------------------------------------------


@access("scoped", perm=RecruitPerm.CATALOGUE_MANAGE)
@require_http_methods(["GET", "POST"])
def catalogue_manage_list_view(request: AuthedRequest) -> HttpResponse:
    form = YearForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            catalogue = services.catalogue_open(actor=request.user, year=form.cleaned_data["year"])
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            return redirect("recruitment:catalogue_manage", year=catalogue.year)
    context = {"catalogues": Catalogue.objects.defer("xlsx", "pdf"), "form": form}
    return render(request, "recruitment/catalogue_list.html", context, status=400 if form.errors else 200)


@access("scoped", perm=RecruitPerm.CATALOGUE_MANAGE)
@require_http_methods(["GET", "POST"])
def catalogue_manage_view(request: AuthedRequest, year: int) -> HttpResponse:
    catalogue = selectors.catalogue_get(year=year)
    step = request.POST.get("step", "")
    settings_form = SettingsForm(
        request.POST if step in ("preview", "save") else None, initial=SettingsForm.initial_of(catalogue)
    )
    adjust = AdjustForm(request.POST if step == "adjust" else None)
    preview: list[dict[str, Any]] | None = None
    status = 200
    if request.method == "POST":
        try:
            if step in ("preview", "save"):
                if settings_form.is_valid():
                    weights, mode, cutoffs = settings_form.values()
                    errors = services.settings_errors(weights, mode, cutoffs)
                    if errors:
                        raise services.ValidationFailed(fields=errors)
                    if step == "save":
                        services.catalogue_settings(
                            actor=request.user,
                            catalogue=catalogue,
                            weights=weights,
                            mode=mode,
                            cutoffs=cutoffs,
                        )
                        messages.success(request, _("Weights and cut-offs saved."))
                        return redirect("recruitment:catalogue_manage", year=year)
                    if catalogue.state != CatalogueState.DRAFT:
                        raise services.Conflict(_("A frozen catalogue keeps its stars."))
                    preview = selectors.catalogue_preview(
                        catalogue, weights=weights, mode=mode, cutoffs=cutoffs
                    )
            elif step == "adjust":
                if adjust.is_valid():
                    d = adjust.cleaned_data
                    services.catalogue_adjust(
                        actor=request.user,
                        catalogue=catalogue,
                        post=d["post"],
                        include=d["include"],
                        reason=d["reason"],
                    )
                    messages.success(request, _("Saved."))
                    return redirect("recruitment:catalogue_manage", year=year)
            elif step == "freeze":
                services.catalogue_freeze(actor=request.user, catalogue=catalogue)
                messages.success(request, _("Frozen: the stars and scores no longer change."))
                return redirect("recruitment:catalogue_manage", year=year)
            elif step == "publish":
                services.catalogue_publish(actor=request.user, catalogue=catalogue)
                messages.success(request, _("Published on the portal."))
                return redirect("recruitment:catalogue_manage", year=year)
            else:
                raise NotFound()
        except DomainError as exc:
            if isinstance(exc, NotFound):
                raise
            apply_domain_error(adjust if step == "adjust" else settings_form, exc)
        if settings_form.errors or adjust.errors:
            status = 400
    context = {
        "catalogue": catalogue,
        "rows": selectors.catalogue_rows(catalogue),
        "settings_form": settings_form,
        "adjust": adjust,
        "preview": preview,
        "draft": catalogue.state == CatalogueState.DRAFT,
        "dimensions": shortage.DIMENSIONS,
        "adjustments": catalogue.adjustments.select_related("post", "by"),
    }
    return render(request, "recruitment/catalogue_manage.html", context, status=status)


# -- the portal (visitors) ----------------------------------------------------------------------------------


@access("public")
@require_GET
def catalogue_public_list_view(request: Any) -> HttpResponse:
    return render(request, "recruitment/public_list.html", {"catalogues": selectors.published_catalogues()})


@access("public")
@require_GET
def catalogue_public_view(request: Any, year: int) -> HttpResponse:
    catalogue = selectors.published_get(year=year)
    context = {"catalogue": catalogue, "rows": selectors.catalogue_rows(catalogue)}
    return render(request, "recruitment/public_catalogue.html", context)


@access("public")
@require_GET
def catalogue_xlsx_view(request: Any, year: int) -> HttpResponse:
    catalogue = selectors.published_get(year=year)
    return xlsx_download(bytes(catalogue.xlsx), f"{_('Demand catalogue %(year)d') % {'year': year}}.xlsx")


@access("public")
@require_GET
def catalogue_pdf_view(request: Any, year: int) -> HttpResponse:
    catalogue = selectors.published_get(year=year)
    response = HttpResponse(bytes(catalogue.pdf), content_type="application/pdf")
    response["Content-Disposition"] = attachment(f"{_('Demand catalogue %(year)d') % {'year': year}}.pdf")
    return response
