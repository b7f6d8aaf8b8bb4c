"""The campaigns pages. Visitors read published campaigns and 双选会 sessions with each post's policy package;
a talent registers, applies (``?via=<kind>:<ref>`` names the channel), and follows every step; an enterprise
answers its own posts' applicants; the office runs campaigns and sessions and reads the analytics."""

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
from talentcloud.accounts.models import User
from talentcloud.accounts.types import AuthedRequest
from talentcloud.audit.services import audit_record, request_ip
from talentcloud.common.access import access
from talentcloud.common.errors import DomainError, NotFound, PermissionDenied
from talentcloud.common.excel import dated_name, xlsx_response
from talentcloud.recruitment.models import JobSeekerProfile

from . import analytics, packages, selectors, services
from .channels import channel_label, ref_name
from .enums import ApplicationState, CampaignState
from .forms import ApplyForm, CampaignForm, InviteForm, NoteForm, SessionForm
from .models import Campaign
from .permissions import CampaignPerm
from .workflow import CAMPAIGNS, application_actions, application_transition, campaign_transition

EXPORT_CAP = 10_000


def _levels(demands: Any) -> dict[str, packages.Package]:
    """The package of every degree level the posts accept (a package depends on the level, not the post)."""
    levels = {level for d in demands for level in packages.accepted_levels(d.degree)}
    return {level: packages.package_for(level) for level in packages.LEVELS if level in levels}


def _with_packages(demands: list[Any]) -> list[tuple[Any, list[packages.Package]]]:
    held = _levels(demands)
    return [(d, [held[level] for level in packages.accepted_levels(d.degree)]) for d in demands]


@access("public")
@require_GET
def campaign_list_view(request: AuthedRequest) -> HttpResponse:
    context = {
        "campaigns": selectors.public_campaigns(),
        "sessions": selectors.public_sessions().filter(ends_at__gt=timezone.now())[:20],
    }
    return render(request, "campaigns/list.html", context)


@access("public")
@require_GET
def campaign_view(request: AuthedRequest, campaign_id: uuid.UUID) -> HttpResponse:
    campaign = selectors.public_campaign_get(campaign_id=campaign_id)
    posts = list(selectors.listed_posts(campaign))
    context = {
        "campaign": campaign,
        "posts": _with_packages(posts),
        "via": f"campaign:{campaign.pk}" if campaign.state == CampaignState.PUBLISHED else "",
        "assumed": packages.ASSUMED,
    }
    return render(request, "campaigns/campaign.html", context)


@access("public")
@require_GET
def post_view(request: AuthedRequest, demand_id: uuid.UUID) -> HttpResponse:
    demand = selectors.public_post_get(demand_id=demand_id)
    campaigns, sessions = selectors.post_listed_in(demand)
    context = {
        "demand": demand,
        "packages": packages.post_packages(demand),
        "campaigns": campaigns,
        "sessions": sessions,
        "via": request.GET.get("via", "")[:100],
        "assumed": packages.ASSUMED,
    }
    return render(request, "campaigns/post.html", context)


@access("public")
@require_GET
def session_list_view(request: AuthedRequest) -> HttpResponse:
    return render(request, "campaigns/sessions.html", {"sessions": selectors.public_sessions()[:100]})


@access("public")
@require_GET
def session_view(request: AuthedRequest, session_id: uuid.UUID) -> HttpResponse:
    session = selectors.public_session_get(session_id=session_id)
    now = timezone.now()
    context = {
        "session": session,
        "posts": _with_packages(list(selectors.listed_posts(session))),
        "open": session.starts_at <= now < session.ends_at,
        "closed": session.ends_at <= now,
        "registered": selectors.is_registered(session=session, account=request.user),
        "is_talent": isinstance(request.user, User) and "talent" in request.user.role_kinds(),
        "via": f"session:{session.pk}",
        "assumed": packages.ASSUMED,
    }
    return render(request, "campaigns/session.html", context)


@access("own")
@require_POST
def session_register_view(request: AuthedRequest, session_id: uuid.UUID) -> HttpResponse:
    session = selectors.public_session_get(session_id=session_id)
    services.session_register(actor=request.user, session=session)
    messages.success(request, _("You are registered for this job fair session."))
    return redirect("campaigns:session", session_id=session.pk)


@access("own")
@require_http_methods(["GET", "POST"])
def apply_view(request: AuthedRequest, demand_id: uuid.UUID) -> HttpResponse:
    if "talent" not in request.user.role_kinds():
        raise PermissionDenied(_("Only a talent's own account applies."))
    demand = selectors.public_post_get(demand_id=demand_id)
    profile = JobSeekerProfile.objects.filter(account=request.user).first()
    initial: dict[str, Any] = {"via": request.GET.get("via", "")[:100]}
    if profile is not None:
        initial.update(degree=profile.degree, major=profile.major_id)
    form = ApplyForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            application = services.application_create(actor=request.user, demand=demand, data=form.to_input())
        except DomainError as exc:
            apply_domain_error(form, exc)
            if "via" in exc.fields:  # the hidden field: show its message where the reader sees it
                for message in exc.fields["via"]:
                    form.add_error(None, str(message))
        else:
            messages.success(request, _("Applied. You will see every step here."))
            return redirect("campaigns:application", job_application_id=application.pk)
    context = {"demand": demand, "form": form, "packages": packages.post_packages(demand)}
    return render(request, "campaigns/apply.html", context, status=400 if form.errors else 200)


@access("own")
@require_GET
def mine_view(request: AuthedRequest) -> HttpResponse:
    if "talent" not in request.user.role_kinds():
        raise PermissionDenied()
    context = {
        "applications": selectors.my_applications(viewer=request.user),
        "campaigns": selectors.public_campaigns().filter(state=CampaignState.PUBLISHED)[:10],
    }
    return render(request, "campaigns/mine.html", context)


@access("scoped")
@require_http_methods(["GET", "POST"])
def application_view(request: AuthedRequest, job_application_id: uuid.UUID) -> HttpResponse:
    application = selectors.application_get(viewer=request.user, application_id=job_application_id)
    actions = application_actions(request.user, application)
    invite = InviteForm(request.POST if request.POST.get("action") == "invite" else None)
    note = NoteForm(request.POST if request.POST.get("action") == "reject" else None)
    problem = ""
    if request.method == "POST":
        action = request.POST.get("action", "")
        payload: dict[str, Any] = {}
        try:
            if action == "invite":
                if not invite.is_valid():
                    raise DomainError(_("Correct the interview times."))
                times = [invite.cleaned_data[f"slot_{i}"] for i in (1, 2, 3)]
                payload["slots"] = services.slots_from_text(
                    [t.isoformat() for t in times if t], invite.cleaned_data["place"]
                )
            elif action == "reject":
                payload["note"] = request.POST.get("note", "")
            elif action == "pick":
                payload["slot"] = request.POST.get("slot", "") or None
            revision = request.POST.get("revision", "")
            application_transition(
                actor=request.user,
                application=application,
                action=action,
                expected_revision=int(revision) if revision.isdigit() else None,
                **payload,
            )
        except DomainError as exc:
            for name, errors in exc.fields.items():
                form = invite if name in ("slots", "place") else note
                for message in errors:
                    form.add_error("place" if name == "place" else None, str(message))
            problem = str(exc.message) if not exc.fields else ""
        else:
            messages.success(request, _("Done."))
            return redirect("campaigns:application", job_application_id=application.pk)
    profile = None
    is_employer = any(t.action in ("invite", "offer", "interviewed", "reject") for t in actions) or (
        request.user.pk != application.applicant_id
    )
    if is_employer:
        profile = JobSeekerProfile.objects.filter(account_id=application.applicant_id).first()
    context = {
        "application": application,
        "actions": [t for t in actions if t.action not in ("invite", "reject", "pick")],
        "may": {t.action for t in actions},
        "invite": invite,
        "note": note,
        "problem": problem,
        "slots": selectors.free_slots(application),
        "slot": selectors.chosen_slot(application),
        "events": application.events.select_related("actor"),
        "profile": profile,
        "channel": channel_label(application.channel),
        "channel_ref": ref_name(application.channel, application.channel_ref),
        "is_applicant": request.user.pk == application.applicant_id,
    }
    status = 400 if problem or invite.errors or note.errors else 200
    return render(request, "campaigns/application.html", context, status=status)


@access("scoped", perm=CampaignPerm.ANSWER)
@require_GET
def applicants_view(request: AuthedRequest) -> HttpResponse:
    state = request.GET.get("state", "")
    state = state if state in ApplicationState.values else ""
    rows = selectors.answerable(viewer=request.user)
    if state:
        rows = rows.filter(state=state)
    page = Paginator(rows.order_by("-created_at", "id"), 25).get_page(request.GET.get("page"))
    return render(
        request,
        "campaigns/applicants.html",
        {"page": page, "state": state, "states": ApplicationState.choices},
    )


def _pipeline_rows(rows: Any) -> tuple[list[str], list[list[Any]]]:
    header = [
        _("Enterprise"),
        _("Post"),
        _("Applicant"),
        _("Highest degree"),
        _("Channel"),
        _("Channel reference"),
        _("Stage"),
        _("Applied at"),
        _("Last step at"),
    ]
    body = [
        [
            a.enterprise.name,
            a.demand.post.name,
            str(a.applicant),
            a.get_degree_display(),
            channel_label(a.channel),
            ref_name(a.channel, a.channel_ref),
            a.get_state_display(),
            timezone.localtime(a.created_at).strftime("%Y-%m-%d %H:%M"),
            timezone.localtime(a.updated_at).strftime("%Y-%m-%d %H:%M"),
        ]
        for a in rows
    ]
    return header, body


@access("scoped", perm=CampaignPerm.ANSWER)
@require_GET
def applicants_export_view(request: AuthedRequest) -> HttpResponse:
    rows = selectors.answerable(viewer=request.user).order_by("-created_at", "id")[:EXPORT_CAP]
    header, body = _pipeline_rows(rows)
    audit_record(
        actor=request.user,
        action="job_application.export",
        object_type="job_application",
        source_ip=request_ip(request),
        details={"rows": len(body)},
    )
    return xlsx_response(
        filename=dated_name(_("Applicants")), sheet=_("Applicants"), header=header, rows=body
    )


# -- the office -------------------------------------------------------------------------------------------


@access("scoped", perm=CampaignPerm.MANAGE)
@require_GET
def manage_list_view(request: AuthedRequest) -> HttpResponse:
    context = {
        "campaigns": Campaign.objects.select_related("chain").order_by("-starts_on", "title"),
        "sessions": selectors.public_sessions()[:50],
    }
    return render(request, "campaigns/manage_list.html", context)


@access("scoped", perm=CampaignPerm.MANAGE)
@require_http_methods(["GET", "POST"])
def campaign_new_view(request: AuthedRequest) -> HttpResponse:
    form = CampaignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            campaign = services.campaign_save(actor=request.user, data=form.to_input())
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("Campaign drafted."))
            return redirect("campaigns:campaign_manage", campaign_id=campaign.pk)
    return render(request, "campaigns/campaign_form.html", {"form": form}, status=400 if form.errors else 200)


@access("scoped", perm=CampaignPerm.MANAGE)
@require_http_methods(["GET", "POST"])
def campaign_manage_view(request: AuthedRequest, campaign_id: uuid.UUID) -> HttpResponse:
    campaign = Campaign.objects.filter(pk=campaign_id).first()
    if campaign is None:
        raise NotFound()
    initial = {
        "title": campaign.title,
        "target": campaign.target,
        "majors": list(campaign.majors.all()),
        "chain": campaign.chain,
        "starts_on": campaign.starts_on,
        "ends_on": campaign.ends_on,
        "intro": campaign.intro,
        "posts": list(campaign.posts.all()),
    }
    form = CampaignForm(request.POST if request.POST.get("edit") else None, initial=initial)
    problem = ""
    if request.method == "POST":
        try:
            if request.POST.get("edit"):
                if form.is_valid():
                    services.campaign_save(actor=request.user, data=form.to_input(), campaign=campaign)
                    messages.success(request, _("Saved."))
                    return redirect("campaigns:campaign_manage", campaign_id=campaign.pk)
            else:
                revision = request.POST.get("revision", "")
                campaign_transition(
                    actor=request.user,
                    campaign=campaign,
                    action=request.POST.get("action", ""),
                    expected_revision=int(revision) if revision.isdigit() else None,
                )
                messages.success(request, _("Done."))
                return redirect("campaigns:campaign_manage", campaign_id=campaign.pk)
        except DomainError as exc:
            if request.POST.get("edit"):
                apply_domain_error(form, exc)
            else:
                problem = str(exc.message)
    actions = [t for t in CAMPAIGNS.table if t.source == campaign.state]
    figures = analytics.conversion_by_channel(
        selectors.application_list(viewer=request.user).filter(campaign=campaign)
    )
    context = {"campaign": campaign, "form": form, "actions": actions, "problem": problem, "figures": figures}
    return render(
        request, "campaigns/campaign_manage.html", context, status=400 if problem or form.errors else 200
    )


@access("scoped", perm=CampaignPerm.MANAGE)
@require_http_methods(["GET", "POST"])
def session_new_view(request: AuthedRequest) -> HttpResponse:
    form = SessionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            session = services.session_create(actor=request.user, data=form.to_input())
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("Job fair session set up."))
            return redirect("campaigns:session", session_id=session.pk)
    return render(request, "campaigns/session_form.html", {"form": form}, status=400 if form.errors else 200)


@access("scoped", perm=CampaignPerm.MANAGE)
@require_GET
def analytics_view(request: AuthedRequest) -> HttpResponse:
    applications = selectors.application_list(viewer=request.user)
    context = {
        "stages": analytics.stage_durations(applications),
        "channels": analytics.conversion_by_channel(applications),
        "total": applications.count(),
    }
    return render(request, "campaigns/analytics.html", context)


@access("scoped", perm=CampaignPerm.MANAGE)
@require_GET
def pipeline_export_view(request: AuthedRequest) -> HttpResponse:
    rows = selectors.application_list(viewer=request.user)[:EXPORT_CAP]
    header, body = _pipeline_rows(rows)
    audit_record(
        actor=request.user,
        action="pipeline.export",
        object_type="job_application",
        source_ip=request_ip(request),
        details={"rows": len(body)},
    )
    return xlsx_response(filename=dated_name(_("Pipelines")), sheet=_("Pipelines"), header=header, rows=body)
