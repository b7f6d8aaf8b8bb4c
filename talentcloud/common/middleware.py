from __future__ import annotations

import json
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import render
from django.utils.html import escape
from django.utils.translation import gettext as _

from .errors import DomainError
from .http import client_ip, current_client_ip


class ClientIPMiddleware:
    """Sets ``request.client_ip`` once, for audit events and rate limits."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.client_ip = client_ip(request)  # type: ignore[attr-defined]
        token = current_client_ip.set(request.client_ip or None)  # type: ignore[attr-defined]
        try:
            return self.get_response(request)
        finally:
            current_client_ip.reset(token)


class DomainErrorMiddleware:
    """Turns a ``DomainError`` that escapes a page view into its 4xx page (the API maps its own)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:

        if not isinstance(exception, DomainError):
            return None
        return render(
            request,
            "web/error.html",
            {"status": exception.http_status, "message": exception.message},
            status=exception.http_status,
        )


NUL = "\x00"


def _nul_fields(request: HttpRequest) -> list[str]:
    """The names of the places in ``request`` that hold a NUL character (empty when there are none).

    PostgreSQL refuses NUL in text, and no form, filter or key of this platform can hold one, so such a
    request is refused here, before any view or query sees it.
    """
    found: list[str] = []
    if NUL in request.path or NUL in request.path_info:
        found.append("path")
    for key, values in request.GET.lists():
        if NUL in key or any(NUL in value for value in values):
            found.append(key.replace(NUL, "") or "query")
    for name, value in request.META.items():
        if name.startswith("HTTP_") and isinstance(value, str) and NUL in value:
            found.append(name[5:].lower().replace("_", "-"))
    for key, value in request.COOKIES.items():
        if NUL in key or NUL in value:
            found.append("cookie")
    if request.method in ("POST", "PUT", "PATCH", "DELETE"):
        found.extend(_nul_body_fields(request))
    return list(dict.fromkeys(found))


def _nul_body_fields(request: HttpRequest) -> list[str]:
    content_type = request.content_type or ""
    if content_type in ("multipart/form-data", "application/x-www-form-urlencoded"):
        # Django parses a form body for POST only; a PUT/PATCH form is read here the same way.
        form = request.POST
        if request.method != "POST" and content_type == "application/x-www-form-urlencoded":
            form = QueryDict(request.body, encoding=request.encoding)
        found = [
            key.replace(NUL, "") or "body"
            for key, values in form.lists()
            if NUL in key or any(NUL in value for value in values)
        ]
        for key, files in request.FILES.lists():
            if NUL in key or any(NUL in (upload.name or "") for upload in files):
                found.append(key.replace(NUL, "") or "body")
        return found
    body = request.body  # bounded by DATA_UPLOAD_MAX_MEMORY_SIZE (a larger body is Django's 400)
    if b"\x00" in body:
        return ["body"]
    if b"\\u0000" in body.lower():  # a JSON escape; only a decoded string holding it counts
        try:
            data = json.loads(body)
        except ValueError:
            return []  # not JSON: the view answers for the malformed body
        return _nul_in_json(data, "")
    return []


def _nul_in_json(data: object, where: str) -> list[str]:
    if isinstance(data, str):
        return [where or "body"] if NUL in data else []
    if isinstance(data, dict):
        found: list[str] = []
        for key, value in data.items():
            name = f"{where}.{key}" if where else str(key)
            if NUL in str(key):
                found.append(where or "body")
            found.extend(_nul_in_json(value, name.replace(NUL, "")))
        return found
    if isinstance(data, list):
        return [name for index, item in enumerate(data) for name in _nul_in_json(item, f"{where}.{index}")]
    return []


class RejectNulMiddleware:
    """Answers 400 to a request with a NUL character (``\\x00``, ``%00``, ``\\u0000``) anywhere in its
    path, query, form or JSON body, headers or cookies: JSON ``{"code", "message", "fields"}`` under
    ``/api/``, a plain page otherwise. One place, before any query: no view needs to think of it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        found = _nul_fields(request)
        if found:
            return bad_request(request, found)
        return self.get_response(request)


def bad_request(request: HttpRequest, fields: list[str]) -> HttpResponse:

    message = _(
        "The request contains a NUL character (\\x00), which no field accepts. Remove it and try again."
    )
    if request.path.startswith("/api/"):
        body = {"code": "bad_request", "message": message, "fields": {name: [message] for name in fields}}
        return JsonResponse(body, status=400, json_dumps_params={"ensure_ascii": False})
    title = _("Bad request")
    language = escape(getattr(request, "LANGUAGE_CODE", "zh-hans"))
    page = (
        f'<!doctype html><html lang="{language}"><meta charset="utf-8">'
        f"<title>400 {escape(title)}</title><h1>{escape(title)}</h1><p>{escape(message)}</p>"
        f'<p><a href="/">{escape(_("Back to the home page"))}</a></p></html>'
    )
    response = HttpResponse(page, status=400, content_type="text/html; charset=utf-8")
    # Answered before the CSP and frame middleware run: the page sets their headers itself.
    response["Content-Security-Policy"] = "default-src 'none'; frame-ancestors 'none'"
    response["X-Frame-Options"] = "DENY"
    return response
