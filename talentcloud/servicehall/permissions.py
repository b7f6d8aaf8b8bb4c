"""The permissions the service hall's doors check, and the standard roles that hold them (collected by
``accounts.permissions``)."""

from __future__ import annotations

from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from talentcloud.common.access import Permission

OFFICE = ("talent-office", "talent-office-head")


class HallPerm(StrEnum):
    CASE_HANDLE = "case.handle"
    CASE_ESCALATIONS = "case.escalations"
    CASE_OVERSEE = "case.oversee"
    SERVICE_MANAGE = "service.manage"


PERMISSIONS = [
    Permission(
        HallPerm.CASE_HANDLE,
        _("Accept and handle cases for the department"),
        roles=("service-staff", "department-head"),
    ),
    Permission(
        HallPerm.CASE_ESCALATIONS,
        _("Receive the department's overdue cases (department head)"),
        roles=("department-head",),
    ),
    Permission(
        HallPerm.CASE_OVERSEE, _("See every department's cases, decide appeals on ratings"), roles=OFFICE
    ),
    Permission(
        HallPerm.SERVICE_MANAGE, _("Edit the service catalogue and the hall's settings"), roles=OFFICE
    ),
]
