"""The policies app's sidebar entries (the sidebar: ``web.navigation``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from talentcloud.common.navigation import NavItem

from .permissions import PolicyPerm

NAVIGATION = [
    NavItem(
        group="daily",
        order=50,
        label=_("Policy calculator"),
        url_name="policies:calculator",
        description=_("Which policies fit you, how much, and why"),
        role_kinds=("talent",),
    ),
    NavItem(
        group="daily",
        order=70,
        label=_("Policies"),
        url_name="policies:library",
        description=_("The district's talent policies, and which fit whom"),
    ),
    NavItem(
        group="attract",
        order=30,
        label=_("Policy editor"),
        url_name="policies:manage",
        perm=PolicyPerm.MANAGE,
        description=_("Write rules, simulate them, publish new versions; the 免申即享 sweeps"),
    ),
]
