"""Session limits and the second factor.

- Idle limit (30 min) and absolute limit (12 h). Only requests a person made count as activity: a
  request carrying ``X-Background: 1`` (htmx polling sets it, see web/static/web/app.js and the
  templates) is served but does not move the idle clock.
- Staff must have passed TOTP in this session before any page but the 2FA pages themselves.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.middleware import LoginRequiredMiddleware
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import resolve_url
from django.urls import reverse
from django.utils.translation import gettext as _

from talentcloud.audit.services import audit_record, request_ip

SESSION_LOGIN_AT = "tc_login_at"
SESSION_ACTIVE_AT = "tc_active_at"
SESSION_IP = "tc_ip"  # the address the session signed in from (the security administrator's session list)
BACKGROUND_HEADER = "HTTP_X_BACKGROUND"


def is_background(request: HttpRequest) -> bool:
    return request.META.get(BACKGROUND_HEADER) == "1"


def is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def session_touch(request: HttpRequest, *, login: bool = False) -> None:
    now = int(time.time())
    if login:
        request.session[SESSION_LOGIN_AT] = now
        request.session[SESSION_IP] = request_ip(request) or ""
    request.session[SESSION_ACTIVE_AT] = now


ACTIVITY_RESOLUTION_SECONDS = 30


def _activity_stale(request: HttpRequest) -> bool:
    """Record activity at most every 30 s: the idle clock needs no finer grain, and it saves a write."""
    return int(time.time()) - int(request.session.get(SESSION_ACTIVE_AT, 0)) >= ACTIVITY_RESOLUTION_SECONDS


def session_seconds_left(request: HttpRequest) -> int:
    now = int(time.time())
    active_at = int(request.session.get(SESSION_ACTIVE_AT, now))
    login_at = int(request.session.get(SESSION_LOGIN_AT, now))
    return max(
        0,
        min(
            active_at + settings.SESSION_IDLE_SECONDS - now,
            login_at + settings.SESSION_ABSOLUTE_SECONDS - now,
        ),
    )


def _expired_response(request: HttpRequest) -> HttpResponse:
    login_url = resolve_url(settings.LOGIN_URL)
    if is_api(request):
        return JsonResponse(
            {"code": "session_expired", "message": _("Your session has expired."), "fields": {}}, status=401
        )
    if request.headers.get("HX-Request"):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = login_url
        return response
    return HttpResponseRedirect(f"{login_url}?next={request.path}")


class SessionLimitsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            if SESSION_LOGIN_AT not in request.session:
                session_touch(request, login=True)
            if session_seconds_left(request) <= 0:
                audit_record(
                    actor=user,
                    action="session.expire",
                    object_type="user",
                    object_id=user.pk,
                    source_ip=request_ip(request),
                )
                logout(request)
                messages.info(
                    request, _("Your session ended after a period of inactivity. Please sign in again.")
                )
                return _expired_response(request)
            if not is_background(request) and _activity_stale(request):
                session_touch(request)
        return self.get_response(request)


class ApiAwareLoginRequiredMiddleware(LoginRequiredMiddleware):
    """Pages need a login; the API authenticates each request itself (token or session, see api/auth.py)."""

    def process_view(self, request, view_func, view_args, view_kwargs):
        if is_api(request):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)


SECOND_FACTOR_EXEMPT_URL_NAMES = frozenset(
    {"accounts:otp_verify", "accounts:otp_setup", "accounts:logout", "set_language", "web:session_status"}
)


class SecondFactorRequiredMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or is_api(request):
            return None
        if not user.requires_second_factor or user.is_verified():
            return None
        match = request.resolver_match
        name = (
            f"{match.namespace}:{match.url_name}"
            if match and match.namespace
            else (match.url_name if match else "")
        )
        if name in SECOND_FACTOR_EXEMPT_URL_NAMES or getattr(view_func, "login_required", True) is False:
            return None
        return HttpResponseRedirect(reverse("accounts:otp_verify"))
