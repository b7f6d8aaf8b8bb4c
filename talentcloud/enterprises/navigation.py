"""The enterprises app's sidebar entries (the sidebar: ``web.navigation``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from talentcloud.common.navigation import NavItem

from .permissions import EnterprisePerm

NAVIGATION = [
    NavItem(
        group="daily",
        order=60,
        label=_("My enterprises"),
        url_name="enterprises:requests_mine",
        perm=EnterprisePerm.REPORT,
        description=_("The enterprises you act for, and your requests"),
        role_kinds=("enterprise",),
    ),
    NavItem(
        group="attract",
        order=20,
        label=_("Enterprises"),
        url_name="enterprises:list",
        perm=EnterprisePerm.VIEW,
        description=_("Enterprise archives in your scope"),
    ),
]
