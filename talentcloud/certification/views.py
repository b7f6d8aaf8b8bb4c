"""The certification pages: the talent's own certification; a talent's history with the certify form (staff);
pending proposals, expiring certifications and the classification rules; the Excel export. Every list is
limited to the talents the viewer may see (``talents.selectors.talent_list``)."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from talentcloud.accounts.forms import apply_domain_error
from talentcloud.accounts.permissions import require_perm
from talentcloud.accounts.types import AuthedRequest
from talentcloud.audit.services import audit_record, request_ip
from talentcloud.common.access import access
from talentcloud.common.errors import DomainError, NotFound
from talentcloud.common.excel import dated_name, xlsx_response

from . import classification, selectors, services
from .forms import CertifyForm, RuleForm
from .permissions import CertPerm

EXPORT_CAP = 10_000


@access("own")
@require_GET
def mine_view(request: AuthedRequest) -> HttpResponse:
    try:
        talent, history = selectors.own_history(viewer=request.user)
    except NotFound:  # an account with no archive linked yet: the page says so
        return render(request, "certification/mine.html", {"talent": None, "history": [], "current": None})
    current = next((c for c in history if c.status == "current"), None)
    return render(
        request, "certification/mine.html", {"talent": talent, "history": history, "current": current}
    )


@access("scoped")
@require_http_methods(["GET", "POST"])
def talent_view(request: AuthedRequest, talent_id: uuid.UUID) -> HttpResponse:
    talent, history = selectors.talent_history(viewer=request.user, talent_id=talent_id)
    form = None
    if selectors.may_manage(request.user):
        form = CertifyForm(request.POST or None, initial={"grade": talent.grade, "tier": talent.tier})
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                services.certify(
                    actor=request.user,
                    talent=talent,
                    decision=services.Decision(
                        grade=data["grade"],
                        tier=data["tier"],
                        basis=data["basis"],
                        effective_from=data["effective_from"],
                        effective_to=data["effective_to"],
                        document_number=data["document_number"],
                        reason=data["reason"],
                    ),
                )
            except DomainError as exc:
                apply_domain_error(form, exc)
            else:
                messages.success(request, _("Certified."))
                return redirect("certification:talent", talent_id=talent.pk)
    elif request.method == "POST":
        require_perm(request.user, CertPerm.MANAGE)
    context = {"talent": talent, "history": history, "form": form}
    return render(request, "certification/talent.html", context, status=400 if form and form.errors else 200)


@access("scoped")
@require_POST
def renew_view(request: AuthedRequest, certification_id: uuid.UUID) -> HttpResponse:
    require_perm(request.user, CertPerm.MANAGE)
    certification = selectors.certification_get(viewer=request.user, certification_id=certification_id)
    services.renew(actor=request.user, certification=certification)
    messages.success(request, _("Renewal recorded; it takes effect when the current validity ends."))
    if request.POST.get("next") == "expiring":
        return redirect("certification:expiring")
    return redirect("certification:talent", talent_id=certification.talent_id)


@access("scoped")
@require_GET
def expiring_view(request: AuthedRequest) -> HttpResponse:
    rows = selectors.expiring(viewer=request.user)
    page = Paginator(rows, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "certification/expiring.html",
        {"page": page, "days": selectors.EXPIRING_DAYS, "manage": selectors.may_manage(request.user)},
    )


@access("scoped")
@require_http_methods(["GET", "POST"])
def proposals_view(request: AuthedRequest) -> HttpResponse:
    if request.method == "POST":
        try:
            proposal_id = int(request.POST.get("proposal", ""))
        except ValueError:
            raise NotFound() from None
        proposal = selectors.proposal_get(viewer=request.user, proposal_id=proposal_id)
        if request.POST.get("decision") == "confirm":
            services.proposal_confirm(actor=request.user, proposal=proposal)
            messages.success(request, _("Confirmed: the grade is certified."))
        else:
            services.proposal_dismiss(actor=request.user, proposal=proposal)
            messages.success(request, _("Dismissed."))
        return redirect("certification:proposals")
    page = Paginator(selectors.proposals(viewer=request.user), 25).get_page(request.GET.get("page"))
    return render(
        request, "certification/proposals.html", {"page": page, "manage": selectors.may_manage(request.user)}
    )


@access("scoped")
@require_http_methods(["GET", "POST"])
def rules_view(request: AuthedRequest) -> HttpResponse:
    rules = selectors.rules(viewer=request.user)
    form = RuleForm(request.POST or None) if request.method == "POST" or request.GET.get("new") else None
    if request.method == "POST" and "classify" in request.POST:
        result = classification.classify(actor=request.user)
        messages.success(
            request, _("%(count)d grades proposed for confirmation.") % {"count": result.proposed}
        )
        return redirect("certification:proposals")
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            classification.rule_save(actor=request.user, values=form.cleaned_data)
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("certification:rules")
    return render(
        request,
        "certification/rules.html",
        {"rules": rules, "form": form, "today": timezone.localdate()},
        status=400 if form is not None and form.errors else 200,
    )


@access("scoped")
@require_GET
def export_view(request: AuthedRequest) -> HttpResponse:
    """Every certification of the talents in the viewer's scope (capped), formula-safe, audited."""
    rows: list[tuple[Any, ...]] = [
        (
            c.talent.name,
            c.get_grade_display(),
            c.get_tier_display(),
            c.get_basis_display(),
            c.get_status_display(),
            c.effective_from,
            c.effective_to,
            c.document_number,
            c.decided_by.get_full_name() or c.decided_by.username if c.decided_by else "",
            c.reason,
        )
        for c in selectors.certifications_in_scope(viewer=request.user)[:EXPORT_CAP]
    ]
    audit_record(
        actor=request.user,
        action="certification.export",
        object_type="talent",
        source_ip=request_ip(request),
        details={"rows": len(rows)},
    )
    header = [
        _("Talent"),
        _("Certification grade"),
        _("Programme tier"),
        _("Basis"),
        _("Status"),
        _("Effective from"),
        _("Effective to"),
        _("Document number"),
        _("Decided by"),
        _("Reason"),
    ]
    return xlsx_response(
        filename=dated_name(_("Certifications")), sheet="certifications", header=header, rows=rows
    )
