"""Write-scope cases of this app's reference-taking doors (read by ``api/tests/test_write_scope.py``)."""

from __future__ import annotations

from talentcloud.api.tests.writescope import REFERENCE_DATA, Exempt, Probe
from talentcloud.servicehall.models import Service

WRITE_SCOPE_CASES: dict[str, Probe | Exempt] = {
    "policies.PolicyForm.service": Exempt(REFERENCE_DATA, Service),
    "POST /api/v1/policies/drafts service": Exempt(REFERENCE_DATA, Service),
    "PUT /api/v1/policies/drafts/{code} service": Exempt(REFERENCE_DATA, Service),
}
