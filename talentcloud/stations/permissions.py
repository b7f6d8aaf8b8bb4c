"""The permissions the stations' and events' doors check, the standard roles holding them, and the role of the
partners' staff (``station-partner``, declared here: ``ROLES``). What a partner sees is its unit's station's
consented leads (``selectors.partner_station``): an account of a unit that runs no station gets nothing."""

from __future__ import annotations

from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from talentcloud.accounts.enums import RoleKind, ScopeKind
from talentcloud.accounts.roles import RoleSpec
from talentcloud.common.access import Permission

PARTNER_ROLE = "station-partner"


class StationPerm(StrEnum):
    VIEW = "stations.view"
    MANAGE = "stations.manage"
    PARTNER = "stations.partner"
    EVENTS = "stations.events"


# Staff of a partner organisation abroad (or of a landing carrier): minimal accounts of an external unit; a
# second factor like any staff account.
ROLES = [
    RoleSpec(
        PARTNER_ROLE, "引才工作站合作人员", "Station partner staff", RoleKind.SERVICE_STAFF, ScopeKind.SELF
    )
]

PERMISSIONS = [
    Permission(
        StationPerm.VIEW,
        _("See workstations, their leads and scorecards"),
        roles=("talent-office", "talent-office-head"),
    ),
    Permission(
        StationPerm.MANAGE,
        _("Register workstations, verify their contacts, land leads and make their rewards"),
        roles=("talent-office", "talent-office-head"),
    ),
    Permission(
        StationPerm.PARTNER,
        _("Work the leads of one's own workstation"),
        roles=(PARTNER_ROLE,),
    ),
    Permission(
        StationPerm.EVENTS,
        _("Run talent events: registrations, check-in and leads from attendees"),
        roles=("talent-office", "talent-office-head"),
    ),
]
