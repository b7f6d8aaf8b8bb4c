"""Production: every secret from the environment, HTTPS only, PostgreSQL expected (DATABASE_URL)."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403

DEBUG = False
try:
    SECRET_KEY = os.environ["TALENTCLOUD_SECRET_KEY"]
except KeyError as exc:
    raise ImproperlyConfigured("TALENTCLOUD_SECRET_KEY must be set in production") from exc

SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True
SECURE_SSL_REDIRECT = os.environ.get("TALENTCLOUD_SSL_REDIRECT", "true").lower() == "true"
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = int(os.environ.get("TALENTCLOUD_HSTS_SECONDS", str(365 * 24 * 3600)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True

for _name in ("TALENTCLOUD_PRIVACY_KEYS", "TALENTCLOUD_PRIVACY_ACTIVE_KEY", "TALENTCLOUD_BLIND_INDEX_KEY"):
    if not os.environ.get(_name):
        raise ImproperlyConfigured(f"{_name} must be set in production (docs/operations.md, Keys)")
