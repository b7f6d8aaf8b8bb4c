"""How each entry point declares who may reach it.

Every page view and every API operation states its access kind; a meta-test walks all URL patterns and
OpenAPI operations and refuses any that does not declare one, then probes every non-public one for
data-scope leaks. The kinds:

- ``public``: reachable without login (login page, health check, anonymous tools).
- ``scoped``: reads records through ``scope_queryset`` (lists, details, exports, search).
- ``own``: touches only the signed-in user's own account (password, tokens, 2FA).
- ``admin``: an administrative function gated by a permission (user management, lockouts, audit log).

A door may also name the permission code it needs (``access("admin", perm="audit.view")``): it is checked
before the view runs, so a low app's pages (the audit log's viewer) need not import the accounts app. Codes
are checked on the user's ``permission_codes()``; a user holds them through roles (``accounts``).
- ``shell``: navigation and layout only; shows no records.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal, TypeVar, cast

from django.contrib.auth.decorators import login_not_required
from django.utils.functional import Promise

from .errors import PermissionDenied

AccessKind = Literal["public", "scoped", "own", "admin", "shell"]
ACCESS_KINDS: tuple[AccessKind, ...] = ("public", "scoped", "own", "admin", "shell")
ACCESS_ATTR = "tc_access"

F = TypeVar("F", bound=Callable[..., Any])


def has_perm(user: Any, code: str) -> bool:
    """Whether ``user`` (signed in and active) holds the permission ``code``."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return code in user.permission_codes()


def require_perm(user: Any, code: str) -> None:
    if not has_perm(user, code):
        raise PermissionDenied()


def access(kind: AccessKind, *, perm: str = "") -> Callable[[F], F]:
    """Declare a view's access kind; ``public`` also lifts the login requirement; ``perm`` is checked before
    the view runs (403 through the error middleware)."""
    if kind not in ACCESS_KINDS:
        raise ValueError(f"unknown access kind {kind!r}")

    def decorate(view: F) -> F:
        if kind == "public":
            view = login_not_required(view)
        if perm:
            inner = view

            @functools.wraps(inner)
            def checked(request: Any, *args: Any, **kwargs: Any) -> Any:
                require_perm(request.user, perm)
                return inner(request, *args, **kwargs)

            view = cast(F, checked)
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
