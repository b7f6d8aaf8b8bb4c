"""The stations' and events' sidebar entries (the sidebar: ``web.navigation``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from talentcloud.common.navigation import NavItem

from .permissions import StationPerm

NAVIGATION = [
    NavItem(
        group="daily",
        order=87,
        label=_("Workstations"),
        url_name="stations:stations",
        perm=StationPerm.VIEW,
        description=_("Overseas workstations and landing carriers, their leads and scorecards"),
    ),
    NavItem(
        group="daily",
        order=88,
        label=_("Station leads"),
        url_name="stations:leads",
        perm=StationPerm.PARTNER,
        description=_("The people your workstation is bringing to the district"),
    ),
    NavItem(
        group="daily",
        order=89,
        label=_("Talent events"),
        url_name="stations:events",
        perm=StationPerm.EVENTS,
        description=_(
            "逸才堂 salons, 梧桐林 activities and international events: registrations and check-in"
        ),
    ),
]
