"""Write-scope cases of this app's reference-taking doors (read by ``api/tests/test_write_scope.py``)."""

from __future__ import annotations

from talentcloud.api.tests.writescope import REFERENCE_DATA, Exempt, Probe
from talentcloud.servicehall.models import Service

MEASURE_UNIT = "a unit of measure typed as words (万元, 月, 人), not a reference to an organisational unit"

WRITE_SCOPE_CASES: dict[str, Probe | Exempt] = {
    "policies.PolicyForm.service": Exempt(REFERENCE_DATA, Service),
    "POST /api/v1/policies/drafts service": Exempt(REFERENCE_DATA, Service),
    "PUT /api/v1/policies/drafts/{code} service": Exempt(REFERENCE_DATA, Service),
    # An office-defined fact's unit of measure ("万元", "月", "人"): words, not an organisational unit.
    "policies.FactDefinitionForm.unit": Exempt(MEASURE_UNIT),
    "POST /api/v1/policies/facts unit": Exempt(MEASURE_UNIT),
}
