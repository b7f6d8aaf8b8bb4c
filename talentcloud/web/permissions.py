"""The web shell's own permission: the holiday calendar page (collected by ``accounts.permissions``)."""

from __future__ import annotations

from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from talentcloud.common.access import Permission


class WebPerm(StrEnum):
    CALENDAR_MANAGE = "calendar.manage"


# The holiday calendar is reference data the talent office keeps too (it enters next year's holidays when
# they are announced), not an administrator's power: it belongs to no group, so the office's role stays
# outside the three.
PERMISSIONS = [
    Permission(
        WebPerm.CALENDAR_MANAGE,
        _("Maintain the holiday calendar"),
        roles=("talent-office", "talent-office-head", "system-admin"),
    ),
]
