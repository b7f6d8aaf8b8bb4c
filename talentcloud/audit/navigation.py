"""The audit log's sidebar entry (the sidebar: ``web.navigation``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from talentcloud.common.navigation import NavItem

from .permissions import AuditPerm

NAVIGATION = [
    NavItem(
        group="govern",
        order=40,
        label=_("Audit log"),
        url_name="audit:list",
        perm=AuditPerm.VIEW,
        description=_("Every write and sensitive read"),
    ),
]
