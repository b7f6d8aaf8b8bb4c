"""Write-scope cases of this app's reference-taking doors (read by ``api/tests/test_write_scope.py``)."""

from __future__ import annotations

from talentcloud.accounts.models import Role
from talentcloud.api.tests.writescope import ADMINISTRATION, REFERENCE_DATA, Exempt, Probe

WRITE_SCOPE_CASES: dict[str, Probe | Exempt] = {
    "accounts.UserCreateForm.unit": Exempt(ADMINISTRATION),
    "accounts.UserCreateForm.roles": Exempt(REFERENCE_DATA, Role),
    "accounts.UserRolesForm.roles": Exempt(REFERENCE_DATA, Role),
    "accounts.OrgUnitCreateForm.parent": Exempt(ADMINISTRATION),
}
