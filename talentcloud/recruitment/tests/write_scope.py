"""Write-scope cases of this app's reference-taking doors (read by ``api/tests/test_write_scope.py``). Posts,
majors, skills and industry chains are the office's reference data; the enterprise a demand belongs to is
never a field: it is the poster's own (``selectors.own_enterprise``)."""

from __future__ import annotations

from talentcloud.api.tests.writescope import REFERENCE_DATA, Exempt
from talentcloud.enterprises.models import IndustryChain
from talentcloud.recruitment.models import Major, Post, Skill

WRITE_SCOPE_CASES: dict[str, Exempt] = {
    "recruitment.DemandForm.post": Exempt(REFERENCE_DATA, Post),
    "recruitment.DemandForm.majors": Exempt(REFERENCE_DATA, Major),
    "recruitment.DemandForm.skills": Exempt(REFERENCE_DATA, Skill),
    "recruitment.DemandForm.chain": Exempt(REFERENCE_DATA, IndustryChain),
    "recruitment.ProfileForm.post": Exempt(REFERENCE_DATA, Post),
    "recruitment.ProfileForm.major": Exempt(REFERENCE_DATA, Major),
    "recruitment.AdjustForm.post": Exempt(REFERENCE_DATA, Post),
    "POST /api/v1/recruitment/demand chain": Exempt(REFERENCE_DATA, IndustryChain),
    "demand_import chain": Exempt(REFERENCE_DATA, IndustryChain),
}
