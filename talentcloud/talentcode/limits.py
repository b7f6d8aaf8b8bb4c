"""Rate limits of verification (security.md): per verifier unit and per code, through django-ratelimit's
counters (the shared cache), for the page and the API alike."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest
from django_ratelimit.core import is_ratelimited

from talentcloud.common.errors import RateLimited


def throttle_verifier(request: HttpRequest, unit_id: int | None) -> None:
    """Counts against the verifier's unit (every account of a hospital shares its allowance)."""
    if is_ratelimited(
        request,
        group="talentcode.verifier",
        key=lambda _g, _r: f"verifier-unit:{unit_id}",
        rate=settings.RATELIMIT_TALENT_CODE_VERIFIER,
        increment=True,
    ):
        raise RateLimited()


def code_throttle(request: HttpRequest) -> Callable[[str], None]:
    def throttle(code_id: str) -> None:
        if is_ratelimited(
            request,
            group="talentcode.code",
            key=lambda _g, _r: f"code:{code_id}",
            rate=settings.RATELIMIT_TALENT_CODE_PER_CODE,
            increment=True,
        ):
            raise RateLimited()

    return throttle
