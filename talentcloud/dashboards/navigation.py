"""The dashboards' sidebar entry (the sidebar: ``web.navigation``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from talentcloud.common.navigation import NavItem
from talentcloud.talents.permissions import TalentPerm

NAVIGATION = [
    NavItem(
        group="govern",
        order=10,
        label=_("Dashboard"),
        url_name="dashboards:home",
        perm=TalentPerm.DASHBOARD_VIEW,
        description=_("Talent work at a glance, from regular snapshots"),
    ),
]
