"""API authentication: ``Authorization: Bearer <token>`` for programs, the session cookie (with CSRF)
for pages. Either way the request acts as the user, with exactly that user's permissions and scope."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth

from talentcloud.accounts.services import token_lookup


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = token_lookup(token)
        if found is None:
            return None
        request.user = found.user
        # The token itself, for what is recorded per token (the step-up before personal data in clear).
        request.api_token = found  # type: ignore[attr-defined]
        return found.user


class VerifiedSession(SessionAuth):
    """A signed-in session; staff sessions must have passed the second factor."""

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not user.is_active:
            return None
        if user.requires_second_factor and not user.is_verified():
            return None
        return user


API_AUTH = [BearerToken(), VerifiedSession()]
