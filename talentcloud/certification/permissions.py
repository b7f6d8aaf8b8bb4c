"""The permissions the certification app's doors check, and the standard roles that hold them (collected by
``accounts.permissions``)."""

from __future__ import annotations

from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from talentcloud.common.access import Permission


class CertPerm(StrEnum):
    VIEW = "certification.view"
    MANAGE = "certification.manage"
    RULES = "certification.rules"


PERMISSIONS = [
    Permission(
        CertPerm.VIEW,
        _("See talents' certification histories, proposals and expiring certifications"),
        roles=("park-staff", "street-staff", "talent-office", "talent-office-head"),
    ),
    Permission(
        CertPerm.MANAGE,
        _("Certify talents (grade and tier), renew certifications, confirm proposed grades"),
        roles=("talent-office", "talent-office-head"),
    ),
    Permission(
        CertPerm.RULES,
        _("Write classification rules and run them over everyone"),
        roles=("talent-office-head",),
    ),
]
