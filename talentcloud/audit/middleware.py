from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from .denied import note_exception, record_denied_response


class DeniedAttemptMiddleware:
    """Records refused requests (``audit/denied.py``): every 403 answer, and a 404 that hid an object outside
    the viewer's scope (``OutOfScope``, noted by ``process_exception`` here for pages and by the API's error
    handler for the API). Sits below the authentication middleware and ``DomainErrorMiddleware``."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code in (403, 404):
            record_denied_response(request, response.status_code)
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> None:
        note_exception(request, exception)
        return None
