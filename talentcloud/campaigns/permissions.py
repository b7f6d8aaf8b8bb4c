"""The permissions the campaigns app's doors check, and the standard roles that hold them (collected by
``accounts.permissions``). A talent applies as themself (the "talent" role kind), with no permission."""

from __future__ import annotations

from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from talentcloud.common.access import Permission


class CampaignPerm(StrEnum):
    ANSWER = "campaigns.answer"
    MANAGE = "campaigns.manage"


PERMISSIONS = [
    Permission(
        CampaignPerm.ANSWER,
        _("See and answer the applicants to the enterprise's own posts (invite, offer, reject)"),
        roles=("enterprise-hr",),
    ),
    Permission(
        CampaignPerm.MANAGE,
        _("Run 招贤令 campaigns and 双选会 sessions; read every pipeline and its analytics"),
        roles=("talent-office", "talent-office-head"),
    ),
]
