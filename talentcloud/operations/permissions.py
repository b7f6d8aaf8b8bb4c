"""The operations pages' permission, a system administrator's duty (collected by ``accounts.permissions``;
the sessions page checks the security administrator's ``session.manage``, declared by accounts)."""

from __future__ import annotations

from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from talentcloud.common.access import Permission


class OperationsPerm(StrEnum):
    SYSTEM_STATUS = "system.status"


PERMISSIONS = [
    Permission(
        OperationsPerm.SYSTEM_STATUS, _("See system status"), roles=("system-admin",), admin_group="system"
    ),
]
