"""How each entry point declares who may reach it.

Every page view and every API operation states its access kind; a meta-test walks all URL patterns and
OpenAPI operations and refuses any that does not declare one, then probes every non-public one for
data-scope leaks. The kinds:

- ``public``: reachable without login (login page, health check, anonymous tools).
- ``scoped``: reads records through ``scope_queryset`` (lists, details, exports, search).
- ``own``: touches only the signed-in user's own account (password, tokens, 2FA).
- ``admin``: an administrative function gated by a permission (user management, lockouts, audit log).
- ``shell``: navigation and layout only; shows no records.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal, TypeVar

from django.contrib.auth.decorators import login_not_required
from django.utils.functional import Promise

AccessKind = Literal["public", "scoped", "own", "admin", "shell"]
ACCESS_KINDS: tuple[AccessKind, ...] = ("public", "scoped", "own", "admin", "shell")
ACCESS_ATTR = "tc_access"

F = TypeVar("F", bound=Callable[..., Any])


def access(kind: AccessKind) -> Callable[[F], F]:
    """Declare a view's access kind; ``public`` also lifts the login requirement."""
    if kind not in ACCESS_KINDS:
        raise ValueError(f"unknown access kind {kind!r}")

    def decorate(view: F) -> F:
        if kind == "public":
            view = login_not_required(view)
        setattr(view, ACCESS_ATTR, kind)
        return view

    return decorate


def api_access(kind: AccessKind, *, rate_limit: str = "") -> dict[str, Any]:
    """``openapi_extra`` for a django-ninja operation: the access kind shows in the OpenAPI document, and
    a rate limit (its rate, e.g. ``"30/h"``), which makes the document list the 429 the operation answers."""
    if kind not in ACCESS_KINDS:
        raise ValueError(f"unknown access kind {kind!r}")
    extra: dict[str, Any] = {"x-access": kind}
    if rate_limit:
        extra["x-rate-limit"] = rate_limit
    return extra


# --- permissions ------------------------------------------------------------------------------------------

# The three administrators of 等保 level 3; a code in one group may not be held with another group's.
AdminGroup = Literal["system", "security", "audit"]
ADMIN_GROUP_KEYS: tuple[AdminGroup, ...] = ("system", "security", "audit")


@dataclass(frozen=True)
class Permission:
    """A permission an app declares in its own ``permissions.py`` (``PERMISSIONS = [...]``); the accounts app
    collects every app's (``accounts.permissions``). A door checks ``code``; ``label`` is what a reader of
    roles sees; ``roles`` are the codes of the standard roles (``accounts.roles.ROLE_CATALOGUE``) that hold
    it; ``admin_group`` puts it among one administrator's duties. Declared here, in the kernel, so that apps
    below accounts (audit, privacy) can declare theirs."""

    code: str
    label: str | Promise
    roles: tuple[str, ...] = ()
    admin_group: AdminGroup | None = None
