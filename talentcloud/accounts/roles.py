"""The standard role catalogue (domain.md, People and roles). Loaded by the seed; editable afterwards."""

from __future__ import annotations

from dataclasses import dataclass

from .enums import RoleKind, ScopeKind
from .permissions import Perm


@dataclass(frozen=True)
class RoleSpec:
    code: str
    name: str
    name_en: str
    kind: RoleKind
    scope: ScopeKind
    permissions: tuple[Perm, ...]


STAFF_READ = (Perm.TALENT_VIEW, Perm.ENTERPRISE_VIEW, Perm.ORGUNIT_VIEW)
AREA_STAFF = (
    *STAFF_READ,
    Perm.TALENT_EXPORT,
    Perm.TALENT_EDIT,
    Perm.FACT_VERIFY,
    Perm.ENTERPRISE_EDIT,
    Perm.ENTERPRISE_REPORT,
)
OFFICE = (
    *STAFF_READ,
    Perm.DASHBOARD_VIEW,
    Perm.PII_UNMASK,
    Perm.PIPL_HANDLE,
    Perm.TALENT_IMPORT,
    Perm.TALENT_EXPORT,
    Perm.CONTACT_LOG,
    Perm.NEED_REPLY,
    Perm.TALENT_EDIT,
    Perm.FACT_VERIFY,
    Perm.ENTERPRISE_EDIT,
    Perm.ENTERPRISE_IMPORT,
    Perm.ENTERPRISE_REPORT,
    Perm.FAMILY_VIEW,
    Perm.CASE_OVERSEE,
    Perm.SERVICE_MANAGE,
    Perm.POLICY_MANAGE,
    Perm.CLASH_RESOLVE,
    Perm.CALENDAR_MANAGE,  # the office enters next year's holidays when they are announced
)

ROLE_CATALOGUE: tuple[RoleSpec, ...] = (
    RoleSpec("talent", "人才", "Talent", RoleKind.TALENT, ScopeKind.SELF, ()),
    RoleSpec(
        "enterprise-hr",
        "企业人事",
        "Enterprise HR",
        RoleKind.ENTERPRISE,
        ScopeKind.SELF,
        (Perm.ENTERPRISE_VIEW, Perm.ENTERPRISE_REPORT),
    ),
    RoleSpec(
        "service-staff",
        "部门窗口人员",
        "Department service staff",
        RoleKind.SERVICE_STAFF,
        ScopeKind.UNIT,
        (Perm.ORGUNIT_VIEW, Perm.NEED_REPLY, Perm.CASE_HANDLE),
    ),
    RoleSpec(
        "department-head",
        "部门负责人",
        "Department head",
        RoleKind.SERVICE_STAFF,
        ScopeKind.UNIT,
        (Perm.ORGUNIT_VIEW, Perm.NEED_REPLY, Perm.CASE_HANDLE, Perm.CASE_ESCALATIONS),
    ),
    RoleSpec(
        "park-staff", "园区工作人员", "Park staff", RoleKind.AREA_STAFF, ScopeKind.UNIT_AND_BELOW, AREA_STAFF
    ),
    RoleSpec(
        "street-staff",
        "街道工作人员",
        "Street staff",
        RoleKind.AREA_STAFF,
        ScopeKind.UNIT_AND_BELOW,
        AREA_STAFF,
    ),
    RoleSpec(
        "liaison-cadre",
        "联系领导",
        "Liaison cadre",
        RoleKind.LIAISON_CADRE,
        ScopeKind.SELF,
        (Perm.TALENT_VIEW, Perm.ORGUNIT_VIEW, Perm.CONTACT_LOG),
    ),
    RoleSpec("talent-office", "人才办", "Talent office", RoleKind.TALENT_OFFICE, ScopeKind.ALL, OFFICE),
    # The office's head publishes policy drafts a colleague wrote (a second person for every 待遇 change).
    RoleSpec(
        "talent-office-head",
        "人才办负责人",
        "Head of the talent office",
        RoleKind.TALENT_OFFICE,
        ScopeKind.ALL,
        (*OFFICE, Perm.POLICY_PUBLISH),
    ),
    RoleSpec("expert", "评审专家", "Expert reviewer", RoleKind.EXPERT, ScopeKind.SELF, ()),
    RoleSpec("think-tank", "智库", "Think tank", RoleKind.THINK_TANK, ScopeKind.SELF, ()),
    RoleSpec(
        "system-admin",
        "系统管理员",
        "System administrator",
        RoleKind.SYSTEM_ADMIN,
        ScopeKind.SELF,
        (Perm.USER_MANAGE, Perm.ORGUNIT_MANAGE, Perm.ORGUNIT_VIEW, Perm.SYSTEM_STATUS, Perm.CALENDAR_MANAGE),
    ),
    RoleSpec(
        "security-admin",
        "安全管理员",
        "Security administrator",
        RoleKind.SECURITY_ADMIN,
        ScopeKind.SELF,
        (Perm.ROLE_ASSIGN, Perm.ACCOUNT_UNLOCK, Perm.TOKEN_REVOKE_ANY, Perm.SESSION_MANAGE),
    ),
    RoleSpec(
        "audit-admin",
        "审计管理员",
        "Audit administrator",
        RoleKind.AUDIT_ADMIN,
        ScopeKind.SELF,
        (Perm.AUDIT_VIEW,),
    ),
)


def roles_install() -> None:
    from .services import role_upsert

    for spec in ROLE_CATALOGUE:
        role_upsert(
            code=spec.code,
            name=spec.name,
            name_en=spec.name_en,
            kind=spec.kind,
            scope=spec.scope,
            permissions=[p.value for p in spec.permissions],
        )
