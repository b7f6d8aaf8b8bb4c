"""SMS verification codes with a pluggable sender.

Codes are six digits, valid ten minutes, stored hashed in the cache, and allow five tries. The sender is
``settings.SMS_BACKEND``: the console backend in development, the in-memory outbox in tests; a real HTTP
adapter is configured in production.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import secrets
import urllib.error
import urllib.request
from functools import lru_cache
from typing import Protocol

from django.conf import settings
from django.core.cache import cache
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)
CODE_TTL_SECONDS = 600
MAX_TRIES = 5


class SmsBackend(Protocol):
    def send(self, *, phone: str, text: str) -> None: ...


class ConsoleSmsBackend:
    """Development: the message goes to the log (the phone number masked)."""

    def send(self, *, phone: str, text: str) -> None:
        logger.warning("SMS to %s****%s: %s", phone[:3], phone[-4:], text)


outbox: list[tuple[str, str]] = []


class LocmemSmsBackend:
    """Tests: messages are kept in ``outbox``."""

    def send(self, *, phone: str, text: str) -> None:
        outbox.append((phone, text))


class SmsError(Exception):
    """The provider did not accept the message."""


class HttpSmsBackend:
    """A provider's HTTP API: POST JSON ``{"phone", "text", "sign"}`` with a bearer key to
    ``settings.SMS_HTTP_URL``; any answer but 2xx with ``{"ok": true}`` is an error. Most Chinese SMS
    gateways take this shape; a gateway with another shape gets its own small adapter class."""

    def send(self, *, phone: str, text: str) -> None:

        body = json.dumps({"phone": phone, "text": text, "sign": settings.SMS_HTTP_SIGN}).encode()
        request = urllib.request.Request(  # noqa: S310 (the URL is the operator's setting)
            settings.SMS_HTTP_URL,
            data=body,
            method="POST",
            headers={"Content-Type": "application/json", "Authorization": f"Bearer {settings.SMS_HTTP_KEY}"},
        )
        try:
            with urllib.request.urlopen(request, timeout=settings.SMS_HTTP_TIMEOUT) as response:  # noqa: S310
                answer = json.loads(response.read() or b"{}")
        except (urllib.error.URLError, TimeoutError, ValueError) as exc:
            raise SmsError(f"provider unreachable or unreadable: {type(exc).__name__}") from exc
        if not answer.get("ok"):
            raise SmsError(f"provider refused: {str(answer.get('error', ''))[:100]}")


@lru_cache(maxsize=1)
def backend() -> SmsBackend:
    sender: SmsBackend = import_string(settings.SMS_BACKEND)()
    return sender


def _key(phone: str, purpose: str) -> str:
    digest = hmac.new(settings.SECRET_KEY.encode(), f"{purpose}:{phone}".encode(), hashlib.sha256).hexdigest()
    return f"smscode:{digest}"


def _hash(code: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), code.encode(), hashlib.sha256).hexdigest()


def code_send(*, phone: str, purpose: str) -> None:
    code = f"{secrets.randbelow(10**6):06d}"
    cache.set(_key(phone, purpose), {"hash": _hash(code), "tries": 0}, CODE_TTL_SECONDS)
    backend().send(phone=phone, text=f"【人才云】验证码 {code}，10 分钟内有效。如非本人操作请忽略。")


def code_check(*, phone: str, purpose: str, code: str) -> bool:
    key = _key(phone, purpose)
    entry = cache.get(key)
    if entry is None:
        return False
    if entry["tries"] >= MAX_TRIES:
        cache.delete(key)
        return False
    if hmac.compare_digest(entry["hash"], _hash(code.strip())):
        cache.delete(key)
        return True
    entry["tries"] += 1
    cache.set(key, entry, CODE_TTL_SECONDS)
    return False
