"""Operations pages: background jobs and schedules, health (system administrator, ``system.status``);
signed-in sessions with forced sign-out (security administrator, ``session.manage``). Neither opens the
other's pages: the two codes belong to separate admin groups (``accounts.permissions.admin_groups()``)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from talentcloud.accounts import selectors as account_selectors
from talentcloud.accounts import services as account_services
from talentcloud.accounts.permissions import AccountPerm, require_perm
from talentcloud.accounts.types import AuthedRequest
from talentcloud.audit.services import request_ip
from talentcloud.common.access import access
from talentcloud.common.errors import DomainError
from talentcloud.infra.services import scheduled_slot_rerun

from . import selectors
from .permissions import OperationsPerm


@access("admin")
@require_GET
def jobs_view(request: AuthedRequest) -> HttpResponse:
    """Each scheduled job with its last and next run; recent runs (all, or failed only); background jobs."""
    failed_only = request.GET.get("outcome") == "failed"
    slots = selectors.slot_list(viewer=request.user, failed_only=failed_only)
    context = {
        "schedule": selectors.schedule_overview(viewer=request.user),
        "slots": [(slot, selectors.slot_is_stale(slot)) for slot in slots],
        "failed_only": failed_only,
        "jobs": selectors.background_job_list(viewer=request.user),
    }
    return render(request, "operations/jobs.html", context)


@access("admin")
@require_POST
def slot_rerun_view(request: AuthedRequest, slot_id: int) -> HttpResponse:
    require_perm(request.user, OperationsPerm.SYSTEM_STATUS)
    try:
        new = scheduled_slot_rerun(actor=request.user, slot_id=slot_id, source_ip=request_ip(request))
    except DomainError as exc:
        if exc.http_status in (403, 404):
            raise
        messages.error(request, str(exc.message))
    else:
        if new.outcome:
            messages.success(
                request,
                _("%(job)s was run again: %(outcome)s.")
                % {"job": new.job, "outcome": new.get_outcome_display()},
            )
        else:
            messages.success(request, _("%(job)s will run again in a moment.") % {"job": new.job})
    return redirect("operations:jobs")


@access("admin")
@require_GET
def health_view(request: AuthedRequest) -> HttpResponse:
    checks = selectors.health_checks(viewer=request.user)
    context = {"checks": checks, "all_ok": all(c.ok for c in checks)}
    return render(request, "operations/health.html", context)


@access("admin")
@require_http_methods(["GET", "POST"])
def sessions_view(request: AuthedRequest) -> HttpResponse:
    """Signed-in sessions; forced sign-out deletes one (audited), so its next request goes to the login."""
    if request.method == "POST":
        require_perm(request.user, AccountPerm.SESSION_MANAGE)
        try:
            user = account_services.session_end(
                actor=request.user, ref=request.POST.get("session", ""), source_ip=request_ip(request)
            )
        except DomainError as exc:
            if exc.http_status == 403:
                raise
            messages.error(request, str(exc.message))
        else:
            messages.success(
                request, _("%(name)s has been signed out.") % {"name": user.display_name or user.username}
            )
        return redirect("operations:sessions")
    sessions = account_selectors.signed_in_sessions(viewer=request.user)
    own = account_selectors.session_ref(request.session.session_key or "")
    return render(request, "operations/sessions.html", {"sessions": sessions, "own": own})
