"""Write-scope cases of this app's reference-taking doors (read by ``api/tests/test_write_scope.py``). Majors
and industry chains are the office's reference data. Campaigns and 双选会 sessions are the district office's
(``campaigns.manage``, held by the office's roles only): they list open demand from the whole district, which
every talent sees on the campaign pages, and sessions belong to the office's own campaigns. An applicant names
only a post the campaign lists (the service refuses any other)."""

from __future__ import annotations

from talentcloud.api.tests.writescope import REFERENCE_DATA, Exempt
from talentcloud.campaigns.models import Campaign
from talentcloud.enterprises.models import IndustryChain
from talentcloud.recruitment.models import Major

DISTRICT_CAMPAIGN = (
    "a district campaign (campaigns.manage, the office's roles only) lists open demand of the whole district,"
    " published to every talent"
)

WRITE_SCOPE_CASES: dict[str, Exempt] = {
    "campaigns.CampaignForm.chain": Exempt(REFERENCE_DATA, IndustryChain),
    "campaigns.CampaignForm.majors": Exempt(REFERENCE_DATA, Major),
    "campaigns.CampaignForm.posts": Exempt(DISTRICT_CAMPAIGN),
    "campaigns.SessionForm.campaign": Exempt(REFERENCE_DATA, Campaign),
    "campaigns.SessionForm.posts": Exempt(DISTRICT_CAMPAIGN),
    "campaigns.ApplyForm.major": Exempt(REFERENCE_DATA, Major),
    "POST /api/v1/campaigns/manage/campaigns chain": Exempt(REFERENCE_DATA, IndustryChain),
    "PUT /api/v1/campaigns/manage/campaigns/{campaign_id} chain": Exempt(REFERENCE_DATA, IndustryChain),
}
