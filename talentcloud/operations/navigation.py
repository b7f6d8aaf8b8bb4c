"""The operations pages' sidebar entries (the sidebar: ``web.navigation``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from talentcloud.accounts.permissions import AccountPerm
from talentcloud.common.navigation import NavItem

from .permissions import OperationsPerm

NAVIGATION = [
    NavItem(
        group="platform",
        order=60,
        label=_("Operations"),
        url_name="operations:jobs",
        perm=OperationsPerm.SYSTEM_STATUS,
        description=_("Background jobs, schedules and health"),
    ),
    NavItem(
        group="platform",
        order=70,
        label=_("Sessions"),
        url_name="operations:sessions",
        perm=AccountPerm.SESSION_MANAGE,
        description=_("Who is signed in; sign someone out"),
    ),
]
