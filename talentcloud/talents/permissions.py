"""The permissions the talents app's doors check, and the standard roles that hold them (collected by
``accounts.permissions``)."""

from __future__ import annotations

from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from talentcloud.common.access import Permission

AREA = ("park-staff", "street-staff")
OFFICE = ("talent-office", "talent-office-head")


class TalentPerm(StrEnum):
    VIEW = "talent.view"
    EDIT = "talent.edit"
    IMPORT = "talent.import"
    EXPORT = "talent.export"
    FACT_VERIFY = "fact.verify"
    FAMILY_VIEW = "family.view"
    CONTACT_LOG = "contact.log"
    NEED_REPLY = "need.reply"
    PIPL_HANDLE = "pipl.handle"
    PROGRAMME_MANAGE = "programme.manage"
    # The office-wide view: the dashboards and the home page check it too, and talents (an office-wide reader
    # answers any department's needs); declared here, in the lowest app that checks it.
    DASHBOARD_VIEW = "dashboard.view"


PERMISSIONS = [
    Permission(TalentPerm.VIEW, _("View talent records"), roles=(*AREA, "liaison-cadre", *OFFICE)),
    Permission(TalentPerm.DASHBOARD_VIEW, _("View dashboards"), roles=OFFICE),
    Permission(
        TalentPerm.PIPL_HANDLE, _("Handle personal-data requests (copy, correction, deletion)"), roles=OFFICE
    ),
    Permission(TalentPerm.IMPORT, _("Import talents from Excel"), roles=OFFICE),
    Permission(
        TalentPerm.PROGRAMME_MANAGE,
        _("Keep the register of talent programmes (national, provincial, city, district)"),
        roles=OFFICE,
    ),
    Permission(
        TalentPerm.CONTACT_LOG,
        _("Log visits and calls with talents, record their needs"),
        roles=("liaison-cadre", *OFFICE),
    ),
    Permission(TalentPerm.EDIT, _("Edit talent records"), roles=(*AREA, *OFFICE)),
    Permission(
        TalentPerm.FAMILY_VIEW,
        _("See and record family members, children included (sensitive)"),
        roles=OFFICE,
    ),
    Permission(TalentPerm.FACT_VERIFY, _("Verify facts talents declared"), roles=(*AREA, *OFFICE)),
    Permission(
        TalentPerm.NEED_REPLY,
        _("Reply to talents' needs for the department"),
        roles=("service-staff", "department-head", *OFFICE),
    ),
    Permission(TalentPerm.EXPORT, _("Export talent lists to Excel"), roles=(*AREA, *OFFICE)),
]
