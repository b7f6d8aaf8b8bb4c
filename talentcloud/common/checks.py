"""System checks of this platform (``manage.py check``; ``--deploy`` adds the deployment ones)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, register

# Caches every web process shares; rate limits (sign-in, SMS codes, the calculator) count in them.
SHARED_CACHE_BACKENDS = {
    "django.core.cache.backends.redis.RedisCache",
    "django.core.cache.backends.memcached.PyMemcacheCache",
    "django.core.cache.backends.memcached.PyLibMCCache",
    "django.core.cache.backends.db.DatabaseCache",
    "django_redis.cache.RedisCache",
}


@register(Tags.caches, "talentcloud", deploy=True)
def shared_cache_check(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """Production needs the shared cache rate limits count in: with a per-process cache, each of N processes
    allows the full rate, and a restart forgets every count."""
    alias = getattr(settings, "RATELIMIT_USE_CACHE", "default")
    backend = settings.CACHES.get(alias, {}).get("BACKEND", "")
    if backend in SHARED_CACHE_BACKENDS:
        return []
    return [
        Error(
            f"The cache {alias!r} ({backend or 'none'}) is not shared between processes, so rate limits "
            "would count per process.",
            hint="Set REDIS_URL (docs/operations.md) so that every web process uses the same Redis cache.",
            id="talentcloud.E001",
        )
    ]
