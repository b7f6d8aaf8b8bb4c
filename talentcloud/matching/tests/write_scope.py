"""Write-scope cases of this app's reference-taking doors (read by ``api/tests/test_write_scope.py``): a
talent's own matching details name skills and an industry chain, the office's reference data."""

from __future__ import annotations

from talentcloud.api.tests.writescope import REFERENCE_DATA, Exempt
from talentcloud.enterprises.models import IndustryChain
from talentcloud.recruitment.models import Skill

WRITE_SCOPE_CASES: dict[str, Exempt] = {
    "matching.DetailsForm.chain": Exempt(REFERENCE_DATA, IndustryChain),
    "matching.DetailsForm.skills": Exempt(REFERENCE_DATA, Skill),
    "PUT /api/v1/matching/me/details chain": Exempt(REFERENCE_DATA, IndustryChain),
}
