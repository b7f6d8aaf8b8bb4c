"""The permissions mechanism refuses declarations it cannot assemble: a code declared twice, a grant to a role
the catalogue does not know."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.exceptions import ImproperlyConfigured

from talentcloud.accounts import permissions, roles
from talentcloud.common.access import Permission
from talentcloud.common.registries import forget_all


@pytest.fixture
def declared(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, list[Permission]]]:
    found: dict[str, list[Permission]] = {"one": [], "two": []}
    forget_all()
    monkeypatch.setattr(permissions.DECLARED, "by_app", lambda: found)
    yield found
    forget_all()


def test_a_code_declared_twice_is_refused(declared):
    declared["one"].append(Permission("x.view", "X"))
    declared["two"].append(Permission("x.view", "X again"))
    with pytest.raises(ImproperlyConfigured, match="declared twice"):
        permissions.declared_permissions()


def test_a_grant_to_an_unknown_role_is_refused(declared):
    declared["one"].append(Permission("x.view", "X", roles=("no-such-role",)))
    with pytest.raises(ImproperlyConfigured, match="not a standard role"):
        roles.standard_grants()


def test_admin_groups_come_from_the_declarations(declared):
    declared["one"].append(Permission("x.audit", "X", roles=("audit-admin",), admin_group="audit"))
    declared["two"].append(Permission("x.plain", "Y", roles=("talent-office",)))
    assert permissions.admin_groups() == {"system": set(), "security": set(), "audit": {"x.audit"}}
    assert permissions.admin_groups_of({"x.audit", "x.plain"}) == {"audit"}
    assert roles.standard_permissions("audit-admin") == ("x.audit",)
    assert roles.standard_permissions("talent-office") == ("x.plain",)
