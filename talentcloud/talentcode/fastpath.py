"""What a verification reads before it reads the code, kept in the shared cache (ADR 0029): the verifier's
bearer token with its account and roles, and the scenes its unit verifies with their rules.

A verifier's device checks codes all day with one token; reading the token, the account, its roles and the
unit's scenes from the database on every scan cost more than the check itself. Both are cached for at most
``TALENT_CODE_CACHE_SECONDS`` and removed from the cache when they change (``signals.py``, after the change
commits): a token revoked, an account deactivated or its roles changed, a role's permissions changed, a unit
changed, a verifier registered or changed, a scene's rule edited. A cached token is still refused once it
expires or outlives the longest a token of its user may live, as ``token_lookup`` would refuse it."""

from __future__ import annotations

import copy
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.cache import cache
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer, SessionAuth

from talentcloud.accounts.enums import UnitKind
from talentcloud.accounts.services import TOKEN_PREFIX, token_digest, token_lookup, token_max_days

from .models import Scene

if TYPE_CHECKING:
    from talentcloud.accounts.models import ApiToken

TOKEN_KEY = "talentcode:bearer:{digest}"  # noqa: S105 (a cache key, no secret)
SCENES_KEY = "talentcode:unit-scenes:{unit}"


def token_key(digest: str) -> str:
    return TOKEN_KEY.format(digest=digest)


def scenes_key(unit_id: Any) -> str:
    return SCENES_KEY.format(unit=unit_id)


def _without_password(token: ApiToken) -> ApiToken:
    """A copy of the token and its account for the cache, the password hash left out (deferred: read from
    the database should anything ask for it)."""
    user = copy.copy(token.user)
    user.__dict__.pop("password", None)
    kept = copy.copy(token)
    kept.user = user
    return kept


def cached_token(clear: str) -> ApiToken | None:
    """``accounts.services.token_lookup``, through the shared cache."""
    parts = clear.split("_", 2)
    if len(parts) != 3 or parts[0] != TOKEN_PREFIX:
        return None
    key = token_key(token_digest(clear))
    found: ApiToken | None = cache.get(key)
    if found is None:
        found = token_lookup(clear)
        if found is None:
            return None
        found.user.permission_codes()  # the roles travel with the cached account
        cache.set(key, _without_password(found), settings.TALENT_CODE_CACHE_SECONDS)
        return found
    now = timezone.now()
    if not found.is_usable(now) or now - found.created_at > timedelta(days=token_max_days(found.user)):
        cache.delete(key)
        return None
    return found


class VerifierBearer(HttpBearer):
    """``Authorization: Bearer <token>`` for the verify operation, the token read through the cache."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = cached_token(token)
        if found is None:
            return None
        request.user = found.user
        request.api_token = found  # type: ignore[attr-defined]
        return found.user


class VerifierSession(SessionAuth):
    """A signed-in session, as ``api.auth.VerifiedSession`` takes it (staff past the second factor): the
    verify operation's second way in (this app is below the API's, so it names its own)."""

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not user.is_active:
            return None
        if user.requires_second_factor and not user.is_verified():
            return None
        return user


def unit_scenes(unit_id: Any) -> dict[str, Scene]:
    """The active scenes an active verifier of this unit (an external unit) serves, by code, each with the
    verifier's id and the unit's code (``verifier_pk``, ``unit_code``); {} for any other unit."""
    key = scenes_key(unit_id)
    found: dict[str, Scene] | None = cache.get(key)
    if found is None:
        scenes = Scene.objects.filter(
            active=True,
            verifiers__unit_id=unit_id,
            verifiers__active=True,
            verifiers__unit__kind=UnitKind.EXTERNAL,
        ).annotate(verifier_pk=F("verifiers__pk"), unit_code=F("verifiers__unit__code"))
        found = {scene.code: scene for scene in scenes}
        cache.set(key, found, settings.TALENT_CODE_CACHE_SECONDS)
    return found
