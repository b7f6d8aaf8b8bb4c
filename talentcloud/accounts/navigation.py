"""The accounts app's sidebar entries (the sidebar: ``web.navigation``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from talentcloud.common.navigation import NavItem

from .permissions import AccountPerm

NAVIGATION = [
    NavItem(
        group="platform",
        order=10,
        label=_("Organisation"),
        url_name="accounts:units",
        perm=AccountPerm.ORGUNIT_VIEW,
        description=_("District, departments, parks and streets"),
    ),
    NavItem(
        group="platform",
        order=20,
        label=_("Accounts"),
        url_name="accounts:users",
        perm=AccountPerm.USER_MANAGE,
        description=_("Create and deactivate accounts"),
    ),
    NavItem(
        group="platform",
        order=30,
        label=_("Role assignment"),
        url_name="accounts:users",
        perm=AccountPerm.ROLE_ASSIGN,
        description=_("Give accounts their roles"),
    ),
    NavItem(
        group="platform",
        order=40,
        label=_("Lockouts"),
        url_name="accounts:lockouts",
        perm=AccountPerm.ACCOUNT_UNLOCK,
        description=_("Unlock accounts after failed sign-ins"),
    ),
]
