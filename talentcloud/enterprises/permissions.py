"""The permissions the enterprises app's doors check, and the standard roles that hold them (collected by
``accounts.permissions``)."""

from __future__ import annotations

from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from talentcloud.common.access import Permission

AREA = ("park-staff", "street-staff")
OFFICE = ("talent-office", "talent-office-head")


class EnterprisePerm(StrEnum):
    VIEW = "enterprise.view"
    EDIT = "enterprise.edit"
    IMPORT = "enterprise.import"
    REPORT = "enterprise.report"
    # Duplicate ID numbers (talents) and credit codes (here): declared here, the lower of the two apps.
    CLASH_RESOLVE = "clash.resolve"


PERMISSIONS = [
    Permission(EnterprisePerm.VIEW, _("View enterprise records"), roles=("enterprise-hr", *AREA, *OFFICE)),
    Permission(
        EnterprisePerm.EDIT,
        _("Create and edit enterprise records, confirm their administrators"),
        roles=(*AREA, *OFFICE),
    ),
    Permission(EnterprisePerm.IMPORT, _("Import enterprises from Excel"), roles=OFFICE),
    Permission(
        EnterprisePerm.REPORT,
        _("Submit an enterprise's yearly figures"),
        roles=("enterprise-hr", *AREA, *OFFICE),
    ),
    Permission(
        EnterprisePerm.CLASH_RESOLVE,
        _("Resolve duplicate ID numbers and credit codes (merge or keep apart)"),
        roles=OFFICE,
    ),
]
