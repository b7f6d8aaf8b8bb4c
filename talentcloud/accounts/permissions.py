"""Permissions per action: the mechanism, and the accounts app's own codes.

Each app declares the codes its doors check in its own ``permissions.py``::

    class TalentPerm(StrEnum):
        VIEW = "talent.view"

    PERMISSIONS = [Permission(TalentPerm.VIEW, _("View talent records"), roles=("park-staff", ...))]

(``Permission`` is the kernel's, ``common.access``.) This module collects every installed app's declarations:
the codes a role may hold, their labels, the standard roles each is granted to
(``roles.standard_permissions``) and the administrator group each belongs to. A role holds a list of codes;
checks name a code, never a role.

The three administrators of 等保 level 3 (system, security, audit) are kept apart: the codes of each
admin group may not be combined with another group's in one role or one user (``admin_groups_of``).
"""

from __future__ import annotations

from enum import StrEnum
from functools import cache

from django.core.exceptions import ImproperlyConfigured
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from talentcloud.common.access import ADMIN_GROUP_KEYS, Permission

# The check itself is the kernel's (the doors of low apps use it without importing accounts); named here too.
from talentcloud.common.access import has_perm as has_perm
from talentcloud.common.access import require_perm as require_perm
from talentcloud.common.registries import Declarations, forgotten_with_apps

DECLARED: Declarations[Permission] = Declarations("permissions", "PERMISSIONS")


@cache
def declared_permissions() -> dict[str, Permission]:
    """Every installed app's permissions by code, in ``INSTALLED_APPS`` order then each app's own."""
    found: dict[str, Permission] = {}
    for label, declared in DECLARED.by_app().items():
        for permission in declared:
            if permission.code in found:
                raise ImproperlyConfigured(
                    f"permission {permission.code!r} declared twice (again by {label})"
                )
            if permission.admin_group is not None and permission.admin_group not in ADMIN_GROUP_KEYS:
                raise ImproperlyConfigured(f"permission {permission.code!r}: unknown admin group")
            found[str(permission.code)] = permission
    return found


forgotten_with_apps(declared_permissions)


def declared_codes() -> frozenset[str]:
    return frozenset(declared_permissions())


def permission_labels() -> dict[str, str | Promise]:
    """Each declared code with its label (what a reader of roles sees)."""
    return {code: permission.label for code, permission in declared_permissions().items()}


@cache
def admin_groups() -> dict[str, frozenset[str]]:
    """The codes of each administrator group, from the declarations (every group present, maybe empty)."""
    groups: dict[str, set[str]] = {key: set() for key in ADMIN_GROUP_KEYS}
    for code, permission in declared_permissions().items():
        if permission.admin_group is not None:
            groups[permission.admin_group].add(code)
    return {key: frozenset(codes) for key, codes in groups.items()}


forgotten_with_apps(admin_groups)


def admin_groups_of(perms: set[str] | frozenset[str]) -> set[str]:
    return {group for group, codes in admin_groups().items() if codes & perms}


# --- the accounts app's own codes ---------------------------------------------------------------------------


class AccountPerm(StrEnum):
    ORGUNIT_VIEW = "orgunit.view"
    # system administrator
    USER_MANAGE = "user.manage"
    ORGUNIT_MANAGE = "orgunit.manage"
    # security administrator
    ROLE_ASSIGN = "role.assign"
    ACCOUNT_UNLOCK = "account.unlock"
    TOKEN_REVOKE_ANY = "token.revoke_any"  # noqa: S105 (a permission code)
    SESSION_MANAGE = "session.manage"


STAFF = (
    "service-staff",
    "department-head",
    "park-staff",
    "street-staff",
    "liaison-cadre",
    "talent-office",
    "talent-office-head",
)

PERMISSIONS = [
    Permission(AccountPerm.ORGUNIT_VIEW, _("View organisation units"), roles=(*STAFF, "system-admin")),
    Permission(
        AccountPerm.USER_MANAGE, _("Create and deactivate accounts"), ("system-admin",), admin_group="system"
    ),
    Permission(
        AccountPerm.ORGUNIT_MANAGE, _("Manage organisation units"), ("system-admin",), admin_group="system"
    ),
    Permission(AccountPerm.ROLE_ASSIGN, _("Assign roles"), ("security-admin",), admin_group="security"),
    Permission(
        AccountPerm.ACCOUNT_UNLOCK, _("Unlock locked accounts"), ("security-admin",), admin_group="security"
    ),
    Permission(
        AccountPerm.TOKEN_REVOKE_ANY,
        _("Revoke anyone's API tokens"),
        ("security-admin",),
        admin_group="security",
    ),
    Permission(
        AccountPerm.SESSION_MANAGE,
        _("See signed-in sessions and sign people out"),
        ("security-admin",),
        admin_group="security",
    ),
]
