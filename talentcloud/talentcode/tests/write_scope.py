"""Write-scope cases of the talent code's reference-taking doors (``api/tests/test_write_scope.py``)."""

from __future__ import annotations

from talentcloud.api.tests.writescope import REFERENCE_DATA, Exempt
from talentcloud.talentcode.models import Scene

VERIFIER_UNITS = (
    "registers an external unit (hospital, school, …) as a verifier: external units are outside every park's "
    "and street's scope, and only the talent office (talentcode.manage, scope all) names them"
)

WRITE_SCOPE_CASES: dict[str, Exempt] = {
    "talentcode.VerifierForm.unit": Exempt(VERIFIER_UNITS),
    "talentcode.VerifierForm.scenes": Exempt(REFERENCE_DATA, Scene),
    "POST /api/v1/talentcode/verifiers unit_code": Exempt(VERIFIER_UNITS),
}
