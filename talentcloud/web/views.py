from __future__ import annotations

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from django.views.i18n import set_language

from talentcloud.accounts.middleware import session_seconds_left
from talentcloud.accounts.types import AuthedRequest
from talentcloud.common.access import access
from talentcloud.talents.selectors import talent_own_archive

from .navigation import nav_for


@access("shell")
@require_GET
def home_view(request: AuthedRequest) -> HttpResponse:
    tiles = [item for item in nav_for(request.user) if item.url_name != "web:home"]
    own_archive = talent_own_archive(viewer=request.user)
    return render(request, "web/home.html", {"tiles": tiles, "own_archive": own_archive})


@access("shell")
@require_GET
def session_status_view(request: HttpRequest) -> HttpResponse:
    """Polled in the background (X-Background: 1): shows time left, never extends the session."""
    seconds = session_seconds_left(request)
    return render(request, "web/session_status.html", {"minutes_left": (seconds + 59) // 60})


@access("public")
@require_GET
def health_view(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


@access("public")
def set_language_view(request: HttpRequest) -> HttpResponse:
    return set_language(request)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    message = _("The form expired or came from elsewhere. Go back, reload the page and try again.")
    return render(request, "web/error.html", {"status": 403, "message": message}, status=403)


def ratelimited(request: HttpRequest, exception: Exception) -> HttpResponse:
    message = _("Too many attempts. Wait a minute and try again.")
    return render(request, "web/error.html", {"status": 429, "message": message}, status=429)
