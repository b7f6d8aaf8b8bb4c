"""The campaigns app's sidebar entries (the sidebar: ``web.navigation``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from talentcloud.common.navigation import NavItem

from .permissions import CampaignPerm

NAVIGATION = [
    NavItem(
        group="attract",
        order=78,
        label=_("Campaigns"),
        url_name="campaigns:manage_list",
        perm=CampaignPerm.MANAGE,
        description=_("招贤令, 双选会 sessions, pipelines and their analytics"),
    ),
    NavItem(
        group="attract",
        order=79,
        label=_("Applicants"),
        url_name="campaigns:applicants",
        perm=CampaignPerm.ANSWER,
        description=_("Applicants to your posts: invite, offer, answer"),
        role_kinds=("enterprise",),
    ),
    NavItem(
        group="daily",
        order=78,
        label=_("My job applications"),
        url_name="campaigns:mine",
        description=_("Campaigns, posts with their policy package, and where your applications stand"),
        role_kinds=("talent",),
    ),
]
