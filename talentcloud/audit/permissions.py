"""The audit log's reader: its permission, the audit administrator's one duty (collected by
``accounts.permissions``)."""

from __future__ import annotations

from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from talentcloud.common.access import Permission


class AuditPerm(StrEnum):
    VIEW = "audit.view"


PERMISSIONS = [
    Permission(AuditPerm.VIEW, _("Read the audit log"), roles=("audit-admin",), admin_group="audit"),
]
