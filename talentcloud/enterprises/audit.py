"""The audit actions (and object types) this app records, named for the audit log's reader."""

from __future__ import annotations

import uuid

from django.utils.translation import gettext_lazy as _

from talentcloud.audit.registry import ObjectKind

from .models import Enterprise

AUDIT_ACTIONS = {
    "enterprise.export": _("Exported enterprises"),
    "enterprise.create": _("Created an enterprise"),
    "enterprise.update": _("Updated an enterprise"),
    "enterprise.import": _("Imported enterprises"),
    "enterprise.import_start": _("Started an enterprise import"),
    "enterprise.report": _("Filed an enterprise report"),
    "enterprise.member_request": _("Asked to act for an enterprise"),
    "enterprise.member_approve": _("Approved an enterprise member"),
    "enterprise.member_remove": _("Removed an enterprise member"),
}


def _enterprise_names(ids: list[str]) -> dict[str, str]:

    pks = []
    for value in ids:
        try:
            pks.append(uuid.UUID(value))
        except ValueError:
            continue
    return {str(e.pk): e.name for e in Enterprise.objects.filter(pk__in=pks).only("id", "name")}


AUDIT_OBJECTS = {
    "enterprise": ObjectKind(
        _("Enterprise"), names=_enterprise_names, url_name="enterprises:detail", perm="enterprise.view"
    )
}
