from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from .http import client_ip


class ClientIPMiddleware:
    """Sets ``request.client_ip`` once, for audit events and rate limits."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.client_ip = client_ip(request)  # type: ignore[attr-defined]
        return self.get_response(request)


class DomainErrorMiddleware:
    """Turns a ``DomainError`` that escapes a page view into its 4xx page (the API maps its own)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        from django.shortcuts import render

        from .errors import DomainError

        if not isinstance(exception, DomainError):
            return None
        return render(
            request,
            "web/error.html",
            {"status": exception.http_status, "message": exception.message},
            status=exception.http_status,
        )
