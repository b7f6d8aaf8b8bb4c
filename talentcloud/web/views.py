from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods
from django.views.i18n import set_language

from talentcloud.accounts.forms import apply_domain_error
from talentcloud.accounts.middleware import session_seconds_left
from talentcloud.accounts.permissions import has_perm, require_perm
from talentcloud.accounts.services import language_set
from talentcloud.accounts.types import AuthedRequest
from talentcloud.audit.services import audit_record, request_ip
from talentcloud.common.access import access
from talentcloud.common.errors import DomainError
from talentcloud.common.excel import job_file_name, xlsx_download
from talentcloud.common.models import BackgroundJob, CalendarOverride, JobStatus
from talentcloud.common.workdays import years_without_data
from talentcloud.infra.services import calendar_override_delete, calendar_override_set
from talentcloud.infra.sheets import importers
from talentcloud.policies.models import Policy, PolicyStatus
from talentcloud.privacy.storage import encrypted_storage
from talentcloud.servicehall.enums import Theme
from talentcloud.talents.permissions import TalentPerm
from talentcloud.talents.selectors import talent_own_archive

from .forms import CalendarOverrideForm
from .navigation import nav_for
from .permissions import WebPerm


@access("public")
@require_GET
def home_view(request: HttpRequest) -> HttpResponse:
    """``/``: the public portal for a visitor; a signed-in user's own home (their workbench)."""
    user = request.user
    if not user.is_authenticated:
        return _portal(request)
    if getattr(user, "requires_second_factor", False) and not user.is_verified():
        # A public view is not held by the second-factor middleware: the workbench still needs the code.
        return redirect("accounts:otp_verify")
    return _home(request)  # type: ignore[arg-type]


@access("public")
@require_GET
def portal_view(request: HttpRequest) -> HttpResponse:
    """The public portal, for everyone (signed-in users reach it from their home)."""
    return _portal(request)


def _portal(request: HttpRequest) -> HttpResponse:

    policies = Policy.objects.filter(status=PolicyStatus.PUBLISHED).order_by("-effective_from", "code")[:6]
    context = {"themes": Theme.choices, "policies": policies}
    return render(request, "web/portal.html", context)


@access("public")
@require_GET
def privacy_view(request: HttpRequest) -> HttpResponse:
    """The privacy statement (个人信息保护声明) the portal's footer links to."""
    return render(request, "web/privacy.html", {"pipl_days": settings.PIPL_ANSWER_WORKING_DAYS})


def _home(request: AuthedRequest) -> HttpResponse:
    tiles = [item for item in nav_for(request.user) if item.url_name != "web:home"]
    own_archive = talent_own_archive(viewer=request.user)
    calendar_gaps: list[int] = []
    if has_perm(request.user, TalentPerm.DASHBOARD_VIEW) or has_perm(request.user, WebPerm.CALENDAR_MANAGE):
        calendar_gaps = years_without_data(timezone.localdate())
    context = {
        "tiles": tiles,
        "own_archive": own_archive,
        "calendar_gaps": calendar_gaps,
        "calendar_link": has_perm(request.user, WebPerm.CALENDAR_MANAGE),
    }
    return render(request, "web/home.html", context)


@access("shell")
@require_GET
def session_status_view(request: HttpRequest) -> HttpResponse:
    """Polled in the background (X-Background: 1): shows time left, never extends the session."""
    seconds = session_seconds_left(request)
    return render(request, "web/session_status.html", {"minutes_left": (seconds + 59) // 60})


@access("admin")
@require_http_methods(["GET", "POST"])
def calendar_view(request: AuthedRequest) -> HttpResponse:
    """The holiday calendar's override table, for the year asked (default: next year)."""
    require_perm(request.user, WebPerm.CALENDAR_MANAGE)
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year", today.year + 1))
    except ValueError:
        year = today.year + 1
    form = CalendarOverrideForm(request.POST or None)
    if request.method == "POST":
        if "delete" in request.POST:
            try:
                calendar_override_delete(actor=request.user, override_id=int(request.POST["delete"]))
            except (DomainError, ValueError):
                raise Http404 from None
            return redirect(f"{reverse('web:calendar')}?year={year}")
        if form.is_valid():
            try:
                calendar_override_set(actor=request.user, **form.cleaned_data)
            except DomainError as exc:
                apply_domain_error(form, exc)
            else:
                messages.success(request, _("Saved."))
                return redirect(f"{reverse('web:calendar')}?year={form.cleaned_data['day'].year}")
    context = {
        "form": form,
        "year": year,
        "overrides": CalendarOverride.objects.filter(day__year=year).order_by("day"),
        "missing_years": years_without_data(today),
        "years": [today.year - 1, today.year, today.year + 1, today.year + 2],
    }
    return render(request, "web/calendar.html", context, status=400 if form.errors else 200)


@access("public")
@require_GET
def health_view(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


@access("public")
def set_language_view(request: HttpRequest) -> HttpResponse:
    """Django's switch (the cookie); a signed-in person's choice is kept on their account too, so what the
    worker writes to them (e-mail, SMS) is in it."""
    response = set_language(request)
    language = request.POST.get("language", "") if request.method == "POST" else ""
    user: Any = request.user
    if user.is_authenticated and language in dict(settings.LANGUAGES):
        language_set(actor=user, language=language)
    return response


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    message = _("The form expired or came from elsewhere. Go back, reload the page and try again.")
    return render(request, "web/error.html", {"status": 403, "message": message}, status=403)


def ratelimited(request: HttpRequest, exception: Exception) -> HttpResponse:
    message = _("Too many attempts. Wait a minute and try again.")
    return render(request, "web/error.html", {"status": 429, "message": message}, status=429)


def not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """404: JSON under /api/ (the API's error shape), the page otherwise."""
    if request.path.startswith("/api/"):
        body = {"code": "not_found", "message": _("Not found."), "fields": {}}
        return JsonResponse(body, status=404, json_dumps_params={"ensure_ascii": False})
    return render(request, "404.html", status=404)


# What each kind of background job is called on its progress page, and where its "back" link goes (an
# import's: its importer's ``title`` and ``back``, declared by the app owning it).
JOB_KINDS = {
    "talent_export": (gettext_lazy("Export talents"), "talents:list"),
}


def _job_kind(kind: str) -> tuple[Any, str]:
    importer = importers().get(kind)
    if importer is not None and importer.title is not None:
        return importer.title, importer.back
    return JOB_KINDS.get(kind, (kind, "web:home"))


def _own_job(request: AuthedRequest, job_id: uuid.UUID) -> BackgroundJob:
    job = BackgroundJob.objects.filter(pk=job_id, owner=request.user).first()
    if job is None:
        raise Http404
    return job


@access("own")
@require_GET
def job_view(request: AuthedRequest, job_id: uuid.UUID) -> HttpResponse:
    """A background job's progress (polled by htmx while it runs) and its outcome."""
    job = _own_job(request, job_id)
    title, back = _job_kind(job.kind)
    context = {
        "job": job,
        "running": job.status in (JobStatus.QUEUED, JobStatus.RUNNING),
        "title": title,
        "is_import": job.kind.endswith("_import"),
        "back_url": reverse(back),
    }
    template = "web/job.html#status" if request.htmx else "web/job.html"
    return render(request, template, context)


@access("own")
@require_GET
def job_result_view(request: AuthedRequest, job_id: uuid.UUID) -> HttpResponse:
    job = _own_job(request, job_id)
    if not job.result_name:
        raise Http404
    with encrypted_storage.open(job.result_name) as result:
        data = result.read()
    audit_record(
        actor=request.user,
        action="job.download",
        object_type="job",
        object_id=job.pk,
        source_ip=request_ip(request),
    )
    importer = importers().get(job.kind)
    return xlsx_download(data, job_file_name(job, importer.problems if importer is not None else None))
