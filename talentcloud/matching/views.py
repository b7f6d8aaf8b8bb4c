"""The matching pages: an enterprise's posts and the talents matched with each (masked, explained, with a
request for contact and an Excel export); the same within scope for parks, streets and the office; a
talent's posts for them, their matching details, consent, and the requests for contact to answer."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from talentcloud.accounts.forms import apply_domain_error
from talentcloud.accounts.permissions import has_perm
from talentcloud.accounts.types import AuthedRequest
from talentcloud.audit.services import audit_record, request_ip
from talentcloud.common.access import access
from talentcloud.common.errors import DomainError, PermissionDenied
from talentcloud.common.excel import dated_name, xlsx_response
from talentcloud.enterprises.models import EnterpriseMember
from talentcloud.recruitment import selectors as recruitment
from talentcloud.recruitment.enums import DemandState
from talentcloud.recruitment.models import Demand
from talentcloud.recruitment.permissions import RecruitPerm
from talentcloud.talents.consents import current_consents
from talentcloud.talents.models import Talent

from . import selectors, services
from .access import demand_for, demand_to_contact_for, is_talent, may_match
from .consent_purposes import PURPOSE
from .forms import AnswerForm, ContactForm, DetailsForm
from .models import MatchDetails
from .ranking import Match
from .selectors import Shown


@access("scoped")
@require_GET
def demand_list_view(request: AuthedRequest) -> HttpResponse:
    """The open demand the viewer may see (their enterprise's, or within their scope), each a door to its
    matches."""
    if not may_match(request.user):
        raise PermissionDenied()
    rows = recruitment.demand_list(viewer=request.user, state=DemandState.OPEN)
    page = Paginator(rows, 25).get_page(request.GET.get("page"))
    return render(request, "matching/demand_list.html", {"page": page})


def _rows(request: AuthedRequest, demand_id: uuid.UUID) -> tuple[Demand, list[tuple[Shown, Match]]]:
    demand = demand_for(request.user, demand_id)
    matches = selectors.talents_for_demand(demand)
    shown = selectors.shown(matches, demand.enterprise_id, demand.pk)
    return demand, list(zip(shown, matches, strict=True))


@access("scoped")
@require_http_methods(["GET", "POST"])
def demand_matches_view(request: AuthedRequest, demand_id: uuid.UUID) -> HttpResponse:
    if request.method == "POST":
        demand = demand_to_contact_for(request.user, demand_id)
        form = ContactForm(request.POST)
        if form.is_valid():
            try:
                services.contact_request(
                    actor=request.user,
                    demand=demand,
                    profile_id=form.cleaned_data["profile_id"],
                    source_ip=request_ip(request),
                )
            except DomainError as exc:
                messages.error(request, str(exc.message))
            else:
                messages.success(request, _("Contact requested. The talent will answer."))
        return redirect("matching:demand", demand_id=demand_id)
    demand, rows = _rows(request, demand_id)
    may_contact = has_perm(request.user, RecruitPerm.DEMAND_POST) and (
        EnterpriseMember.objects.filter(enterprise_id=demand.enterprise_id, user=request.user).exists()
    )
    context = {"demand": demand, "rows": rows, "may_contact": may_contact}
    return render(request, "matching/demand.html", context)


@access("scoped")
@require_GET
def demand_export_view(request: AuthedRequest, demand_id: uuid.UUID) -> HttpResponse:
    """A demand's matches as .xlsx: masked as on the page, scoped, audited."""
    demand, rows = _rows(request, demand_id)
    header = [
        _("Rank"),
        _("Profile number"),
        _("Name"),
        _("Degree"),
        _("Major"),
        _("Post sought"),
        _("Years of experience"),
        _("Skills"),
        _("Matched skills"),
        _("Also matched"),
        _("Missing"),
        _("Score"),
    ]
    body = []
    for i, (s, m) in enumerate(rows, start=1):
        e = m.explanation
        also = [t for t in (e.major, e.degree, e.post, e.chain) if t] + e.keywords
        missing = list(e.missing_skills)
        if e.years_short:
            missing.append(_("%(n)s more years of experience") % {"n": e.years_short})
        body.append(
            [
                i,
                s.profile_id,
                s.name,
                s.degree,
                s.major,
                s.post,
                s.experience_years,
                "、".join(s.skills),
                "、".join(e.skills),
                "、".join(also),
                "、".join(missing),
                round(m.score, 3),
            ]
        )
    audit_record(
        actor=request.user,
        action="matching.export",
        object_type="demand",
        object_id=demand.pk,
        source_ip=request_ip(request),
        details={"rows": len(body)},
    )
    return xlsx_response(
        filename=dated_name(_("Matched talents")), sheet=_("Matched talents"), header=header, rows=body
    )


@access("own")
@require_http_methods(["GET", "POST"])
def me_view(request: AuthedRequest) -> HttpResponse:
    """A talent's posts, matching details, consent and requests for contact."""
    if not is_talent(request.user):
        raise PermissionDenied()
    profile = selectors.own_profile(request.user)
    talent = Talent.objects.filter(account=request.user).first()
    details = MatchDetails.objects.filter(profile=profile).first() if profile else None
    initial = {}
    if details is not None:
        initial = {
            "skills": list(details.skills.values_list("pk", flat=True)),
            "location": details.location,
            "chain": details.chain_id,
            "salary_floor": details.salary_floor,
            "summary": details.summary,
        }
    action = request.POST.get("action", "")
    form = DetailsForm(request.POST if action == "details" else None, initial=initial)
    if request.method == "POST":
        try:
            if action == "details":
                if form.is_valid():
                    services.details_save(
                        actor=request.user, source_ip=request_ip(request), **form.cleaned_data
                    )
                    messages.success(request, _("Saved."))
                    return redirect("matching:me")
            elif action == "consent":
                services.consent_give(actor=request.user, granted=request.POST.get("granted") == "1")
                messages.success(request, _("Saved."))
                return redirect("matching:me")
            elif action == "answer":
                answer = AnswerForm(request.POST)
                if answer.is_valid():
                    services.contact_answer(
                        actor=request.user,
                        request_id=answer.cleaned_data["request_id"],
                        accept=answer.cleaned_data["accept"],
                        source_ip=request_ip(request),
                    )
                    messages.success(request, _("Saved."))
                return redirect("matching:me")
        except DomainError as exc:
            if action == "details":
                apply_domain_error(form, exc)
            else:
                messages.error(request, str(exc.message))
                return redirect("matching:me")
    consent = current_consents(talent).get(PURPOSE) if talent else None
    context = {
        "profile": profile,
        "talent": talent,
        "consent": consent,
        "form": form,
        "posts": selectors.posts_for_profile(profile) if profile else [],
        "contacts": selectors.requests_for(request.user),
    }
    return render(request, "matching/me.html", context, status=400 if form.errors else 200)
