"""Permissions per action. A role holds a list of these codes; checks name them, never role names.

The three administrators of 等保 level 3 (system, security, audit) are kept apart: the codes of each
admin group may not be combined with another group's in one role or one user (``admin_groups_of``).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from django.utils.translation import gettext_lazy as _

from talentcloud.common.access import has_perm, require_perm


class Perm(StrEnum):
    TALENT_VIEW = "talent.view"
    ENTERPRISE_VIEW = "enterprise.view"
    ORGUNIT_VIEW = "orgunit.view"
    DASHBOARD_VIEW = "dashboard.view"
    PII_UNMASK = "pii.unmask"
    PIPL_HANDLE = "pipl.handle"
    TALENT_IMPORT = "talent.import"
    CONTACT_LOG = "contact.log"
    TALENT_EDIT = "talent.edit"
    ENTERPRISE_EDIT = "enterprise.edit"
    ENTERPRISE_IMPORT = "enterprise.import"
    ENTERPRISE_REPORT = "enterprise.report"
    FAMILY_VIEW = "family.view"
    FACT_VERIFY = "fact.verify"
    NEED_REPLY = "need.reply"
    TALENT_EXPORT = "talent.export"
    CASE_HANDLE = "case.handle"
    CASE_ESCALATIONS = "case.escalations"
    CASE_OVERSEE = "case.oversee"
    SERVICE_MANAGE = "service.manage"
    POLICY_MANAGE = "policy.manage"
    POLICY_PUBLISH = "policy.publish"
    CLASH_RESOLVE = "clash.resolve"
    # system administrator
    USER_MANAGE = "user.manage"
    ORGUNIT_MANAGE = "orgunit.manage"
    SYSTEM_STATUS = "system.status"
    CALENDAR_MANAGE = "calendar.manage"
    # security administrator
    ROLE_ASSIGN = "role.assign"
    ACCOUNT_UNLOCK = "account.unlock"
    TOKEN_REVOKE_ANY = "token.revoke_any"  # noqa: S105 (a permission code)
    SESSION_MANAGE = "session.manage"
    # audit administrator
    AUDIT_VIEW = "audit.view"


PERM_LABELS: dict[Perm, Any] = {
    Perm.TALENT_VIEW: _("View talent records"),
    Perm.ENTERPRISE_VIEW: _("View enterprise records"),
    Perm.ORGUNIT_VIEW: _("View organisation units"),
    Perm.DASHBOARD_VIEW: _("View dashboards"),
    Perm.PII_UNMASK: _("See personal data unmasked, giving a reason"),
    Perm.PIPL_HANDLE: _("Handle personal-data requests (copy, correction, deletion)"),
    Perm.TALENT_IMPORT: _("Import talents from Excel"),
    Perm.CONTACT_LOG: _("Log visits and calls with talents, record their needs"),
    Perm.TALENT_EDIT: _("Edit talent records"),
    Perm.ENTERPRISE_EDIT: _("Create and edit enterprise records, confirm their administrators"),
    Perm.ENTERPRISE_IMPORT: _("Import enterprises from Excel"),
    Perm.ENTERPRISE_REPORT: _("Submit an enterprise's yearly figures"),
    Perm.FAMILY_VIEW: _("See and record family members, children included (sensitive)"),
    Perm.FACT_VERIFY: _("Verify facts talents declared"),
    Perm.NEED_REPLY: _("Reply to talents' needs for the department"),
    Perm.TALENT_EXPORT: _("Export talent lists to Excel"),
    Perm.CASE_HANDLE: _("Accept and handle cases for the department"),
    Perm.CASE_ESCALATIONS: _("Receive the department's overdue cases (department head)"),
    Perm.CASE_OVERSEE: _("See every department's cases, decide appeals on ratings"),
    Perm.SERVICE_MANAGE: _("Edit the service catalogue and the hall's settings"),
    Perm.POLICY_MANAGE: _("Write and simulate policies; run the 免申即享 sweep"),
    Perm.POLICY_PUBLISH: _("Publish a policy draft someone else wrote"),
    Perm.CLASH_RESOLVE: _("Resolve duplicate ID numbers and credit codes (merge or keep apart)"),
    Perm.USER_MANAGE: _("Create and deactivate accounts"),
    Perm.ORGUNIT_MANAGE: _("Manage organisation units"),
    Perm.SYSTEM_STATUS: _("See system status"),
    Perm.CALENDAR_MANAGE: _("Maintain the holiday calendar"),
    Perm.ROLE_ASSIGN: _("Assign roles"),
    Perm.ACCOUNT_UNLOCK: _("Unlock locked accounts"),
    Perm.TOKEN_REVOKE_ANY: _("Revoke anyone's API tokens"),
    Perm.SESSION_MANAGE: _("See signed-in sessions and sign people out"),
    Perm.AUDIT_VIEW: _("Read the audit log"),
}

# The holiday calendar (``CALENDAR_MANAGE``) is reference data the talent office keeps too, not an
# administrator's power: it belongs to no group, so the office's role stays outside the three.
ADMIN_GROUPS: dict[str, frozenset[str]] = {
    "system": frozenset({Perm.USER_MANAGE, Perm.ORGUNIT_MANAGE, Perm.SYSTEM_STATUS}),
    "security": frozenset(
        {Perm.ROLE_ASSIGN, Perm.ACCOUNT_UNLOCK, Perm.TOKEN_REVOKE_ANY, Perm.SESSION_MANAGE}
    ),
    "audit": frozenset({Perm.AUDIT_VIEW}),
}


def admin_groups_of(perms: set[str] | frozenset[str]) -> set[str]:
    return {group for group, codes in ADMIN_GROUPS.items() if codes & perms}


# The check itself is the kernel's (doors of low apps use it without importing accounts).
__all__ = ["ADMIN_GROUPS", "PERM_LABELS", "Perm", "admin_groups_of", "has_perm", "require_perm"]
