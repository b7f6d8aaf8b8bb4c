from __future__ import annotations

from contextvars import ContextVar

from django.conf import settings
from django.http import HttpRequest

# The client address of the request being answered (set by ``ClientIPMiddleware``, reset after it), so an
# audit event written deep inside a service carries it without every caller passing it down. None outside a
# request (jobs, commands).
current_client_ip: ContextVar[str | None] = ContextVar("current_client_ip", default=None)


def client_ip(request: HttpRequest) -> str:
    """The client's address, trusting X-Forwarded-For only for the configured number of proxies."""
    proxies = getattr(settings, "AXES_IPWARE_PROXY_COUNT", 0)
    if proxies:
        forwarded = [p.strip() for p in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if p.strip()]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return str(request.META.get("REMOTE_ADDR", ""))
