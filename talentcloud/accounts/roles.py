"""The standard role catalogue (domain.md, People and roles): each role's code, names, kind and data scope.

Which permissions a standard role holds is not written here: every app grants its own codes to roles by code
in its ``permissions.py`` (``accounts.permissions``), and ``standard_permissions`` assembles them. The seed
loads the catalogue (``roles_install``); roles are editable afterwards. A grant an app declares later reaches
the roles already stored through ``standard_grants_sync`` (run after every ``migrate``): it only adds, once
per role and code (``StandardGrant`` remembers it), so a code an administrator took away stays away.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db import DEFAULT_DB_ALIAS, connections, transaction

from talentcloud.audit.services import audit_record
from talentcloud.common.registries import Declarations, forgotten_with_apps

from .enums import RoleKind, ScopeKind
from .models import Role, StandardGrant
from .permissions import declared_permissions
from .services import role_upsert


@dataclass(frozen=True)
class RoleSpec:
    code: str
    name: str
    name_en: str
    kind: RoleKind
    scope: ScopeKind

    @property
    def permissions(self) -> tuple[str, ...]:
        """The codes the apps grant this standard role in their ``permissions.py``."""
        return standard_permissions(self.code)


BASE_CATALOGUE: tuple[RoleSpec, ...] = (
    RoleSpec("talent", "人才", "Talent", RoleKind.TALENT, ScopeKind.SELF),
    RoleSpec("enterprise-hr", "企业人事", "Enterprise HR", RoleKind.ENTERPRISE, ScopeKind.SELF),
    RoleSpec(
        "service-staff", "部门窗口人员", "Department service staff", RoleKind.SERVICE_STAFF, ScopeKind.UNIT
    ),
    RoleSpec("department-head", "部门负责人", "Department head", RoleKind.SERVICE_STAFF, ScopeKind.UNIT),
    RoleSpec("park-staff", "园区工作人员", "Park staff", RoleKind.AREA_STAFF, ScopeKind.UNIT_AND_BELOW),
    RoleSpec("street-staff", "街道工作人员", "Street staff", RoleKind.AREA_STAFF, ScopeKind.UNIT_AND_BELOW),
    RoleSpec("liaison-cadre", "联系领导", "Liaison cadre", RoleKind.LIAISON_CADRE, ScopeKind.SELF),
    RoleSpec("talent-office", "人才办", "Talent office", RoleKind.TALENT_OFFICE, ScopeKind.ALL),
    RoleSpec(
        "talent-office-head",
        "人才办负责人",
        "Head of the talent office",
        RoleKind.TALENT_OFFICE,
        ScopeKind.ALL,
    ),
    RoleSpec("expert", "评审专家", "Expert reviewer", RoleKind.EXPERT, ScopeKind.SELF),
    RoleSpec("think-tank", "智库", "Think tank", RoleKind.THINK_TANK, ScopeKind.SELF),
    RoleSpec("system-admin", "系统管理员", "System administrator", RoleKind.SYSTEM_ADMIN, ScopeKind.SELF),
    RoleSpec(
        "security-admin", "安全管理员", "Security administrator", RoleKind.SECURITY_ADMIN, ScopeKind.SELF
    ),
    RoleSpec("audit-admin", "审计管理员", "Audit administrator", RoleKind.AUDIT_ADMIN, ScopeKind.SELF),
    # Staff of an external unit (hospital, school, transport, culture partner) that checks talent codes for
    # its scenes (talentcode, ADR 0025); sees nothing else.
    RoleSpec(
        "code-verifier", "人才码核验人员", "Talent-code verifier", RoleKind.CODE_VERIFIER, ScopeKind.SELF
    ),
)

# A role only one app's work needs (the finance bureau of the payout ledger) is declared by that app in its
# ``permissions.py`` as ``ROLES = [RoleSpec(...)]`` ("Registry: permissions and roles"), after the base roles.
DECLARED_ROLES: Declarations[RoleSpec] = Declarations("permissions", "ROLES")


@cache
def role_catalogue() -> tuple[RoleSpec, ...]:
    """The standard roles: the base catalogue, then those the installed apps declare (a code twice: error)."""
    catalogue = (*BASE_CATALOGUE, *DECLARED_ROLES.items())
    codes = [spec.code for spec in catalogue]
    if len(codes) != len(set(codes)):
        raise ImproperlyConfigured(f"a standard role is declared twice: {codes}")
    return catalogue


forgotten_with_apps(role_catalogue)


class _Catalogue(Sequence[RoleSpec]):
    """``ROLE_CATALOGUE``: the standard roles, read when used (the apps' declarations need the app registry)."""

    def __getitem__(self, index: Any) -> Any:
        return role_catalogue()[index]

    def __len__(self) -> int:
        return len(role_catalogue())


ROLE_CATALOGUE: Sequence[RoleSpec] = _Catalogue()


@cache
def standard_grants() -> dict[str, tuple[str, ...]]:
    """Each standard role's codes, as the installed apps grant them (a role nobody grants anything: empty)."""
    grants: dict[str, list[str]] = {spec.code: [] for spec in ROLE_CATALOGUE}
    for code, permission in declared_permissions().items():
        for role in permission.roles:
            if role not in grants:
                raise ImproperlyConfigured(f"permission {code!r} is granted to {role!r}, not a standard role")
            grants[role].append(code)
    return {role: tuple(codes) for role, codes in grants.items()}


forgotten_with_apps(standard_grants)


def standard_permissions(role_code: str) -> tuple[str, ...]:
    return standard_grants()[role_code]


def roles_install() -> None:
    """Load the catalogue: each standard role as the apps declare it today (the seed, the demo)."""
    for spec in ROLE_CATALOGUE:
        role_upsert(
            code=spec.code,
            name=spec.name,
            name_en=spec.name_en,
            kind=spec.kind,
            scope=spec.scope,
            permissions=list(spec.permissions),
        )
        StandardGrant.objects.bulk_create(
            [StandardGrant(role_code=spec.code, permission=code) for code in spec.permissions],
            ignore_conflicts=True,
        )


def standard_grants_sync() -> dict[str, list[str]]:
    """Give the standard roles stored in the database the codes the apps grant them and they were never given
    (an app installed or a grant declared since): only adds, audited, each grant once; returns what it added."""
    granted = set(StandardGrant.objects.values_list("role_code", "permission"))
    added: dict[str, list[str]] = {}
    with transaction.atomic():
        for role in Role.objects.select_for_update().filter(code__in=standard_grants()).order_by("code"):
            new = [code for code in standard_permissions(role.code) if (role.code, code) not in granted]
            if not new:
                continue
            missing = [code for code in new if code not in role.permissions]
            if missing:
                role.permissions = [*role.permissions, *missing]
                role.save(update_fields=["permissions", "updated_at"])
                audit_record(
                    actor=None,
                    action="role.grant_standard",
                    object_type="role",
                    object_id=role.pk,
                    details={"role": role.code, "permissions": missing},
                )
                added[role.code] = missing
            StandardGrant.objects.bulk_create(
                [StandardGrant(role_code=role.code, permission=code) for code in new], ignore_conflicts=True
            )
    return added


def standard_grants_after_migrate(*, using: str = DEFAULT_DB_ALIAS, **_: Any) -> None:
    """``post_migrate`` (connected in ``receivers.py``): the standard roles already stored gain the codes apps newly
    grant them. Skipped while the ledger's table is not there yet (a plan that stops before it)."""
    if using != DEFAULT_DB_ALIAS:
        return
    if "accounts_standardgrant" not in connections[using].introspection.table_names():
        return
    standard_grants_sync()
